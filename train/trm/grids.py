"""Dihedral transforms and colour permutations on numpy grids, numbered as the reference's
`dihedral_transform` and crate/src/puzzle/arc.rs (`Dihedral::id`): 0 identity, 1 rot90,
2 rot180, 3 rot270, 4 flip left-right, 5 flip up-down, 6 transpose, 7 anti-transpose.
tests/test_grids.py checks them against the Rust CLI's augmentations."""

from __future__ import annotations

import numpy as np

PUZZLE_ID_SEPARATOR = "|||"


def dihedral(g: np.ndarray, k: int) -> np.ndarray:
    if k == 0:
        return g
    if k in (1, 2, 3):
        return np.rot90(g, k)
    if k == 4:
        return np.fliplr(g)
    if k == 5:
        return np.flipud(g)
    if k == 6:
        return g.T
    if k == 7:
        return np.rot90(g, 2).T
    raise ValueError(f"dihedral id {k} is outside 0..7")


def inverse_dihedral(k: int) -> int:
    return {1: 3, 3: 1}.get(k, k)


def random_colour_map(rng: np.random.Generator) -> np.ndarray:
    """0 (the background) stays; 1..9 are shuffled, as the reference augments ARC."""
    return np.concatenate([[0], rng.permutation(9) + 1]).astype(np.uint8)


def puzzle_name(task: str, k: int, colours: np.ndarray) -> str:
    """The reference's name of `task` under an augmentation; the bare id for the identity."""
    if k == 0 and (colours == np.arange(10)).all():
        return task
    digits = "".join(str(int(c)) for c in colours)
    return f"{task}{PUZZLE_ID_SEPARATOR}t{k}{PUZZLE_ID_SEPARATOR}{digits}"
