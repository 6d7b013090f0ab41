"""Why a maze model copies the maze: its loss and path probability on path cells against the
other open cells, after each supervision step, on mazes with known answers.

    python3 train/analysis/maze_path_loss.py --model train/checkpoints/maze11-cpu/model.safetensors \
        --mazes train/data/mazes11_validation_200_seed987654.csv [--limit 200] [--steps 16]

Prints one line per step: mean stablemax loss and mean P(path) on the path cells and on the
open cells off the path, and the path cells' recall at argmax. A model stuck at copying shows
a path-cell loss that stays high while the rest is near zero, and a recall of 0.
"""
import argparse
import sys
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from trm import maze_data  # noqa: E402
from trm.modelfile import load_model_file  # noqa: E402
from trm.losses import log_stablemax  # noqa: E402

PATH, OPEN = 5, 2


@torch.no_grad()
def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", required=True)
    ap.add_argument("--mazes", required=True, type=Path)
    ap.add_argument("--limit", type=int, default=200)
    ap.add_argument("--steps", type=int, default=16)
    a = ap.parse_args()
    model, kind, _ = load_model_file(a.model)
    if kind != "maze":
        sys.exit(f"{a.model} is a {kind} model, not a maze model")
    model.eval()
    q, ans = maze_data.read_csv(a.mazes, 0, a.limit)
    x = torch.as_tensor(q.astype(np.int64))
    t = torch.as_tensor(ans.astype(np.int64))
    on_path, off_path = t == PATH, (x == OPEN) & (t != PATH)
    y, z = model.initial_state(len(x), device="cpu")
    ids = torch.zeros(len(x), dtype=torch.long)
    print(f"{len(x)} mazes, {int(on_path.sum())} path cells, {int(off_path.sum())} open cells off the path")
    print("step  loss(path)  loss(off)  P(path|path)  P(path|off)  recall")
    for s in range(a.steps):
        y, z, logits, _, _ = model(y, z, x, ids)
        logp = log_stablemax(logits.double(), dim=-1)
        loss = -torch.gather(logp, -1, t.unsqueeze(-1)).squeeze(-1)
        p_path = logp[..., PATH].exp()
        recall = ((logits.argmax(-1) == PATH) & on_path).sum() / on_path.sum()
        print(f"{s + 1:4d}  {loss[on_path].mean():10.3f}  {loss[off_path].mean():9.3f}  "
              f"{p_path[on_path].mean():12.3f}  {p_path[off_path].mean():11.3f}  {recall:6.3f}")


if __name__ == "__main__":
    main()
