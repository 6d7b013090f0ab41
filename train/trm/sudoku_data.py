"""Sudoku training data: puzzle pools, held-out splits, and an endless, resumable stream
of augmented puzzles with an optional curriculum.

Tokens as docs/MODEL.md: 0 PAD, 1 blank, digit d -> d + 1.

Held out from training (never read by the stream):
- `tdoku_unbiased_first1000.txt`: all 1000 puzzles;
- `sudoku_extreme_train_subsample.txt`: the last 200 lines (777..976, 1-based);
- `tdoku_17_clue_sample10k.txt`: the last 1000 lines (9001..10000).
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import numpy as np

from . import DATA, ROOT, write_atomic
from .rust import trm_command

SUDOKU_DATA = DATA / "sudoku"

# (file, first held-out line index (0-based), or 0 for all of it)
HELD_OUT = {
    "tdoku_unbiased_first1000.txt": 0,
    "sudoku_extreme_train_subsample.txt": 776,
    "tdoku_17_clue_sample10k.txt": 9000,
}


def line_to_tokens(line: str) -> np.ndarray:
    s = line.strip()
    if len(s) != 81:
        raise ValueError(f"expected 81 characters, got {len(s)}: {s[:20]!r}...")
    a = np.frombuffer(s.replace(".", "0").encode(), dtype=np.uint8) - ord("0")
    if a.max() > 9:
        raise ValueError(f"bad character in {s!r}")
    return a.astype(np.uint8) + 1  # blank 0 -> 1, digit d -> d + 1


def tokens_to_line(tokens: np.ndarray) -> str:
    """The 81-character line of `line_to_tokens`, `.` for blanks."""
    return "".join("." if t == 1 else str(int(t) - 1) for t in tokens)


def read_pairs(puzzles: Path, solutions: Path, start: int = 0, stop: Optional[int] = None):
    p = puzzles.read_text().split()
    s = solutions.read_text().split()
    if len(p) != len(s):
        raise ValueError(f"{puzzles}: {len(p)} puzzles but {len(s)} solutions")
    p, s = p[start:stop], s[start:stop]
    return np.stack([line_to_tokens(x) for x in p]), np.stack([line_to_tokens(x) for x in s])


def read_csv_pairs(path: Path):
    inputs, labels = [], []
    for line in path.read_text().splitlines():
        if "," not in line:
            continue
        a, b = line.split(",")[:2]
        inputs.append(line_to_tokens(a))
        labels.append(line_to_tokens(b))
    return np.stack(inputs), np.stack(labels)


def dataset_split(name: str, held_out: bool, root: Path = SUDOKU_DATA):
    """The training or held-out part of one Sudoku file of data/sudoku."""
    first_held = HELD_OUT[name]
    sl = (first_held, None) if held_out else (0, first_held)
    return read_pairs(root / name, root / "solutions" / name, *sl)


def training_datasets(root: Path = SUDOKU_DATA):
    parts = [dataset_split(n, held_out=False, root=root) for n, first in HELD_OUT.items() if first > 0]
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


EXTREME = "sudoku_extreme_train_subsample.txt"


def group_weights(sizes: list, fractions: list) -> np.ndarray:
    """Per-row sampling weights for consecutive groups of rows: a group with a fraction gets
    that share of the samples, spread evenly over its rows; rows of groups without one (None)
    share what is left, uniformly, as if those groups were one."""
    fixed = sum(f for f in fractions if f is not None)
    if any(f is not None and not 0 <= f <= 1 for f in fractions) or fixed > 1:
        raise ValueError(f"sampling fractions must be in [0, 1] and sum to at most 1, got {fractions}")
    free = sum(n for n, f in zip(sizes, fractions) if f is None)
    if free == 0 and fixed < 1:
        raise ValueError(f"sampling fractions {fractions} leave {1 - fixed:.3f} of the samples to no rows")
    parts = [np.full(n, (f if f is not None else (1 - fixed) * n / free) / max(n, 1)) for n, f in zip(sizes, fractions)]
    return np.concatenate(parts)


def generate_pool(path: Path, count: int, seed: int, difficulty: str = "minimal", trm_bin: Optional[str] = None,
                  min_guesses: int = 0):
    """Unique-solution puzzles from the Rust generator (`trm generate`), cached in `path`;
    with `min_guesses`, only those the backtracking solver needs that many guesses for."""
    if path.exists():
        return read_csv_pairs(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    cmd = [trm_bin] if trm_bin else trm_command()
    cmd += ["generate", "--count", str(count), "--difficulty", difficulty, "--seed", str(seed)]
    if min_guesses:
        cmd += ["--min-guesses", str(min_guesses)]
    out = subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True, text=True).stdout
    write_atomic(path, out)
    return read_csv_pairs(path)


def random_augmentations(rng: np.random.Generator, n: int):
    """n (digit map over tokens, cell permutation) pairs, as arrays (n, 11) and (n, 81), of
    validity-preserving Sudoku symmetries: digit permutation, transpose, band/stack shuffles,
    row/column shuffles inside them. Drawn for a whole batch at once: a GPU step takes
    hundreds of fresh samples, which a per-sample loop (25 us each) would keep it waiting for."""
    def perms(*shape):  # independent random permutations along the last axis
        return rng.random(shape).argsort(-1)

    digits = np.concatenate([np.tile([0, 1], (n, 1)), perms(n, 9) + 2], 1)  # PAD and blank stay put
    rows = (perms(n, 3)[:, :, None] * 3 + perms(n, 3, 3)).reshape(n, 9)
    cols = (perms(n, 3)[:, :, None] * 3 + perms(n, 3, 3)).reshape(n, 9)
    base = np.arange(81).reshape(9, 9)
    grids = np.where((rng.random(n) < 0.5)[:, None, None], base.T, base)
    cells = grids[np.arange(n)[:, None, None], rows[:, :, None], cols[:, None, :]].reshape(n, 81)
    return digits.astype(np.uint8), cells


def random_augmentation(rng: np.random.Generator):
    """One (digit map, cell permutation) pair: `random_augmentations` for a single sample."""
    digits, cells = random_augmentations(rng, 1)
    return digits[0], cells[0]


def apply_augmentation(tokens: np.ndarray, aug) -> np.ndarray:
    """Tokens (81,) or (n, 81) through one augmentation or n of them, row by row."""
    digits, cells = aug
    if cells.ndim == 1:
        return digits[tokens[..., cells]]
    moved = np.take_along_axis(tokens, cells, -1).astype(np.intp)
    return np.take_along_axis(digits, moved, -1).astype(tokens.dtype)


@dataclass
class Curriculum:
    """Reveal extra solution cells early in training: a superset of a unique puzzle's givens
    is still unique, so any puzzle can be made easier. `reveal` blanks are filled at the
    start, shrinking linearly to none at `until` samples."""

    reveal: float = 0.0  # fraction of blanks revealed at the start (0 = no curriculum)
    until: int = 0  # samples over which it decays to 0

    def fraction(self, samples_seen: int) -> float:
        if self.reveal <= 0 or self.until <= 0:
            return 0.0
        return self.reveal * max(0.0, 1.0 - samples_seen / self.until)


class SudokuStream:
    """Endless augmented samples from a pool of (inputs, labels). Its whole state is the
    numpy generator's state and a sample count, so a checkpoint can resume it exactly."""

    def __init__(self, inputs: np.ndarray, labels: np.ndarray, seed: int, curriculum: Curriculum = Curriculum(),
                 augment: bool = True, weights: Optional[np.ndarray] = None):
        """`weights`: relative sampling weight per puzzle (None: uniform)."""
        assert inputs.shape == labels.shape and inputs.shape[1] == 81
        self.inputs, self.labels = inputs, labels
        self.p = None if weights is None else np.asarray(weights, dtype=np.float64) / np.sum(weights)
        self.rng = np.random.default_rng(seed)
        self.curriculum = curriculum
        self.augment = augment
        self.samples = 0

    def next(self, n: int):
        if self.p is None:
            idx = self.rng.integers(0, len(self.inputs), size=n)
        else:
            idx = self.rng.choice(len(self.inputs), size=n, p=self.p)
        x, y = self.inputs[idx].copy(), self.labels[idx].copy()
        frac = self.curriculum.fraction(self.samples)
        if frac > 0:
            blanks = x == 1
            reveal = blanks & (self.rng.random(x.shape) < frac)
            x[reveal] = y[reveal]
        if self.augment:
            aug = random_augmentations(self.rng, n)
            x, y = apply_augmentation(x, aug), apply_augmentation(y, aug)
        self.samples += n
        return x, y

    def state(self) -> dict:
        return {"rng": self.rng.bit_generator.state, "samples": self.samples}

    def load_state(self, s: dict):
        self.rng.bit_generator.state = s["rng"]
        self.samples = s["samples"]
