"""Train a TRM on 30x30 grids: mazes (Maze-Hard) or ARC-AGI-1. Resumes by itself when the
run folder has a checkpoint, like train_sudoku.py.

    python3 train/train_grid.py --preset maze-cpu --run train/runs/maze-cpu --minutes 60
    python3 train/train_grid.py --preset arc-cpu --run train/runs/arc-cpu --minutes 60
    python3 train/train_grid.py --preset arc10-cpu --run train/runs/arc10
    python3 train/train_grid.py --preset maze-gpu --run runs/maze --device cuda

Maze: the first 800 mazes of the shared Maze-Hard file plus `pool_size` generated ones (the
last 200 are held out). ARC: the reference protocol (train/trm/arc_data.py): `augmentations`
puzzle rows per task (--set 'extra={"augmentations": 8}'), trained on the training tasks and
the evaluation tasks' demonstrations; the evaluation tasks' test pairs are held out.
--set key=value overrides any TrainConfig field (value as JSON).
"""

import json
import os
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from trm import arc_data, maze_data  # noqa: E402
from trm.cli import run_training  # noqa: E402
from trm.train import GRID_PRESETS, Trainer, TrainConfig  # noqa: E402

DATA = Path(__file__).resolve().parent / "data"


def build(preset: str, overrides: dict, run: Path, device: str) -> Trainer:
    d = json.loads(json.dumps(GRID_PRESETS[preset]))
    if run.joinpath("train_config.json").exists():
        d = json.loads(run.joinpath("train_config.json").read_text())
    for k, v in overrides.items():
        d[k] = {**d[k], **v} if k in ("model", "extra") and isinstance(v, dict) else v
    kind = "maze" if preset.startswith("maze") else "arc"
    rank = int(os.environ.get("RANK", "0"))
    if kind == "maze" and d["model"]["seq_len"] != 900:
        # Corridor mazes of a smaller side: all generated, from three seeds that never meet
        # (training pool, validation during training, the held-out set `trm eval` measures).
        cfg = TrainConfig.from_dict(d)
        side = maze_data.side_of(cfg.model["seq_len"])
        gx, gy = maze_data.generate_pool(DATA / f"mazes{side}_{cfg.pool_size}_seed{cfg.seed}.csv", cfg.pool_size,
                                         cfg.seed, side=side)
        # extra.small_sides / small_prob: the size curriculum of MazeStream (smaller corridor
        # mazes walled into the full side).
        small = [maze_data.generate_pool(DATA / f"mazes{s}_{cfg.pool_size}_seed{cfg.seed}.csv", cfg.pool_size, cfg.seed,
                                         side=s) for s in cfg.extra.get("small_sides", [])]
        stream = maze_data.MazeStream(gx, gy, seed=cfg.seed * 1000 + rank, small=small,
                                      small_prob=float(cfg.extra.get("small_prob", 0.0)))
        vx, vy = maze_data.generate_pool(DATA / f"mazes{side}_validation_200_seed987654.csv", 200, 987654, side=side)
        return Trainer(cfg, run, stream, (vx[:cfg.eval_puzzles], vy[:cfg.eval_puzzles]), device=device,
                       kind="maze", scored_token=2)
    if kind == "maze":
        cfg = TrainConfig.from_dict(d)
        gx, gy = maze_data.generate_pool(DATA / f"mazes_{cfg.pool_size}_seed{cfg.seed}.csv", cfg.pool_size, cfg.seed)
        sx, sy = maze_data.training_split()
        stream = maze_data.MazeStream(np.concatenate([sx, gx]), np.concatenate([sy, gy]), seed=cfg.seed * 1000 + rank)
        # Validation: generated mazes from a seed the pool does not use; the shared held-out
        # mazes stay untouched until the final measurement.
        vx, vy = maze_data.generate_pool(DATA / "mazes_validation_200_seed987654.csv", 200, 987654)
        return Trainer(cfg, run, stream, (vx[:cfg.eval_puzzles], vy[:cfg.eval_puzzles]), device=device,
                       kind="maze", scored_token=2)
    # A canvas smaller than 30x30 (seq_len side*side) trains and measures only the tasks that fit.
    side = int(round(d["model"]["seq_len"] ** 0.5))
    if side * side != d["model"]["seq_len"] or not 1 <= side <= arc_data.SIDE:
        raise ValueError(f"an ARC model's seq_len is a square canvas side*side up to 30*30, not {d['model']['seq_len']}")
    tasks = arc_data.training_pairs(side)
    table = arc_data.ArcTable(tasks, int(d.get("extra", {}).get("augmentations", 8)), seed=d.get("seed", 0))
    d["model"] = {**d["model"], "num_puzzle_identifiers": len(table.names)}
    cfg = TrainConfig.from_dict(d)
    stream = arc_data.ArcStream(tasks, table, seed=cfg.seed * 1000 + rank, side=side)
    # During training the evaluation tasks' test inputs (identity row) show progress; the
    # final pass@2 with voting comes from `trm eval`.
    return Trainer(cfg, run, stream, arc_data.eval_set(table, cfg.eval_puzzles, side), device=device, kind="arc",
                   puzzle_rows=table.names, scored_token=-1)


def main():
    run_training(__doc__, GRID_PRESETS, build)


if __name__ == "__main__":
    main()
