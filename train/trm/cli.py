"""The command line shared by the training scripts (train_sudoku.py, train_grid.py): options,
--set overrides, the run folder's train_config.json, resume, train."""

from __future__ import annotations

import argparse
import dataclasses
import json
from pathlib import Path
from typing import Callable, Optional

import torch

from . import write_atomic


def run_training(doc: str, presets: dict, build: Callable, default_preset: Optional[str] = None):
    """`build(preset, overrides, run, device)` returns a Trainer; this parses the command line,
    records the run's configuration, resumes from the run folder's checkpoint and trains."""
    ap = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--preset", choices=sorted(presets), default=default_preset, required=default_preset is None)
    ap.add_argument("--run", type=Path, required=True, help="run folder (resumed if it holds a checkpoint)")
    ap.add_argument("--minutes", type=float, help="stop after this many minutes (checkpointed)")
    ap.add_argument("--steps", type=int, help="stop at this optimizer step")
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=JSON")
    a = ap.parse_args()
    overrides = {}
    for kv in a.set:
        k, _, v = kv.partition("=")
        try:
            overrides[k] = json.loads(v)
        except json.JSONDecodeError:
            overrides[k] = v
    trainer = build(a.preset, overrides, a.run, a.device)
    if trainer.rank == 0:
        a.run.mkdir(parents=True, exist_ok=True)
        # Other torchrun ranks may be reading it while they build.
        write_atomic(a.run / "train_config.json", json.dumps(dataclasses.asdict(trainer.cfg), indent=1))
    resumed = trainer.try_resume()
    how = f"forward {trainer.model_cfg.forward_dtype}" + (", compiled" if trainer.cfg.compile else "")
    print(f"{'resumed at step ' + str(trainer.step) if resumed else 'new run'} in {a.run} ({how})", flush=True)
    # Speed per step changes with these, so the curves say where they did.
    trainer.log({"kind": "start", "step": trainer.step, "forward_dtype": trainer.model_cfg.forward_dtype,
                 "compile": trainer.cfg.compile, "threads": torch.get_num_threads()})
    trainer.train(max_steps=a.steps, max_minutes=a.minutes)
