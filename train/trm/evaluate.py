"""The Python evaluator: the same figures as `trm eval` (exact puzzles, cells on blanks,
exact per supervision step, mean halting step), for the training loop and for checking
the Rust engine's accuracy on the same model and file."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import torch

from .model import TRM


@torch.no_grad()
def solved_mask(model: TRM, inputs: np.ndarray, labels: np.ndarray, steps: int = 16, batch: int = 256,
                device="cpu") -> np.ndarray:
    """Per puzzle: whether the argmax after the last of `steps` supervision steps is the label
    everywhere (the exact figure of `evaluate`, kept per puzzle)."""
    model.eval()
    out = np.zeros(len(inputs), dtype=bool)
    for i in range(0, len(inputs), batch):
        x = torch.as_tensor(inputs[i:i + batch].astype(np.int64), device=device)
        y_true = torch.as_tensor(labels[i:i + batch].astype(np.int64), device=device)
        ids = torch.zeros(len(x), dtype=torch.long, device=device)
        y, z = model.initial_state(len(x), device=device)
        for _ in range(steps):
            y, z, logits, _, _ = model(y, z, x, ids)
        out[i:i + len(x)] = (logits.argmax(-1) == y_true).all(-1).cpu().numpy()
    return out


@torch.no_grad()
def evaluate(model: TRM, inputs: np.ndarray, labels: np.ndarray, steps: int = 16, batch: int = 256,
             halt_threshold: float = 0.5, device="cpu", puzzle_ids: np.ndarray | None = None,
             scored_token: int = 1) -> dict:
    """Runs every puzzle for `steps` supervision steps (the reference protocol); the answer
    is the argmax after the last step. Cell accuracy counts the cells whose input token is
    `scored_token` (Sudoku: 1, the blanks; mazes: 2, the open cells) or, with
    scored_token=-1, every cell the answer does not leave as PAD (ARC)."""
    model.eval()
    n = len(inputs)
    exact = 0
    cells_right = cells_scored = 0
    per_step = np.zeros(steps, dtype=np.int64)
    halt_sum = 0
    t0 = time.time()
    for i in range(0, n, batch):
        x = torch.as_tensor(inputs[i:i + batch].astype(np.int64), device=device)
        y_true = torch.as_tensor(labels[i:i + batch].astype(np.int64), device=device)
        if puzzle_ids is None:
            ids = torch.zeros(len(x), dtype=torch.long, device=device)
        else:
            ids = torch.as_tensor(puzzle_ids[i:i + batch].astype(np.int64), device=device)
        y, z = model.initial_state(len(x), device=device)
        halt_at = torch.full((len(x),), steps, dtype=torch.long, device=device)
        for s in range(steps):
            y, z, logits, q_halt, _ = model(y, z, x, ids)
            pred = logits.argmax(-1)
            ok = (pred == y_true).all(-1)
            per_step[s] += int(ok.sum())
            first = (torch.sigmoid(q_halt) > halt_threshold) & (halt_at == steps)
            halt_at[first] = s + 1
        exact += int(ok.sum())
        blank = (y_true != 0) if scored_token < 0 else (x == scored_token)
        cells_right += int(((pred == y_true) & blank).sum())
        cells_scored += int(blank.sum())
        halt_sum += int(halt_at.sum())
    return {
        "puzzles": n,
        "exact": exact,
        "exact_accuracy": exact / max(n, 1),
        "cell_accuracy": cells_right / max(cells_scored, 1),
        "exact_per_step": (per_step / max(n, 1)).tolist(),
        "mean_halt_step": halt_sum / max(n, 1),
        "seconds": time.time() - t0,
    }


def main(argv=None):
    from .modelfile import load_model_file
    from .sudoku_data import read_csv_pairs, read_pairs

    ap = argparse.ArgumentParser(description="Evaluate a Sudoku model file (same figures as `trm eval`).")
    ap.add_argument("--model", required=True)
    ap.add_argument("--puzzles", required=True)
    ap.add_argument("--solutions")
    ap.add_argument("--skip", type=int, default=0, help="leave out the first N puzzles (as trm eval --skip)")
    ap.add_argument("--limit", type=int)
    ap.add_argument("--steps", type=int, default=16)
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--device", default="cpu", help="cpu, cuda, ...")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    a = ap.parse_args(argv)
    model, kind, _ = load_model_file(a.model)
    if kind != "sudoku":
        sys.exit(f"error: {a.model} is a {kind} model, not a Sudoku model")
    if a.solutions:
        x, y = read_pairs(Path(a.puzzles), Path(a.solutions), a.skip, a.skip + a.limit if a.limit else None)
    else:
        x, y = read_csv_pairs(Path(a.puzzles))
        x, y = x[a.skip:][:a.limit], y[a.skip:][:a.limit]
    r = evaluate(model.to(a.device), x, y, steps=a.steps, batch=a.batch, device=a.device)
    if a.json:
        print(json.dumps(r))
    else:
        print(f"exact accuracy: {100 * r['exact_accuracy']:.2f}% ({r['exact']} / {r['puzzles']})")
        print(f"cell accuracy on blanks: {100 * r['cell_accuracy']:.2f}%")
        print("exact accuracy after each step (%): " + " ".join(f"{100 * v:.1f}" for v in r["exact_per_step"]))
        print(f"mean halting step: {r['mean_halt_step']:.2f}")


if __name__ == "__main__":
    main()
