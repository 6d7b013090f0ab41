"""Seconds per supervision step of our PyTorch model (inference, float32), for comparing
with `trm bench` on the same configuration and batch.

    python3 train/bench_torch.py --model models/sudoku.safetensors --batch 1 --threads 1
    python3 train/bench_torch.py --random sudoku --batch 8 --device cuda
"""

import argparse
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))

from trm.model import TRM, TRMConfig  # noqa: E402
from trm.modelfile import load_model_file  # noqa: E402

PRESETS = {
    "sudoku": dict(vocab_size=11, seq_len=81, hidden_size=512, H_cycles=3, L_cycles=6, mlp_t=True,
                   pos_encodings="none", puzzle_emb_ndim=512, puzzle_emb_len=16),
    "arc": dict(vocab_size=12, seq_len=900, hidden_size=512, num_heads=8, H_cycles=3, L_cycles=4, mlp_t=False,
                pos_encodings="rope", puzzle_emb_ndim=512, puzzle_emb_len=16),
}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", type=Path)
    ap.add_argument("--random", choices=sorted(PRESETS))
    ap.add_argument("--batch", type=int, default=1)
    ap.add_argument("--steps", type=int, default=4)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--compile", action="store_true")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    if a.model:
        model, _, _ = load_model_file(a.model)
    elif a.random:
        model = TRM(TRMConfig(**PRESETS[a.random]))
    else:
        sys.exit("give --model or --random")
    model = model.to(a.device).eval()
    cfg = model.cfg
    step = torch.compile(model) if a.compile else model
    tokens = torch.randint(1, cfg.vocab_size, (a.batch, cfg.seq_len), device=a.device)
    ids = torch.zeros(a.batch, dtype=torch.long, device=a.device)
    sync = torch.cuda.synchronize if a.device.startswith("cuda") else (lambda: None)
    with torch.inference_mode():
        y, z = model.initial_state(a.batch, a.device)
        y, z, *_ = step(y, z, tokens, ids)  # warm-up
        sync()
        t0 = time.perf_counter()
        for _ in range(a.steps):
            y, z, logits, q, _ = step(y, z, tokens, ids)
            logits.argmax(-1).cpu()
        sync()
        per = (time.perf_counter() - t0) / a.steps
    print(f"torch {torch.__version__} on {a.device} ({a.threads} threads), batch {a.batch}")
    print(f"seconds per supervision step: {per:.4f}")
    print(f"puzzles per second (one step each): {a.batch / per:.2f}")


if __name__ == "__main__":
    main()
