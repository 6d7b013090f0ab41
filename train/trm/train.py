"""Deep supervision with ACT, as the reference trains TRM (docs/MODEL.md, "Training recipe").

A batch of B slots; every optimizer step runs one supervision step for every slot. A slot
halts when it has run halt_max_steps steps or when q_halt > 0, except that with
probability `halt_exploration_prob` halting waits until a random minimum step in
2..halt_max_steps; a halted slot takes the next example and restarts from H_init/L_init.
Loss per step: token cross entropy (stablemax) + 0.5 * BCE(q_halt, answer exact).

Everything that decides the future of a run is in its checkpoint (weights, EMA,
optimizer, the slots' carried y/z and examples, the data stream and random generators),
so a resumed run continues the same curve.
"""

from __future__ import annotations

import dataclasses
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import numpy as np
import torch
import torch.distributed as dist

from .evaluate import evaluate
from .losses import IGNORE, act_loss
from .model import TRM, TRMConfig
from .modelfile import load_model_file, save_model_file
from .optim import EMA, AdamATan2, scheduled_lr


@dataclass
class TrainConfig:
    model: dict
    batch_size: int = 768  # global, over all ranks
    lr: float = 1e-4
    lr_warmup_steps: int = 2000
    weight_decay: float = 1.0
    betas: tuple = (0.9, 0.95)
    puzzle_emb_lr: float = 1e-4
    puzzle_emb_weight_decay: float = 1.0
    ema: float = 0.999
    halt_exploration_prob: float = 0.1
    loss_type: str = "stablemax"
    grad_clip: float = 0.0  # 0: off, as the reference
    # How many of the T cycles of a supervision step, counted from the last, gradients flow
    # through. The paper: 1 (its "1-step gradient"); more costs backward passes and memory for
    # the chance that the earlier cycles learn to make the last one's job easier.
    grad_cycles: int = 1
    # {label token (as a string, JSON keys): loss weight}; empty is the reference's loss.
    token_weights: dict = field(default_factory=dict)
    # Data
    pool_size: int = 100_000
    pool_difficulty: str = "minimal"
    use_shared_train: bool = True
    curriculum_reveal: float = 0.0
    curriculum_until: int = 0
    # Sudoku: a pool of generated puzzles that need at least `hard_min_guesses` backtracking
    # guesses (`trm generate --min-guesses`), drawn for `hard_fraction` of the samples.
    hard_pool_size: int = 0
    hard_min_guesses: int = 20
    hard_fraction: float = 0.0
    # Sudoku: the share of samples drawn from the Sudoku-Extreme training lines (1-776 of
    # data/sudoku's subsample; 0: uniform over all rows like any other, about 0.7% of samples).
    # The paper trains on Extreme puzzles alone; our generated pool is far easier.
    extreme_fraction: float = 0.0
    # Sudoku: a `puzzle,solution` CSV (a path relative to the repository) drawn for
    # `mined_fraction` of the samples: puzzles a model got wrong (train/mine_sudoku.py) or
    # neighbours of the Extreme training lines (`trm generate --vicinity-of`).
    mined_pool: str = ""
    mined_fraction: float = 0.0
    # Schedule
    # Linear decay of every learning rate to 0 over lr_cooldown_steps from step
    # lr_cooldown_from (0 steps: constant after warm-up, as the reference).
    lr_cooldown_from: int = 0
    lr_cooldown_steps: int = 0
    max_steps: int = 1_000_000
    max_minutes: float = 0.0  # 0: no time limit
    # Stop once the training steps have used this much process CPU time (0: no limit).
    # Recipe comparisons are judged at equal CPU-seconds; wall time would also count the
    # evaluations and whatever else shares the machine.
    max_cpu_seconds: float = 0.0
    log_every: int = 50
    eval_every: int = 1000
    eval_puzzles: int = 200
    checkpoint_minutes: float = 10.0
    seed: int = 0
    threads: int = 0  # torch CPU threads; 0 leaves torch's default
    # torch.compile the network of the training step: it fuses the many small element-wise
    # ops around each matmul, which dominate a D=128 model on a CPU (BENCHMARKS.md, "Training step").
    compile: bool = False
    # A model file (e.g. the EMA weights a lent GPU brought back, scripts/device-train.sh)
    # whose weights start a new run in place of a random initialization; the optimizer, the
    # data stream and the schedule start fresh. A resumed run ignores it.
    init_from: str = ""
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_dict(cls, d: dict) -> "TrainConfig":
        names = {f.name for f in dataclasses.fields(cls)}
        unknown = set(d) - names
        if unknown:
            raise ValueError(f"unknown training options: {sorted(unknown)}")
        return cls(**d)


PRESETS = {
    # Small and fast enough to learn on one CPU core; chosen by accuracy per CPU-hour
    # (see models/MODEL_CARD.md for the measurements behind it).
    # A bfloat16 forward where the CPU has it in hardware and a compiled step: 0.27 CPU-s per
    # step against 0.87 in float32, eager, on the 2-core Xeon with AMX (BENCHMARKS.md).
    "cpu": dict(
        model=dict(vocab_size=11, seq_len=81, hidden_size=128, expansion=4, L_layers=2, H_cycles=2, L_cycles=2,
                   mlp_t=True, pos_encodings="none", puzzle_emb_ndim=128, puzzle_emb_len=1, forward_dtype="auto"),
        compile=True,
        batch_size=64, lr=1e-3, lr_warmup_steps=100, weight_decay=0.1, puzzle_emb_lr=1e-3,
        puzzle_emb_weight_decay=0.1, curriculum_reveal=0.7, curriculum_until=30_000, eval_every=500,
        eval_puzzles=200, threads=1,
    ),
    # The paper's TRM-MLP Sudoku run on one GPU (bf16 activations).
    "gpu": dict(
        model=dict(vocab_size=11, seq_len=81, hidden_size=512, expansion=4, L_layers=2, H_cycles=3, L_cycles=6,
                   mlp_t=True, pos_encodings="none", puzzle_emb_ndim=512, puzzle_emb_len=16,
                   forward_dtype="bfloat16"),
        batch_size=768, lr=1e-4, lr_warmup_steps=2000, weight_decay=1.0, puzzle_emb_lr=1e-4,
        puzzle_emb_weight_decay=1.0, eval_every=2000, eval_puzzles=1000,
    ),
}
# Many GPUs: the same recipe; torchrun --nproc_per_node=N splits the global batch.
PRESETS["ddp"] = PRESETS["gpu"]
# The paper's model for a run of minutes (a lent GPU, scripts/device-train.sh): about 30
# TFLOP per optimizer step at batch 768, so a few thousand steps, where the paper's 2,000
# warm-up steps at lr 1e-4 would be most of the run. The schedule borrows what one CPU core
# measured to pay (lr 1e-3 scaled down for the 4x wider model, weight decay 0.1, the
# curriculum, scaled to the samples such a run sees); not yet measured on a GPU.
PRESETS["gpu-short"] = {
    **PRESETS["gpu"],
    **dict(lr=3e-4, lr_warmup_steps=200, weight_decay=0.1, puzzle_emb_lr=3e-4, puzzle_emb_weight_decay=0.1,
           curriculum_reveal=0.7, curriculum_until=100_000, eval_every=500, checkpoint_minutes=5.0),
}

# 30x30 grids (train/train_grid.py). The paper's TRM-Att (D=512, 8 heads, T=3, n=4, RoPE,
# 16 prefix rows) for one GPU; a small attention model for a CPU core, where a paper-size step
# on 916 tokens would take minutes per batch.
GRID_PRESETS = {
    "maze-cpu": dict(
        model=dict(vocab_size=6, seq_len=900, hidden_size=64, num_heads=4, expansion=4, L_layers=2, H_cycles=2,
                   L_cycles=2, mlp_t=False, pos_encodings="rope", puzzle_emb_ndim=64, puzzle_emb_len=1),
        batch_size=16, lr=1e-3, lr_warmup_steps=100, weight_decay=0.1, puzzle_emb_lr=1e-3,
        puzzle_emb_weight_decay=0.1, eval_every=500, eval_puzzles=50, threads=1, pool_size=5_000,
        log_every=20,
    ),
    # Corridor mazes of side 11 (train/train_grid.py generates them): 121 cells, so a step costs
    # a seventh of a 30x30 one and a CPU core can teach a model to find paths. D=64: 0.85
    # CPU-s per step against 2.2 at D=128 (measured), and a rule this local needs little width.
    # mlp_t, not attention: with 1-D RoPE over the flattened grid, attention had not learned to
    # tell path cells from the rest after 1,040 steps, while mlp_t (which can learn each cell's
    # four neighbours directly) recalled half the path by step 1,000 (models/MODEL_CARD.md).
    "maze11-cpu": dict(
        model=dict(vocab_size=6, seq_len=121, hidden_size=64, num_heads=4, expansion=4, L_layers=2, H_cycles=2,
                   L_cycles=2, mlp_t=True, pos_encodings="none", puzzle_emb_ndim=64, puzzle_emb_len=1,
                   forward_dtype="auto"),
        compile=True,
        batch_size=64, lr=1e-3, lr_warmup_steps=100, weight_decay=0.1, puzzle_emb_lr=1e-3,
        puzzle_emb_weight_decay=0.1, eval_every=250, eval_puzzles=200, threads=1, pool_size=100_000,
        log_every=20,
    ),
    "maze-gpu": dict(
        model=dict(vocab_size=6, seq_len=900, hidden_size=512, num_heads=8, expansion=4, L_layers=2, H_cycles=3,
                   L_cycles=4, mlp_t=False, pos_encodings="rope", puzzle_emb_ndim=512, puzzle_emb_len=16,
                   forward_dtype="bfloat16"),
        batch_size=768, lr=1e-4, lr_warmup_steps=2000, weight_decay=1.0, puzzle_emb_lr=1e-4,
        puzzle_emb_weight_decay=1.0, eval_every=2000, eval_puzzles=200, pool_size=100_000,
    ),
    "arc-cpu": dict(
        model=dict(vocab_size=12, seq_len=900, hidden_size=64, num_heads=4, expansion=4, L_layers=2, H_cycles=2,
                   L_cycles=2, mlp_t=False, pos_encodings="rope", puzzle_emb_ndim=64, puzzle_emb_len=1),
        batch_size=16, lr=1e-3, lr_warmup_steps=100, weight_decay=0.1, puzzle_emb_lr=1e-2,
        puzzle_emb_weight_decay=0.1, eval_every=500, eval_puzzles=50, threads=1, log_every=20,
        extra=dict(augmentations=8),
    ),
    # ARC on a 10x10 canvas (issue #41): the 178 training and 77 evaluation tasks whose every
    # grid fits, 100 cells against 900. mlp_t, D=128, as the CPU Sudoku model: mlp_t beat
    # attention at equal CPU on Sudoku and on 11x11 mazes (models/MODEL_CARD.md).
    "arc10-cpu": dict(
        model=dict(vocab_size=12, seq_len=100, hidden_size=128, num_heads=4, expansion=4, L_layers=2, H_cycles=2,
                   L_cycles=2, mlp_t=True, pos_encodings="none", puzzle_emb_ndim=128, puzzle_emb_len=1,
                   forward_dtype="auto"),
        compile=True,
        batch_size=64, lr=1e-3, lr_warmup_steps=100, weight_decay=0.1, puzzle_emb_lr=1e-2,
        puzzle_emb_weight_decay=0.1, eval_every=250, eval_puzzles=200, threads=1, log_every=20,
        extra=dict(augmentations=8),
    ),
    "arc-gpu": dict(
        model=dict(vocab_size=12, seq_len=900, hidden_size=512, num_heads=8, expansion=4, L_layers=2, H_cycles=3,
                   L_cycles=4, mlp_t=False, pos_encodings="rope", puzzle_emb_ndim=512, puzzle_emb_len=16,
                   forward_dtype="bfloat16"),
        batch_size=768, lr=1e-4, lr_warmup_steps=2000, weight_decay=0.1, puzzle_emb_lr=1e-2,
        puzzle_emb_weight_decay=0.1, eval_every=2000, eval_puzzles=400, extra=dict(augmentations=1000),
    ),
}


def distributed(device: torch.device) -> tuple[int, int, int]:
    """(rank, world size, local rank) under torchrun; (0, 1, 0) in a plain process."""
    if "WORLD_SIZE" in os.environ and int(os.environ["WORLD_SIZE"]) > 1:
        if not dist.is_initialized():
            dist.init_process_group("nccl" if device.type == "cuda" else "gloo")
        return dist.get_rank(), dist.get_world_size(), int(os.environ.get("LOCAL_RANK", "0"))
    return 0, 1, 0


def rank_device(device: torch.device, world: int, local_rank: int) -> torch.device:
    """torchrun starts one process per GPU: under it a bare "cuda" means the GPU of the
    process's local rank; an explicit index, the CPU, or a one-process run stay as given."""
    if world > 1 and device.type == "cuda" and device.index is None:
        return torch.device("cuda", local_rank)
    return device


class Carry:
    """The B slots of deep supervision: their y, z, step counts, halted flags and examples."""

    def __init__(self, model: TRM, batch: int, device):
        self.y, self.z = model.initial_state(batch, device)
        self.steps = torch.zeros(batch, dtype=torch.long, device=device)
        self.halted = torch.ones(batch, dtype=torch.bool, device=device)  # all take data at once
        self.inputs = torch.ones(batch, model.cfg.seq_len, dtype=torch.long, device=device)
        self.labels = torch.ones(batch, model.cfg.seq_len, dtype=torch.long, device=device)
        # Puzzle-table rows (ARC: task x augmentation); 0 for kinds with one shared row.
        self.ids = torch.zeros(batch, dtype=torch.long, device=device)

    def state(self):
        return {k: getattr(self, k) for k in ("y", "z", "steps", "halted", "inputs", "labels", "ids")}

    def load(self, s):
        # y and z take this run's forward dtype: a run may resume on a machine that computes
        # in another (resolve_forward_dtype).
        # A run may resume with another batch size (a GPU takes many more slots than a CPU
        # core): the first slots carry on where they were, extra slots start halted (they take
        # fresh examples at the next step), and slots beyond the new batch are dropped.
        for k, v in s.items():
            mine = getattr(self, k)
            v = v.to(mine.device, mine.dtype if k in ("y", "z") else v.dtype)
            if len(v) != len(mine):
                kept, n = mine.clone(), min(len(v), len(mine))
                kept[:n] = v[:n]
                v = kept
            setattr(self, k, v)


def cpu_has_bf16() -> bool:
    """Whether this CPU multiplies bfloat16 in hardware (AMX or AVX512-BF16). Elsewhere oneDNN
    emulates it, slower than float32."""
    try:
        flags = Path("/proc/cpuinfo").read_text()
    except OSError:
        return False
    return any(f in flags.split() for f in ("amx_bf16", "avx512_bf16"))


def resolve_forward_dtype(choice: str, device: torch.device) -> str:
    """The model's "auto" forward dtype on this machine: bfloat16 on a GPU and on a CPU with
    bfloat16 in hardware (a training step in about 0.51x the CPU time of float32 on the
    2-core Xeon with AMX, both eager, BENCHMARKS.md), float32 elsewhere. Weights, optimizer, EMA and
    evaluation stay float32 either way; the paper trains with a bfloat16 forward too."""
    if choice != "auto":
        return choice
    return "bfloat16" if device.type == "cuda" or (device.type == "cpu" and cpu_has_bf16()) else "float32"


def weights_config(model: dict) -> dict:
    """The part of a model configuration that the weights depend on. The forward dtype is how a
    machine computes, and T and n (H_cycles, L_cycles) are how often the same weights are
    applied, so a run may go on, or start from a model file, with a deeper recursion."""
    return {k: v for k, v in model.items() if k not in ("forward_dtype", "H_cycles", "L_cycles")}


class Trainer:
    def __init__(self, cfg: TrainConfig, run_dir: Path, stream, eval_set=None, device="cpu", kind="sudoku",
                 puzzle_rows=None, scored_token: int = 1):
        """`stream.next(n)` gives (inputs, labels) or (inputs, labels, puzzle ids); `eval_set` is
        (inputs, labels) or (inputs, labels, puzzle ids); `puzzle_rows` names the puzzle table's
        rows in the exported model file."""
        self.cfg, self.run_dir, self.stream, self.eval_set = cfg, Path(run_dir), stream, eval_set
        self.side_evals: dict = {}
        self.kind, self.puzzle_rows, self.scored_token = kind, puzzle_rows, scored_token
        self.device = torch.device(device)
        self.rank, self.world, local_rank = distributed(self.device)
        self.device = rank_device(self.device, self.world, local_rank)
        if self.device.index is not None and self.device.type == "cuda":
            torch.cuda.set_device(self.device)  # NCCL and all_gather_object use the current device
        if cfg.batch_size % self.world:
            raise ValueError(f"batch {cfg.batch_size} does not split over {self.world} ranks")
        self.local_batch = cfg.batch_size // self.world
        if cfg.threads:
            torch.set_num_threads(cfg.threads)
        torch.manual_seed(cfg.seed)
        model = {**cfg.model, "forward_dtype": resolve_forward_dtype(cfg.model.get("forward_dtype", "float32"), self.device)}
        self.model_cfg = TRMConfig(**model)
        if not 1 <= cfg.grad_cycles <= self.model_cfg.H_cycles:
            raise ValueError(f"grad_cycles {cfg.grad_cycles} must be between 1 and the model's "
                             f"T (H_cycles = {self.model_cfg.H_cycles})")
        self.model = TRM(self.model_cfg).to(self.device)
        if cfg.init_from:
            self.init_weights(Path(cfg.init_from))
        self.net = self.model
        if self.world > 1:
            ids = [self.device.index] if self.device.type == "cuda" else None
            self.net = torch.nn.parallel.DistributedDataParallel(self.model, device_ids=ids)
        if cfg.compile:
            self.net = torch.compile(self.net)
        emb = [p for n, p in self.model.named_parameters() if n.startswith("puzzle_emb.")]
        rest = [p for n, p in self.model.named_parameters() if not n.startswith("puzzle_emb.")]
        groups = [dict(params=rest, lr=cfg.lr, weight_decay=cfg.weight_decay, base_lr=cfg.lr)]
        if emb:
            groups.append(dict(params=emb, lr=cfg.puzzle_emb_lr, weight_decay=cfg.puzzle_emb_weight_decay,
                               base_lr=cfg.puzzle_emb_lr))
        self.opt = AdamATan2(groups, lr=cfg.lr, betas=tuple(cfg.betas))
        self.ema = EMA(self.model, cfg.ema)
        self.gen = torch.Generator(device="cpu").manual_seed(cfg.seed + 1 + self.rank)
        self.carry = Carry(self.model, self.local_batch, self.device)
        self.step = 0
        self.samples = 0
        self.train_seconds = 0.0
        # Process CPU time of training steps: wall time overstates the compute when other
        # jobs share the machine, and accuracy per CPU-hour is what presets are chosen by.
        self.cpu_seconds = 0.0
        self.best_eval: Optional[dict] = None

    def init_weights(self, path: Path):
        start, _, _ = load_model_file(path)
        have, want = weights_config(dataclasses.asdict(start.cfg)), weights_config(dataclasses.asdict(self.model_cfg))
        if have != want:
            diff = sorted(k for k in have if have[k] != want.get(k))
            raise ValueError(f"init_from {path} holds another model (differs in {', '.join(diff)})")
        self.model.load_state_dict(start.state_dict())

    # -- checkpoints -------------------------------------------------------------------
    @property
    def ckpt_path(self) -> Path:
        return self.run_dir / "checkpoint.pt"

    def rank_state(self) -> dict:
        """What differs between ranks: each one's slots, data stream and generators."""
        return {
            "carry": {k: v.cpu() for k, v in self.carry.state().items()},
            "stream": self.stream.state(),
            "gen": self.gen.get_state(),
            "torch_rng": torch.get_rng_state(),
        }

    def save_checkpoint(self):
        """Collective under torchrun: every rank hands its slots and stream to rank 0, which
        writes one file (rank 0's state at the top level, as a one-process run writes it)."""
        mine = self.rank_state()
        ranks = [mine]
        if self.world > 1:
            ranks = [None] * self.world
            dist.all_gather_object(ranks, mine)
        if self.rank != 0:
            return
        self.run_dir.mkdir(parents=True, exist_ok=True)
        state = {
            "config": dataclasses.asdict(self.cfg),
            "model": self.model.state_dict(),
            "ema": self.ema.state_dict(),
            "opt": self.opt.state_dict(),
            **ranks[0],
            "world": self.world,
            "other_ranks": ranks[1:],
            "step": self.step,
            "samples": self.samples,
            "train_seconds": self.train_seconds,
            "cpu_seconds": self.cpu_seconds,
            "best_eval": self.best_eval,
        }
        tmp = self.ckpt_path.with_suffix(".tmp")
        torch.save(state, tmp)
        tmp.replace(self.ckpt_path)
        self.export(self.run_dir / "model.safetensors")

    def try_resume(self) -> bool:
        if not self.ckpt_path.exists():
            return False
        s = torch.load(self.ckpt_path, map_location=self.device, weights_only=False)
        if weights_config(s["config"]["model"]) != weights_config(self.cfg.model):
            raise ValueError(f"{self.ckpt_path} holds a different model configuration; use a new run folder")
        saved_world = s.get("world", 1)
        if saved_world != self.world:
            # Each rank's slots hold half-refined examples of its own data stream; spreading
            # them over another number of ranks would not continue the same run.
            raise ValueError(f"{self.ckpt_path} was written by {saved_world} process(es); resume it with the same "
                             f"number (torchrun --nproc_per_node={saved_world}, or no torchrun for 1), "
                             f"or start a new run folder")
        self.model.load_state_dict(s["model"])
        self.ema.load_state_dict(s["ema"], step=s["step"])
        # The optimizer's saved groups carry the learning rates and weight decays they were
        # made with; the run's configuration (which --set may have changed) decides them now.
        fresh = [(g["base_lr"], g["weight_decay"]) for g in self.opt.param_groups]
        self.opt.load_state_dict(s["opt"])
        for g, (base_lr, wd) in zip(self.opt.param_groups, fresh):
            g["base_lr"], g["weight_decay"] = base_lr, wd
        mine = s if self.rank == 0 else s["other_ranks"][self.rank - 1]
        self.carry.load(mine["carry"])
        self.stream.load_state(mine["stream"])
        # Loaded onto the run's device with the rest; generator states live on the CPU.
        self.gen.set_state(mine["gen"].cpu())
        torch.set_rng_state(mine["torch_rng"].cpu())
        self.step, self.samples = s["step"], s["samples"]
        self.train_seconds, self.best_eval = s["train_seconds"], s["best_eval"]
        # Runs from before CPU time was kept count their wall time.
        self.cpu_seconds = s.get("cpu_seconds", s["train_seconds"])
        return True

    def ema_model(self) -> TRM:
        m = TRM(dataclasses.replace(self.model_cfg, forward_dtype="float32")).to(self.device)
        m.load_state_dict(self.ema.shadow)
        return m

    def export(self, path: Path, dtype: str = "f32"):
        cfg = dataclasses.replace(self.model_cfg, forward_dtype="float32")
        save_model_file(path, cfg, self.ema.shadow, self.kind, puzzle_rows=self.puzzle_rows, dtype=dtype)

    # -- one optimizer step ----------------------------------------------------------------
    def train_step(self) -> dict:
        cfg, c, m = self.cfg, self.carry, self.model
        H = self.model_cfg.halt_max_steps
        filled = 0
        if c.halted.any():
            idx = c.halted.nonzero().squeeze(-1)
            filled = len(idx)
            x, y, *ids = self.stream.next(len(idx))
            if ids:
                c.ids[idx] = torch.as_tensor(ids[0].astype(np.int64), device=self.device)
            c.inputs[idx] = torch.as_tensor(x.astype(np.int64), device=self.device)
            # PAD cells (token 0: ARC's canvas outside the answer frame) are no target, as the
            # reference's ignore_label_id = 0: neither in the loss nor in "exact" for q_halt.
            labels = torch.as_tensor(y.astype(np.int64), device=self.device)
            c.labels[idx] = labels.masked_fill(labels == 0, IGNORE)
            y0, z0 = m.initial_state(1, self.device)
            c.y[idx], c.z[idx] = y0, z0
            c.steps[idx] = 0
        for g in self.opt.param_groups:
            g["lr"] = scheduled_lr(self.step, g["base_lr"], cfg.lr_warmup_steps,
                                      cfg.lr_cooldown_from, cfg.lr_cooldown_steps)
        y, z, logits, q_halt, _ = self.net(c.y, c.z, c.inputs, c.ids, grad_cycles=cfg.grad_cycles)
        loss, lm, ql, exact, cell_ok = act_loss(logits, q_halt, c.labels, cfg.loss_type, cfg.token_weights)
        (loss / self.local_batch).backward()
        if cfg.grad_clip > 0:
            torch.nn.utils.clip_grad_norm_(m.parameters(), cfg.grad_clip)
        self.opt.step()
        self.opt.zero_grad(set_to_none=True)
        self.ema.update(m)
        with torch.no_grad():
            c.steps += 1
            halted = (c.steps >= H) | (q_halt.detach() > 0)
            explore = torch.rand(len(c.steps), generator=self.gen).to(self.device) < cfg.halt_exploration_prob
            min_steps = torch.randint(2, H + 1, (len(c.steps),), generator=self.gen).to(self.device) * explore
            c.halted = halted & (c.steps >= min_steps)
            c.y, c.z = y.detach(), z.detach()
            h = c.halted
            n_h = int(h.sum())
            stats = {
                "filled": filled,
                "loss": float(loss) / self.local_batch,
                "lm_loss": float(lm) / self.local_batch,
                "q_loss": float(ql) / self.local_batch,
                "halted": n_h,
                # Metrics over the slots that halted this step, as the reference reports.
                "cell_acc": float(cell_ok[h].float().mean()) if n_h else None,
                "exact_acc": float(exact[h].float().mean()) if n_h else None,
                "halt_steps": float(c.steps[h].float().mean()) if n_h else None,
                "q_halt_acc": float(((q_halt[h] > 0) == exact[h]).float().mean()) if n_h else None,
            }
        self.step += 1
        return stats

    # -- the loop --------------------------------------------------------------------------
    def log(self, record: dict):
        if self.rank != 0:
            return
        self.run_dir.mkdir(parents=True, exist_ok=True)
        with open(self.run_dir / "log.jsonl", "a") as f:
            f.write(json.dumps(record) + "\n")

    def run_eval(self) -> dict:
        x, y, *ids = self.eval_set
        r = evaluate(self.ema_model(), x, y, steps=self.model_cfg.halt_max_steps, device=self.device,
                     puzzle_ids=ids[0] if ids else None, scored_token=self.scored_token)
        rec = {"kind": "eval", "step": self.step, "samples": self.samples, "train_seconds": self.train_seconds,
               "cpu_seconds": self.cpu_seconds,
               **{k: r[k] for k in ("exact_accuracy", "cell_accuracy", "exact_per_step", "mean_halt_step")}}
        self.log(rec)
        if self.best_eval is None or r["exact_accuracy"] >= self.best_eval["exact_accuracy"]:
            self.best_eval = rec
        # Further sets (Sudoku: hard generated puzzles) are logged beside the main one, under
        # their own kind so that curves and best_eval keep reading the main set.
        for name, (sx, sy) in self.side_evals.items():
            r = evaluate(self.ema_model(), sx, sy, steps=self.model_cfg.halt_max_steps, device=self.device,
                         scored_token=self.scored_token)
            self.log({"kind": f"eval_{name}", "step": self.step, "cpu_seconds": self.cpu_seconds,
                      **{k: r[k] for k in ("exact_accuracy", "cell_accuracy", "exact_per_step")}})
        return rec

    def train(self, max_steps: Optional[int] = None, max_minutes: Optional[float] = None, quiet: bool = False):
        max_steps = self.cfg.max_steps if max_steps is None else max_steps
        max_minutes = self.cfg.max_minutes if max_minutes is None else max_minutes
        start = time.time()
        last_ckpt = time.time()
        acc: dict = {}
        stop = {"asked": False}

        def ask_stop(*_):
            stop["asked"] = True

        # SIGTERM/SIGINT end the run at the next step boundary with a checkpoint, so a
        # stopped session loses nothing.
        import signal
        import threading

        if threading.current_thread() is threading.main_thread():
            old = {sig: signal.signal(sig, ask_stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        else:
            old = {}
        try:
            self._loop(max_steps, max_minutes, start, last_ckpt, acc, stop, quiet)
        finally:
            for sig, h in old.items():
                signal.signal(sig, h)
        self.save_checkpoint()

    def agree(self, filled: int, stop: bool, checkpoint: bool) -> tuple[int, bool, bool]:
        """Under torchrun, the ranks add up the examples they took and agree on stopping and
        checkpointing (both collective from here on), so no rank waits for one that left."""
        if self.world == 1:
            return filled, stop, checkpoint
        t = torch.tensor([filled, int(stop), int(checkpoint)], dtype=torch.int64, device=self.device)
        dist.all_reduce(t)
        filled, stop, checkpoint = t.tolist()
        return filled, stop > 0, checkpoint > 0

    def _loop(self, max_steps, max_minutes, start, last_ckpt, acc, stop, quiet):
        # A signal or the time limit ends the run only once the ranks have agreed on it,
        # at the same step.
        done = False
        while self.step < max_steps and not done:
            t0, c0 = time.time(), time.process_time()
            stats = self.train_step()
            self.train_seconds += time.time() - t0
            self.cpu_seconds += time.process_time() - c0
            out_of_time = ((bool(max_minutes) and time.time() - start > 60 * max_minutes)
                           or (bool(self.cfg.max_cpu_seconds) and self.cpu_seconds >= self.cfg.max_cpu_seconds))
            due = self.rank == 0 and time.time() - last_ckpt > 60 * self.cfg.checkpoint_minutes
            filled, done, due = self.agree(stats.pop("filled"), stop["asked"] or out_of_time, due)
            self.samples += filled
            for k, v in stats.items():
                if v is not None:
                    acc.setdefault(k, []).append(v)
            if self.step % self.cfg.log_every == 0:
                rec = {"kind": "train", "step": self.step, "samples": self.samples,
                       "train_seconds": round(self.train_seconds, 2), "cpu_seconds": round(self.cpu_seconds, 2),
                       "lr": self.opt.param_groups[0]["lr"],
                       "curriculum": (self.stream.curriculum.fraction(self.stream.samples)
                                      if self.stream.curriculum else None),
                       **{k: float(np.mean(v)) for k, v in acc.items()}}
                self.log(rec)
                if not quiet and self.rank == 0:
                    print(json.dumps({k: (round(v, 4) if isinstance(v, float) else v) for k, v in rec.items()}),
                          flush=True)
                acc = {}
            # Rank 0 alone evaluates (no collectives in it); the others wait at the next step.
            if (self.rank == 0 and self.eval_set is not None and self.cfg.eval_every
                    and self.step % self.cfg.eval_every == 0):
                rec = self.run_eval()
                if not quiet:
                    print(json.dumps(rec), flush=True)
            if due:
                self.save_checkpoint()
                last_ckpt = time.time()


def flops_per_sample_step(cfg: TRMConfig, grad_cycles: int = 1) -> float:
    """Training FLOP of one supervision step of one sample: the first T - grad_cycles cycles
    forward only, the others forward and backward (x3), matrix products only."""
    S, D = cfg.full_seq_len, cfg.hidden_size
    from .model import swiglu_inner

    I = swiglu_inner(D, cfg.expansion)
    if cfg.mlp_t:
        mix = 2 * D * S * 3 * swiglu_inner(S, cfg.expansion)
    else:
        mix = 2 * S * D * 4 * D + 4 * S * S * D
    net = cfg.L_layers * (mix + 2 * S * D * 3 * I)
    calls = cfg.L_cycles + 1
    return net * calls * (cfg.H_cycles - grad_cycles) + 3 * net * calls * grad_cycles

