"""Reading `tests/reference/*/reference_outputs.json`: outputs of the paper's own code
on its own checkpoints, the ground truth for the converter and the engines."""

import json
from pathlib import Path

import torch


def load_reference_outputs(folder):
    d = json.loads((Path(folder) / "reference_outputs.json").read_text())
    steps = []
    for s in d["steps"]:
        steps.append({k: (torch.tensor(v) if isinstance(v, list) else v) for k, v in s.items()})
    return {
        "tokens": torch.tensor(d["tokens"]),
        "puzzle_ids": torch.tensor(d["puzzle_identifiers"]),
        "config": d["config"],
        "steps": steps,
    }


def rel_err(a: torch.Tensor, b: torch.Tensor) -> float:
    """max|a - b| / max|b|: the parity measure the issue fixes."""
    return float((a.double() - b.double()).abs().max() / b.double().abs().max().clamp_min(1e-30))
