"""Export ONE supervision step of a trm-web model file as an ONNX graph, so the same model
can be run by ONNX Runtime (native, or ONNX Runtime Web in the browser) and compared with
our engines.

    python3 train/export_onnx.py --model models/sudoku.safetensors --out target/onnx/sudoku-step.onnx

Graph inputs:  tokens [B, seq_len] int32, puzzle_ids [B] int32 (only when the model has a
               puzzle table, P > 0: the exporter drops an input that feeds nothing),
               y [B, K+seq_len, D] f32, z [B, K+seq_len, D] f32
Graph outputs: y, z (same shapes; feed them back for the next step),
               logits [B, seq_len, vocab] f32, q_halt [B] f32
B is a dynamic axis. The first step starts from y = H_init, z = L_init broadcast over
[B, K+seq_len, D]; those two vectors are not in the graph (they are state, not a function
of the inputs), so a caller reads them from the model file. The graph holds the T cycles of
n z-updates and one y-update unrolled, and the heads.

The legacy TorchScript exporter (dynamo=False) is used: the dynamo exporter needs
onnxscript, which nothing else here needs. Both need the `onnx` package.
train/tests/test_onnx.py checks the graph against the PyTorch model with onnxruntime.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

import torch
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parent))

from trm.model import TRM  # noqa: E402
from trm.modelfile import load_model_file  # noqa: E402

INPUTS = ("tokens", "puzzle_ids", "y", "z")
OUTPUTS = ("y_out", "z_out", "logits", "q_halt")
OPSET = 17


class SupervisionStep(nn.Module):
    """TRM.forward with the graph's argument order and without q_continue (unused at
    inference)."""

    def __init__(self, model: TRM):
        super().__init__()
        self.model = model

    def forward(self, tokens, puzzle_ids, y, z):
        y, z, logits, q_halt, _ = self.model(y, z, tokens, puzzle_ids)
        return y, z, logits, q_halt


def export_step(model: TRM, out, batch: int = 2) -> Path:
    """Writes the graph to `out` and returns its path. `batch` only sizes the example used
    for tracing; the batch axis of the graph is dynamic."""
    model = model.float().eval()
    cfg = model.cfg
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tokens = torch.randint(0, cfg.vocab_size, (batch, cfg.seq_len), dtype=torch.int32)
    ids = torch.zeros(batch, dtype=torch.int32)
    y, z = model.initial_state(batch)
    dyn = {name: {0: "batch"} for name in INPUTS + OUTPUTS}
    with torch.no_grad(), warnings.catch_warnings():
        # The legacy exporter warns that it is deprecated in favour of dynamo (see above),
        # and the tracer that the prefix padding (a config constant) is baked in, as it
        # should be.
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", FutureWarning)
        warnings.simplefilter("ignore", torch.jit.TracerWarning)
        torch.onnx.export(
            SupervisionStep(model),
            (tokens, ids, y, z),
            str(out),
            input_names=list(INPUTS),
            output_names=list(OUTPUTS),
            dynamic_axes=dyn,
            opset_version=OPSET,
            dynamo=False,
        )
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", type=Path, required=True, help="trm-web model file (.safetensors)")
    ap.add_argument("--out", type=Path, required=True, help="where to write the .onnx graph")
    a = ap.parse_args()
    model, kind, _ = load_model_file(a.model)
    path = export_step(model, a.out)
    cfg = model.cfg
    print(f"{path}: one supervision step of a {kind} model (D={cfg.hidden_size}, T={cfg.H_cycles}, "
          f"n={cfg.L_cycles}, S={cfg.full_seq_len}), {path.stat().st_size} bytes, opset {OPSET}")


if __name__ == "__main__":
    main()
