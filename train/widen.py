"""Widen a trained TRM-MLP to m times its hidden size D, computing the same function.

Function-preserving growth (Net2Net, Chen, Goodfellow and Shlens, 2016) lets a model that has
stopped gaining at D=128 go on training with more capacity, without the CPU-days it took to
get there. Every hidden channel is repeated m times, so y, z and every activation of the wide
model are the narrow one's repeated ([h, h] for m = 2):

- a map that writes the hidden width (the SwiGLU's down projection) writes each copy with the
  old weights;
- a map that reads it (gate/up, lm_head, q_head) sees each input m times, so its old column is
  split into m parts that sum to it. The parts are random, not equal: equal parts would give the
  copies equal gradients forever, and the wide model would stay a narrow one;
- RMSNorm over repeated channels gives what it gave before; the embeddings are multiplied by
  sqrt(D), which grows by sqrt(m), so the tables shrink by it;
- the SwiGLU's inner width is rounded up to a multiple of 256, so it may grow by less than m:
  its old units keep their weights, new units start with fresh input weights and zero output
  weights (they add nothing until training moves them);
- the token-mixing MLP (mlp_t) runs along the sequence, whose length does not change, and acts
  on each channel alike, so it is kept as it is.

    python3 train/widen.py --model IN.safetensors --factor 2 --out WIDE.safetensors

Then train from it: `train_sudoku.py --set init_from=WIDE.safetensors --set 'model={"hidden_size":
256, "puzzle_emb_ndim": 256, ...}'`. Attention models are refused (their heads would change).
"""
import argparse
import dataclasses
import math
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from trm.model import TRM, swiglu_inner  # noqa: E402
from trm.modelfile import load_model_file, save_model_file  # noqa: E402


def _split_columns(w: torch.Tensor, m: int, gen: torch.Generator) -> torch.Tensor:
    """[out, D] -> [out, m*D], copy c of input channel j at c*D + j; the m parts of each weight
    sum to it, in random shares between 1/(2m) and 3/(2m)."""
    shares = torch.rand((m, *w.shape), generator=gen) + 0.5
    shares = shares / shares.sum(0, keepdim=True)
    return torch.cat([w * s for s in shares], dim=1)


def _repeat_last(t: torch.Tensor, m: int) -> torch.Tensor:
    return torch.cat([t] * m, dim=-1)


def widen(model: TRM, factor: int, seed: int = 0) -> TRM:
    """A model of hidden size factor * D whose outputs equal `model`'s (up to float rounding)."""
    cfg = model.cfg
    if factor < 2:
        raise ValueError(f"factor must be 2 or more, not {factor}")
    if not cfg.mlp_t:
        raise ValueError("only token-mixing (mlp_t) models can be widened: attention heads would change width")
    m, D, K = factor, cfg.hidden_size, cfg.prefix_len
    wide_cfg = dataclasses.replace(
        cfg,
        hidden_size=m * D,
        # The prefix rows are D wide and hold the puzzle vector, zero-padded; the wide table
        # holds the padded rows repeated, so its width is K rows of the new D.
        puzzle_emb_ndim=K * m * D if cfg.puzzle_emb_ndim else 0,
    )
    gen = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    wide = TRM(wide_cfg)
    old = {k: v.detach().float() for k, v in model.state_dict().items()}
    new = wide.state_dict()
    shrink = 1.0 / math.sqrt(m)
    I_old, I_new = swiglu_inner(D, cfg.expansion), swiglu_inner(m * D, cfg.expansion)
    for name, w in old.items():
        if name in ("H_init", "L_init"):
            new[name] = _repeat_last(w, m)
        elif name in ("embed_tokens.embedding_weight", "embed_pos.embedding_weight"):
            new[name] = _repeat_last(w, m) * shrink
        elif name == "puzzle_emb.weights":
            rows = torch.nn.functional.pad(w, (0, K * D - w.shape[1])).view(w.shape[0], K, D)
            new[name] = (_repeat_last(rows, m) * shrink).reshape(w.shape[0], K * m * D)
        elif name in ("lm_head.weight", "q_head.weight"):
            new[name] = _split_columns(w, m, gen)
        elif name == "q_head.bias" or ".mlp_t." in name:
            new[name] = w
        elif name.endswith(".mlp.gate_up_proj.weight"):
            gate, up = w.split(I_old)
            fresh_gate, fresh_up = new[name].split(I_new)
            fresh_gate[:I_old] = _split_columns(gate, m, gen)
            fresh_up[:I_old] = _split_columns(up, m, gen)
            new[name] = torch.cat((fresh_gate, fresh_up))
        elif name.endswith(".mlp.down_proj.weight"):
            down = torch.zeros(m * D, I_new)
            down[:, :I_old] = torch.cat([w] * m, dim=0)
            new[name] = down
        else:
            raise ValueError(f"do not know how to widen {name}")
    wide.load_state_dict(new, strict=True)
    return wide


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", required=True, type=Path, help="a trm-web model file (.safetensors)")
    ap.add_argument("--factor", type=int, default=2, help="the new hidden size over the old")
    ap.add_argument("--seed", type=int, default=0, help="for the random column splits and new units")
    ap.add_argument("--out", required=True, type=Path)
    a = ap.parse_args(argv)
    model, kind, rows = load_model_file(a.model)
    wide = widen(model, a.factor, a.seed)
    save_model_file(a.out, wide.cfg, wide.state_dict(), kind, puzzle_rows=rows)
    n = sum(p.numel() for k, p in wide.state_dict().items() if not k.startswith("puzzle_emb"))
    print(f"{a.out}: hidden size {wide.cfg.hidden_size}, {n:,} parameters (puzzle table excluded)")


if __name__ == "__main__":
    main()
