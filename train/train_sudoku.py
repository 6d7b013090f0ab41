"""Train a Sudoku TRM. Resumes by itself when the run folder has a checkpoint.

    python3 train/train_sudoku.py --preset cpu --run train/runs/cpu --minutes 60
    python3 train/train_sudoku.py --preset gpu --run runs/gpu --device cuda
    torchrun --nproc_per_node=8 train/train_sudoku.py --preset ddp --run runs/ddp --device cuda

--set key=value overrides any TrainConfig field (value as JSON, e.g. --set lr=3e-4
--set 'model={"hidden_size": 64, ...}'). The run folder gets log.jsonl, checkpoint.pt and
model.safetensors (the EMA weights, refreshed at every checkpoint).
"""

import argparse
import json
import os
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from trm.sudoku_data import Curriculum, SudokuStream, generate_pool, training_shared  # noqa: E402
from trm.train import PRESETS, Trainer, TrainConfig  # noqa: E402

DATA = Path(__file__).resolve().parent / "data"


def build(preset: str, overrides: dict, run: Path, device: str):
    d = json.loads(json.dumps(PRESETS[preset]))
    if run.joinpath("train_config.json").exists():
        d = json.loads(run.joinpath("train_config.json").read_text())
    for k, v in overrides.items():
        if k == "model" and isinstance(v, dict):
            d["model"] = {**d["model"], **v}
        else:
            d[k] = v
    cfg = TrainConfig.from_dict(d)
    pool_x, pool_y = generate_pool(DATA / f"pool_{cfg.pool_difficulty}_{cfg.pool_size}_seed{cfg.seed}.csv",
                                   cfg.pool_size, cfg.seed, cfg.pool_difficulty)
    if cfg.use_shared_train:
        sx, sy = training_shared()
        pool_x, pool_y = np.concatenate([pool_x, sx]), np.concatenate([pool_y, sy])
    rank = int(os.environ.get("RANK", "0"))
    stream = SudokuStream(pool_x, pool_y, seed=cfg.seed * 1000 + rank,
                          curriculum=Curriculum(cfg.curriculum_reveal, cfg.curriculum_until))
    # Validation: generated minimal puzzles from a seed no training pool uses; the shared
    # held-out sets stay untouched until the final measurement.
    vx, vy = generate_pool(DATA / "validation_minimal_500_seed987654.csv", 500, 987654, "minimal")
    eval_set = (vx[:cfg.eval_puzzles], vy[:cfg.eval_puzzles])
    return Trainer(cfg, run, stream, eval_set, device=device)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--preset", choices=sorted(PRESETS), default="cpu")
    ap.add_argument("--run", type=Path, required=True, help="run folder (resumed if it holds a checkpoint)")
    ap.add_argument("--minutes", type=float, help="stop after this many minutes (checkpointed)")
    ap.add_argument("--steps", type=int, help="stop at this optimizer step")
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=JSON")
    a = ap.parse_args()
    overrides = {}
    for kv in a.set:
        k, _, v = kv.partition("=")
        try:
            overrides[k] = json.loads(v)
        except json.JSONDecodeError:
            overrides[k] = v
    trainer = build(a.preset, overrides, a.run, a.device)
    if trainer.rank == 0:
        a.run.mkdir(parents=True, exist_ok=True)
        import dataclasses
        a.run.joinpath("train_config.json").write_text(json.dumps(dataclasses.asdict(trainer.cfg), indent=1))
    resumed = trainer.try_resume()
    print(f"{'resumed at step ' + str(trainer.step) if resumed else 'new run'} in {a.run}", flush=True)
    trainer.train(max_steps=a.steps, max_minutes=a.minutes)


if __name__ == "__main__":
    main()
