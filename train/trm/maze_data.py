"""Maze training data: Maze-Hard's shared file plus generated hard mazes (`trm generate
--kind maze`), or for a small model generated corridor mazes of a smaller odd side (`trm
generate --kind maze --side N`), augmented on the fly by the eight dihedral transforms (a maze
stays a maze under each, with the same shortest path length).

Tokens as docs/MODEL.md / crate/src/puzzle/maze.rs: 0 PAD, '#' 1, ' ' 2, 'S' 3, 'G' 4, 'o' 5.

Held out from training: the last 200 rows of `maze_30x30_hard_1k_train.csv` (rows 801..1000,
1-based, after the header); `trm eval` measures the shipped model on them.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np

from . import DATA, ROOT, write_atomic
from .grids import dihedral
from .rust import trm_command

MAZE_CSV = DATA / "maze" / "maze_30x30_hard_1k_train.csv"
HELD_OUT_FROM = 800
CHARS = "# SGo"
_LUT = np.zeros(256, dtype=np.uint8)
for _i, _c in enumerate(CHARS):
    _LUT[ord(_c)] = _i + 1


def side_of(n: int) -> int:
    side = int(round(n ** 0.5))
    if side * side != n or not 3 <= side <= 30:
        raise ValueError(f"a maze line has {n} characters, not the n*n of a square maze from 3x3 to 30x30")
    return side


def line_to_tokens(line: str) -> np.ndarray:
    side_of(len(line))
    t = _LUT[np.frombuffer(line.encode(), dtype=np.uint8)]
    if (t == 0).any():
        bad = line[int(np.argmax(t == 0))]
        raise ValueError(f"unexpected character {bad!r} in a maze line")
    return t


def read_csv(path: Path, start: int = 0, stop: int | None = None):
    rows = [r for r in path.read_text().splitlines()[1:] if r.strip()][start:stop]
    q = np.stack([line_to_tokens(r.split(",")[0]) for r in rows])
    a = np.stack([line_to_tokens(r.split(",")[1]) for r in rows])
    return q, a


def training_split():
    return read_csv(MAZE_CSV, 0, HELD_OUT_FROM)


def held_out():
    return read_csv(MAZE_CSV, HELD_OUT_FROM, None)


def generate_pool(path: Path, count: int, seed: int, min_len: int | None = None, side: int = 30):
    """Generated mazes, cached in `path` (the generator is deterministic in its seed). Side 30
    gives Maze-Hard-like mazes (paths longer than `min_len`, default 110); an odd side from 5 to
    29 gives corridor mazes (default: paths longer than the side)."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        cmd = trm_command()
        args = ["generate", "--kind", "maze", "--count", str(count), "--seed", str(seed), "--side", str(side)]
        if min_len is not None:
            args += ["--min-len", str(min_len)]
        out = subprocess.run(cmd + args, check=True, capture_output=True, text=True, cwd=ROOT).stdout
        write_atomic(path, out)
    return read_csv(path)


WALL = 1


def embed(grid: np.ndarray, side: int, r0: int, c0: int) -> np.ndarray:
    """A smaller maze's grid placed at (r0, c0) in a side x side canvas of walls: still a maze of
    `side` in the same tokens, with the same path."""
    out = np.full((side, side), WALL, dtype=grid.dtype)
    out[r0:r0 + grid.shape[0], c0:c0 + grid.shape[1]] = grid
    return out.reshape(-1)


class MazeStream:
    """Endless uniform draws from a pool, each maze under a random dihedral transform.
    Its whole state is a seed and a counter, so a resumed run draws the same mazes.

    `small`: pools of smaller mazes ((questions, answers) of other sides) drawn instead with
    probability `small_prob`, each walled in at a random place of the full side: a curriculum on
    maze size, where the few-step propagation a small maze needs is learned before the long
    one a full-size maze needs."""

    def __init__(self, questions: np.ndarray, answers: np.ndarray, seed: int, small=(), small_prob: float = 0.0):
        self.q, self.a, self.seed = questions, answers, seed
        self.side = side_of(questions.shape[1])
        self.small = [(q, a, side_of(q.shape[1])) for q, a in small]
        self.small_prob = small_prob
        self.samples = 0
        self.curriculum = None

    def _draw(self, i: int):
        rng = np.random.default_rng([self.seed, i])
        qs, as_, n = self.q, self.a, self.side
        if self.small and rng.random() < self.small_prob:
            qs, as_, n = self.small[int(rng.integers(len(self.small)))]
        j = int(rng.integers(len(qs)))
        k = int(rng.integers(8))
        q = dihedral(qs[j].reshape(n, n), k)
        a = dihedral(as_[j].reshape(n, n), k)
        if n == self.side:
            return q.reshape(-1), a.reshape(-1)
        r0, c0 = (int(v) for v in rng.integers(0, self.side - n + 1, size=2))
        return embed(q, self.side, r0, c0), embed(a, self.side, r0, c0)

    def next(self, n: int):
        pairs = [self._draw(self.samples + i) for i in range(n)]
        self.samples += n
        return np.stack([p[0] for p in pairs]), np.stack([p[1] for p in pairs])

    def state(self):
        return {"samples": self.samples}

    def load_state(self, s):
        self.samples = s["samples"]
