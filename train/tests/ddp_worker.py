"""One rank of the DDP test (test_ddp.py starts it under torchrun, or calls `run` in-process
for the one-process comparison): a tiny Sudoku TRM trained on fixed data, its weights and
sample count saved per rank."""

import sys
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from trm.train import Trainer, TrainConfig  # noqa: E402

TINY = dict(vocab_size=11, seq_len=81, hidden_size=16, num_heads=2, expansion=2, L_layers=1, H_cycles=2,
            L_cycles=1, halt_max_steps=4, mlp_t=True, pos_encodings="none", puzzle_emb_ndim=16, puzzle_emb_len=1)
BATCH = 4


class BlockStream:
    """Fixed examples handed out so that `world` ranks together take what one process with
    the whole batch takes: call k gives rank r rows k*B + r*n ... + n of a fixed table, as
    long as every slot halts at once (no exploration, the Q head starting at -5)."""

    curriculum = None

    def __init__(self, rank: int):
        rng = np.random.default_rng(7)
        self.x = rng.integers(1, 11, size=(64, 81)).astype(np.uint8)
        self.y = rng.integers(2, 11, size=(64, 81)).astype(np.uint8)
        self.rank, self.calls, self.samples = rank, 0, 0

    def next(self, n: int):
        start = (self.calls * BATCH + self.rank * n) % len(self.x)
        self.calls += 1
        self.samples += n
        return self.x[start:start + n], self.y[start:start + n]

    def state(self):
        return {"calls": self.calls, "samples": self.samples}

    def load_state(self, s):
        self.calls, self.samples = s["calls"], s["samples"]


def make(run_dir: Path, rank: int = 0) -> Trainer:
    cfg = TrainConfig(model=dict(TINY), batch_size=BATCH, lr=1e-3, lr_warmup_steps=2, eval_every=0, log_every=1,
                      checkpoint_minutes=1e9, threads=1, halt_exploration_prob=0.0)
    return Trainer(cfg, run_dir, BlockStream(rank))


def run(run_dir: Path, steps: int, out: Path):
    t = make(run_dir, int(__import__("os").environ.get("RANK", "0")))
    t.try_resume()
    t.train(max_steps=steps, quiet=True)
    torch.save({"model": t.model.state_dict(), "ema": t.ema.shadow, "samples": t.samples, "step": t.step},
               out.with_suffix(f".rank{t.rank}.pt"))


if __name__ == "__main__":
    run(Path(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3]))
