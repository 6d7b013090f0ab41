"""Mine Sudoku puzzles a model gets wrong: generate unique-solution puzzles with `trm generate`,
run the model on each for its supervision steps, and keep the ones whose answer is not the
solution. The result is a `puzzle,solution` CSV for `--set mined_pool=PATH` in
train_sudoku.py.

Why: the backtracking solver's guess count is a poor proxy for what this model finds hard.
Generated minimal puzzles needing 50+ guesses are solved by the shipped model 69.5% of the
time, held-out Sudoku-Extreme 35.5% (models/MODEL_CARD.md), so a pool rated by guesses mostly
repeats what the model already does. Its own failures are the puzzles it has not learned.

    python3 train/mine_sudoku.py --model train/checkpoints/sudoku-cpu/model.safetensors \
        --candidates 50000 --seed 31 --out train/data/mined_seed31.csv
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))

from trm import write_atomic  # noqa: E402
from trm.evaluate import solved_mask  # noqa: E402
from trm.modelfile import load_model_file  # noqa: E402
from trm.sudoku_data import generate_pool, read_csv_pairs, tokens_to_line  # noqa: E402
from trm.train import resolve_forward_dtype  # noqa: E402


def mine(model, candidates: tuple, steps: int, batch: int) -> np.ndarray:
    """Indices of the candidates the model leaves wrong after `steps` supervision steps."""
    x, y = candidates
    return np.flatnonzero(~solved_mask(model, x, y, steps=steps, batch=batch))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", required=True, help="a trm-web Sudoku model file (.safetensors)")
    ap.add_argument("--from", dest="source", type=Path,
                    help="mine this `puzzle,solution` CSV instead of generating candidates")
    ap.add_argument("--candidates", type=int, default=50_000, help="puzzles to generate and try")
    ap.add_argument("--seed", type=int,
                    help="generator seed; pick one no training pool or validation set uses")
    ap.add_argument("--difficulty", default="minimal", help="as `trm generate --difficulty`")
    ap.add_argument("--steps", type=int, default=16, help="supervision steps the model gets")
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--forward-dtype", default="auto", choices=["auto", "float32", "bfloat16"],
                    help="auto: bfloat16 where the CPU multiplies it in hardware (as training)")
    ap.add_argument("--trm", help="path of a built `trm` binary (default: cargo run --release)")
    ap.add_argument("--out", type=Path, required=True)
    a = ap.parse_args(argv)
    if a.candidates < 1 or a.steps < 1 or a.batch < 1:
        sys.exit("error: --candidates, --steps and --batch must be at least 1")
    model, kind, _ = load_model_file(a.model)
    if kind != "sudoku":
        sys.exit(f"error: {a.model} is a {kind} model, not a Sudoku model")
    # A borderline puzzle may flip between float32 and bfloat16; either way it is one the
    # model is unsure of, which is what the pool is for.
    model.cfg = dataclasses.replace(model.cfg, forward_dtype=resolve_forward_dtype(a.forward_dtype, torch.device("cpu")))
    t0 = time.time()
    if a.source:
        x, y = read_csv_pairs(a.source)
    elif a.seed is None:
        sys.exit("error: give --seed (one no training pool or validation set uses) or --from CSV")
    else:
        # Cached beside the output, so that a second model can be mined on the same puzzles
        # without generating them again.
        cand_path = a.out.with_name(f"candidates_{a.difficulty}_{a.candidates}_seed{a.seed}.csv")
        x, y = generate_pool(cand_path, a.candidates, a.seed, a.difficulty, trm_bin=a.trm)
    t_gen = time.time() - t0
    wrong = mine(model, (x, y), a.steps, a.batch)  # solved_mask runs without gradients
    lines = [f"{tokens_to_line(x[i])},{tokens_to_line(y[i])}\n" for i in wrong]
    write_atomic(a.out, "".join(lines))
    print(json.dumps({"candidates": len(x), "kept": len(wrong), "kept_fraction": len(wrong) / len(x),
                      "steps": a.steps, "model": str(a.model), "seed": a.seed, "from": str(a.source) if a.source else None,
                      "generate_seconds": round(t_gen, 1), "mine_seconds": round(time.time() - t0 - t_gen, 1),
                      "out": str(a.out)}))


if __name__ == "__main__":
    main()
