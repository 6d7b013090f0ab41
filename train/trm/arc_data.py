"""ARC-AGI-1 training data, as the reference protocol builds it: every task gets A
augmentations (the identity and A-1 random dihedral x colour permutations), each with its
own puzzle-embedding row; an example is one demonstration pair of one (task, augmentation),
placed at a random offset on the canvas (input and output at the same offset).

The canvas is 30x30 as the paper's; a smaller side (10 or 12) keeps only the tasks whose every
grid fits it, a subset on which a CPU core can afford to learn (issue #41).

Trained on: all pairs of the 400 `training` tasks and the demonstration (`train`) pairs of the
400 `evaluation` tasks. Held out: the evaluation tasks' test pairs, which `trm eval` scores
(pass@1/pass@2 over the model's own rows for each task).

Tokens as crate/src/puzzle/arc.rs: 0 PAD, 1 EOS, colour c -> c + 2; an EOS row under the grid
and an EOS column right of it, the corner left PAD.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from . import DATA
from .grids import dihedral, puzzle_name, random_colour_map

ARC_DATA = DATA / "arc-agi-1"
SIDE = 30
BLANK = "<blank>"


def paint(g: np.ndarray, r0: int = 0, c0: int = 0, side: int = SIDE) -> np.ndarray:
    t = np.zeros((side, side), dtype=np.uint8)
    h, w = g.shape
    t[r0:r0 + h, c0:c0 + w] = g + 2
    if r0 + h < side:
        t[r0 + h, c0:c0 + w] = 1
    if c0 + w < side:
        t[r0:r0 + h, c0 + w] = 1
    return t.reshape(-1)


def fits(task: dict, side: int) -> bool:
    """Every grid of the task, demonstrations and tests, inputs and outputs, within side x side."""
    grids = [p[k] for p in task["train"] + task["test"] for k in ("input", "output") if k in p]
    return all(len(g) <= side and len(g[0]) <= side for g in grids)


def load_tasks(split: str) -> dict:
    return {p.stem: json.loads(p.read_text()) for p in sorted((ARC_DATA / split).glob("*.json"))}


def training_pairs(side: int = SIDE):
    """{task: [(input, output), ...]} for every task the model trains on (that fits `side`)."""
    out = {}
    for split in ("training", "evaluation"):
        for name, task in load_tasks(split).items():
            if not fits(task, side):
                continue
            pairs = task["train"] + (task["test"] if split == "training" else [])
            out[name] = [(np.array(p["input"], dtype=np.uint8), np.array(p["output"], dtype=np.uint8))
                         for p in pairs]
    return out


class ArcTable:
    """The puzzle table: row 0 is the blank puzzle, then `augmentations` rows per task."""

    def __init__(self, tasks: dict, augmentations: int, seed: int):
        rng = np.random.default_rng(seed)
        self.names = [BLANK]
        self.rows = []  # (task, dihedral id, colour map) per row from 1
        for task in sorted(tasks):
            seen = {(0, tuple(range(10)))}
            self.rows.append((task, 0, np.arange(10, dtype=np.uint8)))
            while len(seen) < augmentations:
                k, cmap = int(rng.integers(8)), random_colour_map(rng)
                if (k, tuple(cmap)) in seen:
                    continue
                seen.add((k, tuple(cmap)))
                self.rows.append((task, k, cmap))
        self.names += [puzzle_name(t, k, c) for t, k, c in self.rows]


class ArcStream:
    """Endless uniform draws of (row, demonstration pair, offset); state is a counter."""

    def __init__(self, tasks: dict, table: ArcTable, seed: int, side: int = SIDE):
        self.tasks, self.table, self.seed, self.side = tasks, table, seed, side
        self.samples = 0
        self.curriculum = None

    def _draw(self, i: int):
        rng = np.random.default_rng([self.seed, i])
        r = int(rng.integers(len(self.table.rows)))
        task, k, cmap = self.table.rows[r]
        x, y = self.tasks[task][int(rng.integers(len(self.tasks[task])))]
        x, y = dihedral(cmap[x], k), dihedral(cmap[y], k)
        h, w = max(x.shape[0], y.shape[0]), max(x.shape[1], y.shape[1])
        r0, c0 = int(rng.integers(self.side - h + 1)), int(rng.integers(self.side - w + 1))
        return paint(x, r0, c0, self.side), paint(y, r0, c0, self.side), r + 1

    def next(self, n: int):
        d = [self._draw(self.samples + i) for i in range(n)]
        self.samples += n
        return np.stack([a for a, _, _ in d]), np.stack([b for _, b, _ in d]), np.array([r for _, _, r in d])

    def state(self):
        return {"samples": self.samples}

    def load_state(self, s):
        self.samples = s["samples"]


def eval_set(table: ArcTable, limit: int | None = None, side: int = SIDE):
    """The evaluation tasks' test inputs with known outputs, top-left, on their identity row
    (tasks the table does not hold, those too large for `side`, are left out)."""
    row = {n: i for i, n in enumerate(table.names)}
    xs, ys, ids = [], [], []
    for name, task in load_tasks("evaluation").items():
        for p in task["test"]:
            if "output" not in p or name not in row:
                continue
            xs.append(paint(np.array(p["input"], dtype=np.uint8), side=side))
            ys.append(paint(np.array(p["output"], dtype=np.uint8), side=side))
            ids.append(row[name])
    xs, ys, ids = np.stack(xs), np.stack(ys), np.array(ids)
    return (xs[:limit], ys[:limit], ids[:limit]) if limit else (xs, ys, ids)
