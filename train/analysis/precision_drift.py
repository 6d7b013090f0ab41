"""How far float32 rounding carries through the recursion: the same model and puzzles in
float32 and in float64 (every operation, the norms included), supervision step by step.
Engines that agree at step 1 can part later on puzzles where the model is unstable;
this shows how much of that any float32 implementation must expect.

    python3 train/analysis/precision_drift.py --model models/sudoku.safetensors --batch 16 --steps 16

The puzzles are those of the browser benchmark (www/bench/bench.mjs): the examples of
www/examples/sudoku.json, with the digits of the k-th repeat relabelled d -> d + k mod 9.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import trm.model as trm_model  # noqa: E402
from trm.modelfile import load_model_file  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


def benchmark_batch(examples, batch: int):
    tokens, names = [], []
    for i in range(batch):
        ex = examples[i % len(examples)]
        k = i // len(examples)
        tokens.append([1 if ch in ".0" else (int(ch) - 1 + k) % 9 + 2 for ch in ex["puzzle"]])
        names.append(ex["name"] + (f" relabelled +{k}" if k else ""))
    return torch.tensor(tokens, dtype=torch.int32), names


class TRM64(trm_model.TRM):
    @property
    def dtype(self):
        return torch.float64


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", type=Path, default=ROOT / "models/sudoku.safetensors")
    ap.add_argument("--puzzles", type=Path, default=ROOT / "www/examples/sudoku.json")
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--steps", type=int, default=16)
    a = ap.parse_args()
    torch.set_num_threads(1)
    m32, kind, _ = load_model_file(a.model)
    m32.eval()
    m64 = TRM64(m32.cfg).double().eval()
    m64.load_state_dict({k: v.double() for k, v in m32.state_dict().items()})
    # rms_norm computes in float32 whatever comes in (as the reference does for bf16); for
    # the float64 run keep float64 throughout.
    f32_norm = trm_model.rms_norm

    def norm(x, eps):
        if x.dtype == torch.float64:
            return x * torch.rsqrt(x.square().mean(-1, keepdim=True) + eps)
        return f32_norm(x, eps)

    trm_model.rms_norm = norm
    tokens, names = benchmark_batch(json.loads(a.puzzles.read_text()), a.batch)
    ids = torch.zeros(a.batch, dtype=torch.int32)
    y32, z32 = m32.initial_state(a.batch)
    y64, z64 = m64.initial_state(a.batch)
    print(f"{a.model} ({kind}), batch {a.batch}: float32 against float64")
    print("| step | max abs logit diff | puzzles over 0.1 | argmax cells differing |")
    print("|---:|---:|---|---:|")
    with torch.no_grad():
        for step in range(1, a.steps + 1):
            y32, z32, l32, _, _ = m32(y32, z32, tokens, ids)
            y64, z64, _, _, _ = m64(y64, z64, tokens, ids)
            # The f64 model's logits come out cast to f32; recompute them at full precision.
            l64 = (y64 @ m64.lm_head.weight.T)[:, m64.cfg.prefix_len:]
            d = (l32.double() - l64).abs().amax(dim=(1, 2))
            cells = int((l32.argmax(-1) != l64.argmax(-1)).sum())
            over = [str(i) for i, x in enumerate(d.tolist()) if x > 0.1]
            print(f"| {step} | {d.max():.1e} | {', '.join(over) or 'none'} | {cells} |")
    for i, n in enumerate(names):
        print(f"{i}: {n}")


if __name__ == "__main__":
    main()
