"""Seconds per training step (one supervision step of every slot, backward and optimizer
included) of a training preset, for each forward dtype and with or without torch.compile, on
this machine. Process CPU seconds are the figure that compares across machines shared with
other work; wall seconds are printed beside them.

    python3 train/bench_train.py                      # the cpu preset, all four variants
    python3 train/bench_train.py --preset maze11-cpu --steps 20 --threads 1
"""

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from trm.train import GRID_PRESETS, PRESETS, Trainer, TrainConfig, cpu_has_bf16  # noqa: E402


class RandomStream:
    """Examples of the preset's shape with random tokens: the step's cost does not depend on
    what the cells hold."""

    def __init__(self, vocab: int, seq_len: int):
        self.vocab, self.seq_len, self.rng = vocab, seq_len, np.random.default_rng(0)

    def next(self, n: int):
        x = self.rng.integers(1, self.vocab, (n, self.seq_len))
        return x, self.rng.integers(1, self.vocab, (n, self.seq_len))


def seconds_per_step(preset: dict, dtype: str, compile: bool, steps: int, threads: int) -> tuple:
    d = json.loads(json.dumps(preset))
    d["model"]["forward_dtype"] = dtype
    d.update(compile=compile, eval_every=0, log_every=10**9, checkpoint_minutes=1e9, threads=threads)
    cfg = TrainConfig.from_dict(d)
    t = Trainer(cfg, Path(tempfile.mkdtemp()), RandomStream(cfg.model["vocab_size"], cfg.model["seq_len"]))
    for _ in range(5):  # warm-up, and compilation when asked
        t.train_step()
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(steps):
        t.train_step()
    return (time.perf_counter() - wall) / steps, (time.process_time() - cpu) / steps


def main():
    presets = {**PRESETS, **GRID_PRESETS}
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--preset", choices=sorted(presets), default="cpu")
    ap.add_argument("--steps", type=int, default=30)
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), "unknown CPU") if Path("/proc/cpuinfo").exists() else "unknown CPU"
    print(f"preset {a.preset}, {a.threads} threads, {a.steps} steps; {cpu}; bfloat16 in hardware: {cpu_has_bf16()}")
    for dtype in ("float32", "bfloat16"):
        for compile in (False, True):
            w, c = seconds_per_step(presets[a.preset], dtype, compile, a.steps, a.threads)
            print(f"{dtype:9} {'compiled' if compile else 'eager':9} wall {w:.3f} s/step  CPU {c:.3f} s/step", flush=True)


if __name__ == "__main__":
    main()
