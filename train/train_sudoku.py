"""Train a Sudoku TRM. Resumes by itself when the run folder has a checkpoint.

    python3 train/train_sudoku.py --preset cpu --run train/runs/cpu --minutes 60
    python3 train/train_sudoku.py --preset gpu --run runs/gpu --device cuda
    torchrun --nproc_per_node=8 train/train_sudoku.py --preset ddp --run runs/ddp --device cuda

--set key=value overrides any TrainConfig field (value as JSON, e.g. --set lr=3e-4
--set 'model={"hidden_size": 64, ...}'). The run folder gets log.jsonl, checkpoint.pt and
model.safetensors (the EMA weights, refreshed at every checkpoint).
"""

import json
import os
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from trm import ROOT  # noqa: E402
from trm.cli import run_training  # noqa: E402
from trm.sudoku_data import (EXTREME, HELD_OUT, Curriculum, SudokuStream, generate_pool,  # noqa: E402
                             group_weights, read_csv_pairs, training_datasets)
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
    # Groups of rows, each with the share of samples it gets (None: an even share by size).
    groups = [(pool_x, pool_y, None)]
    if cfg.use_shared_train:
        sx, sy = training_datasets()
        n_extreme = HELD_OUT[EXTREME]  # training_datasets puts the Extreme lines first
        groups += [(sx[:n_extreme], sy[:n_extreme], cfg.extreme_fraction or None),
                   (sx[n_extreme:], sy[n_extreme:], None)]
    elif cfg.extreme_fraction:
        raise ValueError("extreme_fraction needs use_shared_train: the Extreme lines are part of it")
    if cfg.hard_pool_size:
        hx, hy = generate_pool(DATA / f"pool_hard{cfg.hard_min_guesses}_{cfg.hard_pool_size}_seed{cfg.seed + 1}.csv",
                               cfg.hard_pool_size, cfg.seed + 1, "minimal", min_guesses=cfg.hard_min_guesses)
        groups.append((hx, hy, cfg.hard_fraction))
    if cfg.mined_pool:
        mx, my = read_csv_pairs(ROOT / cfg.mined_pool)
        groups.append((mx, my, cfg.mined_fraction))
    elif cfg.mined_fraction:
        raise ValueError("mined_fraction needs mined_pool: the CSV of puzzles to draw from")
    fractions = [f for _, _, f in groups]
    weights = group_weights([len(x) for x, _, _ in groups], fractions) if any(f is not None for f in fractions) else None
    pool_x, pool_y = np.concatenate([x for x, _, _ in groups]), np.concatenate([y for _, y, _ in groups])
    rank, world = int(os.environ.get("RANK", "0")), int(os.environ.get("WORLD_SIZE", "1"))
    # Each rank's stream counts its own samples: a share of `curriculum_until` keeps the
    # schedule's length in samples over all ranks.
    stream = SudokuStream(pool_x, pool_y, seed=cfg.seed * 1000 + rank,
                          curriculum=Curriculum(cfg.curriculum_reveal, cfg.curriculum_until // world),
                          weights=weights)
    # Validation: generated minimal puzzles from a seed no training pool uses; the shared
    # held-out sets stay untouched until the final measurement.
    vx, vy = generate_pool(DATA / "validation_minimal_500_seed987654.csv", 500, 987654, "minimal")
    eval_set = (vx[:cfg.eval_puzzles], vy[:cfg.eval_puzzles])
    trainer = Trainer(cfg, run, stream, eval_set, device=device)
    # Generated puzzles as hard as Sudoku-Extreme's (20+ guesses; Extreme's median is 51,
    # minimal puzzles' is 1: `trm rate`), so validation sees what the test set asks.
    hx, hy = generate_pool(DATA / "validation_hard20_200_seed987655.csv", 200, 987655, "minimal", min_guesses=20)
    # As many as the main validation reads (all 200 at the presets' sizes; fewer in a rehearsal).
    trainer.side_evals["hard"] = (hx[:cfg.eval_puzzles], hy[:cfg.eval_puzzles])
    return trainer


def main():
    run_training(__doc__, PRESETS, build, default_preset="cpu")


if __name__ == "__main__":
    main()
