"""The Tiny Recursive Model, exactly as docs/MODEL.md defines it.

One call of `TRM.forward` is one supervision step: T cycles of (n latent updates
z <- net(z, y + x), then one answer update y <- net(y, z)). The state_dict names
are the reference checkpoint names (without `_orig_mod.model.inner.`), so a
reference checkpoint loads with `load_state_dict` and our exports load in the
reference code.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Optional

import torch
import torch.nn.functional as F
from torch import nn


@dataclass
class TRMConfig:
    vocab_size: int
    seq_len: int
    hidden_size: int = 512
    num_heads: int = 8
    expansion: float = 4.0
    L_layers: int = 2
    H_cycles: int = 3
    L_cycles: int = 6
    halt_max_steps: int = 16
    pos_encodings: str = "none"  # rope | rope2d (by grid row and column) | learned | none
    mlp_t: bool = True
    puzzle_emb_ndim: int = 512
    puzzle_emb_len: int = 16
    num_puzzle_identifiers: int = 1
    rms_norm_eps: float = 1e-5
    rope_theta: float = 10000.0
    forward_dtype: str = "float32"  # float32 | bfloat16 (the trainer also takes "auto")

    def __post_init__(self):
        if self.pos_encodings not in ("rope", "rope2d", "learned", "none"):
            raise ValueError(f"pos_encodings must be rope, rope2d, learned or none, not {self.pos_encodings!r}")
        if self.pos_encodings == "rope2d" and not self.mlp_t:
            if (self.hidden_size // self.num_heads) % 4:
                raise ValueError(f"2-D RoPE needs a head dim divisible by 4, not {self.hidden_size // self.num_heads}")
            if self.grid_side is None:
                raise ValueError(f"2-D RoPE needs a square grid, and seq_len {self.seq_len} is not a square")
        if not self.mlp_t and self.hidden_size % self.num_heads:
            raise ValueError(f"hidden_size {self.hidden_size} is not a multiple of num_heads {self.num_heads}")
        if self.puzzle_emb_ndim > self.prefix_len * self.hidden_size:
            raise ValueError("puzzle_emb_ndim does not fit in puzzle_emb_len prefix rows")

    @property
    def prefix_len(self) -> int:
        """K: prefix rows. The reference derives ceil(P/D) when puzzle_emb_len is 0; with no
        puzzle embedding it adds no prefix at all (docs/MODEL.md: P = 0 means K = 0)."""
        if self.puzzle_emb_ndim == 0:
            return 0
        if self.puzzle_emb_len == 0:
            return -(self.puzzle_emb_ndim // -self.hidden_size)
        return self.puzzle_emb_len

    @property
    def grid_side(self) -> Optional[int]:
        """The side of the square grid the sequence spells row by row, if seq_len is a square."""
        side = math.isqrt(self.seq_len)
        return side if side * side == self.seq_len else None

    @property
    def full_seq_len(self) -> int:
        return self.prefix_len + self.seq_len

    def to_json_dict(self) -> dict:
        d = dataclasses.asdict(self)
        d.pop("forward_dtype")  # a run-time choice, not part of the model
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "TRMConfig":
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in names})


def swiglu_inner(width: int, expansion: float) -> int:
    """I = round(expansion * w * 2/3) rounded up to a multiple of 256 (the reference's _find_multiple)."""
    inner = round(expansion * width * 2 / 3)
    return -(inner // -256) * 256


def rms_norm(x: torch.Tensor, eps: float) -> torch.Tensor:
    # No learned gain; computed in f32 whatever the activation dtype, as the reference does.
    dtype = x.dtype
    x = x.float()
    x = x * torch.rsqrt(x.square().mean(-1, keepdim=True) + eps)
    return x.to(dtype)


def trunc_normal_(t: torch.Tensor, std: float, lower: float = -2.0, upper: float = 2.0) -> torch.Tensor:
    """Truncated normal at [lower, upper] standard deviations, rescaled so the truncated
    distribution itself has std `std` (the reference's trunc_normal_init_, JAX style)."""
    with torch.no_grad():
        if std == 0:
            return t.zero_()
        sqrt2 = math.sqrt(2)
        a, b = math.erf(lower / sqrt2), math.erf(upper / sqrt2)
        z = (b - a) / 2
        c = (2 * math.pi) ** -0.5
        pdf_u, pdf_l = c * math.exp(-0.5 * lower**2), c * math.exp(-0.5 * upper**2)
        comp_std = std / math.sqrt(1 - (upper * pdf_u - lower * pdf_l) / z - ((pdf_u - pdf_l) / z) ** 2)
        t.uniform_(a, b).erfinv_().mul_(sqrt2 * comp_std).clip_(lower * comp_std, upper * comp_std)
    return t


class Linear(nn.Module):
    """x @ W^T with W stored [out, in]; weights are cast to the activation dtype at use,
    so master weights stay f32 under bf16 activations."""

    def __init__(self, d_in: int, d_out: int, bias: bool = False):
        super().__init__()
        self.weight = nn.Parameter(trunc_normal_(torch.empty(d_out, d_in), std=1.0 / math.sqrt(d_in)))
        self.bias = nn.Parameter(torch.zeros(d_out)) if bias else None

    def forward(self, x):
        b = None if self.bias is None else self.bias.to(x.dtype)
        return F.linear(x, self.weight.to(x.dtype), b)


class Embedding(nn.Module):
    def __init__(self, n: int, d: int, std: float):
        super().__init__()
        self.embedding_weight = nn.Parameter(trunc_normal_(torch.empty(n, d), std=std))

    def forward(self, ids):
        return self.embedding_weight[ids]


class PuzzleEmbedding(nn.Module):
    """The puzzle table. The reference keeps it as a buffer updated by sign-SGD; we keep the
    same name (`weights`) and make it a parameter that the trainer hands to its own optimizer."""

    def __init__(self, n: int, d: int):
        super().__init__()
        self.weights = nn.Parameter(torch.zeros(n, d))

    def forward(self, ids):
        return self.weights[ids]


class SwiGLU(nn.Module):
    def __init__(self, width: int, expansion: float):
        super().__init__()
        inner = swiglu_inner(width, expansion)
        self.gate_up_proj = Linear(width, 2 * inner)
        self.down_proj = Linear(inner, width)

    def forward(self, x):
        gate, up = self.gate_up_proj(x).chunk(2, dim=-1)
        return self.down_proj(F.silu(gate) * up)


def rotate_half(x):
    a, b = x.chunk(2, dim=-1)
    return torch.cat((-b, a), dim=-1)


class Attention(nn.Module):
    def __init__(self, hidden: int, heads: int):
        super().__init__()
        self.heads, self.head_dim = heads, hidden // heads
        self.qkv_proj = Linear(hidden, 3 * hidden)
        self.o_proj = Linear(hidden, hidden)

    def forward(self, x, cos_sin):
        B, S, D = x.shape
        qkv = self.qkv_proj(x).view(B, S, 3 * self.heads, self.head_dim)
        q, k, v = qkv[:, :, : self.heads], qkv[:, :, self.heads : 2 * self.heads], qkv[:, :, 2 * self.heads :]
        if cos_sin is not None:
            cos, sin = cos_sin
            dtype = q.dtype
            q = (q.float() * cos[:, None] + rotate_half(q.float()) * sin[:, None]).to(dtype)
            k = (k.float() * cos[:, None] + rotate_half(k.float()) * sin[:, None]).to(dtype)
        q, k, v = (t.transpose(1, 2) for t in (q, k, v))
        out = F.scaled_dot_product_attention(q, k, v, is_causal=False)
        return self.o_proj(out.transpose(1, 2).reshape(B, S, D))


class Block(nn.Module):
    def __init__(self, cfg: TRMConfig):
        super().__init__()
        self.cfg = cfg
        if cfg.mlp_t:
            self.mlp_t = SwiGLU(cfg.full_seq_len, cfg.expansion)
        else:
            self.self_attn = Attention(cfg.hidden_size, cfg.num_heads)
        self.mlp = SwiGLU(cfg.hidden_size, cfg.expansion)

    def forward(self, h, cos_sin):
        eps = self.cfg.rms_norm_eps
        if self.cfg.mlp_t:
            # Token mixing: the MLP and its norm run along the sequence axis.
            t = h.transpose(1, 2)
            h = rms_norm(t + self.mlp_t(t), eps).transpose(1, 2)
        else:
            h = rms_norm(h + self.self_attn(h, cos_sin), eps)
        return rms_norm(h + self.mlp(h), eps)


class ReasoningModule(nn.Module):
    def __init__(self, cfg: TRMConfig):
        super().__init__()
        self.layers = nn.ModuleList([Block(cfg) for _ in range(cfg.L_layers)])

    def forward(self, h, injection, cos_sin):
        h = h + injection
        for layer in self.layers:
            h = layer(h, cos_sin)
        return h


class TRM(nn.Module):
    def __init__(self, cfg: TRMConfig):
        super().__init__()
        self.cfg = cfg
        D = cfg.hidden_size
        self.embed_scale = math.sqrt(D)
        self.embed_tokens = Embedding(cfg.vocab_size, D, std=1.0 / self.embed_scale)
        if cfg.puzzle_emb_ndim > 0:
            self.puzzle_emb = PuzzleEmbedding(cfg.num_puzzle_identifiers, cfg.puzzle_emb_ndim)
        if cfg.pos_encodings == "learned":
            self.embed_pos = Embedding(cfg.full_seq_len, D, std=1.0 / self.embed_scale)
        self.L_level = ReasoningModule(cfg)
        self.lm_head = Linear(D, cfg.vocab_size)
        self.q_head = Linear(D, 2, bias=True)
        self.register_buffer("H_init", trunc_normal_(torch.empty(D), std=1.0))
        self.register_buffer("L_init", trunc_normal_(torch.empty(D), std=1.0))
        with torch.no_grad():
            # Q head starts at "never halt" so early training is not cut short.
            self.q_head.weight.zero_()
            self.q_head.bias.fill_(-5.0)

    @property
    def dtype(self) -> torch.dtype:
        return torch.bfloat16 if self.cfg.forward_dtype == "bfloat16" else torch.float32

    def cos_sin(self, device) -> Optional[tuple]:
        cfg = self.cfg
        if cfg.mlp_t:
            return None  # no attention to rotate (and a non-square seq_len has no 2-D grid)
        hd = cfg.hidden_size // cfg.num_heads
        if cfg.pos_encodings == "rope":
            inv_freq = 1.0 / (cfg.rope_theta ** (torch.arange(0, hd, 2, dtype=torch.float32, device=device) / hd))
            t = torch.arange(cfg.full_seq_len, dtype=torch.float32, device=device)
            freqs = torch.outer(t, inv_freq)
        elif cfg.pos_encodings == "rope2d":
            # Half of the rotation pairs turn with the row, half with the column; cells at rows
            # and columns 1..side, the prefix rows at (0, 0), unrotated (Rust `rope2d_tables`).
            quarter = hd // 4
            inv_freq = 1.0 / (cfg.rope_theta ** (torch.arange(quarter, dtype=torch.float32, device=device) / quarter))
            cell = torch.arange(cfg.seq_len, device=device)
            K = cfg.prefix_len
            rows = torch.zeros(cfg.full_seq_len, dtype=torch.float32, device=device)
            cols = torch.zeros_like(rows)
            rows[K:] = (cell // cfg.grid_side + 1).float()
            cols[K:] = (cell % cfg.grid_side + 1).float()
            freqs = torch.cat((torch.outer(rows, inv_freq), torch.outer(cols, inv_freq)), dim=-1)
        else:
            return None
        emb = torch.cat((freqs, freqs), dim=-1)
        return emb.cos(), emb.sin()

    def input_embeddings(self, tokens: torch.Tensor, puzzle_ids: torch.Tensor) -> torch.Tensor:
        cfg = self.cfg
        x = self.embed_tokens(tokens.long()).to(self.dtype)
        if cfg.puzzle_emb_ndim > 0:
            p = self.puzzle_emb(puzzle_ids.long()).to(self.dtype)
            pad = cfg.prefix_len * cfg.hidden_size - p.shape[-1]
            if pad > 0:
                p = F.pad(p, (0, pad))
            x = torch.cat((p.view(-1, cfg.prefix_len, cfg.hidden_size), x), dim=-2)
        if cfg.pos_encodings == "learned":
            x = 0.707106781 * (x + self.embed_pos.embedding_weight.to(self.dtype))
        return self.embed_scale * x

    def initial_state(self, batch: int, device=None):
        shape = (batch, self.cfg.full_seq_len, self.cfg.hidden_size)
        y = self.H_init.to(device=device, dtype=self.dtype).expand(shape).clone()
        z = self.L_init.to(device=device, dtype=self.dtype).expand(shape).clone()
        return y, z

    def forward(self, y, z, tokens, puzzle_ids, grad_cycles: int = 1, cycle_hook=None):
        """One supervision step. Returns (y, z, logits [B, seq_len, vocab] f32, q_halt, q_continue).

        Gradients flow through the last `grad_cycles` of the T cycles only; the paper trains
        with 1 (the last cycle's n+1 network calls), the earlier cycles run without gradient."""
        cfg = self.cfg
        cos_sin = self.cos_sin(tokens.device)
        x = self.input_embeddings(tokens, puzzle_ids)
        net = self.L_level
        for cycle in range(cfg.H_cycles):
            with torch.set_grad_enabled(torch.is_grad_enabled() and cycle >= cfg.H_cycles - grad_cycles):
                for _ in range(cfg.L_cycles):
                    z = net(z, y + x, cos_sin)
                y = net(y, z, cos_sin)
            if cycle_hook is not None:
                cycle_hook(cycle, y)
        K = cfg.prefix_len
        logits = self.lm_head(y)[:, K:].float()
        q = self.q_head(y[:, 0]).float()
        return y, z, logits, q[..., 0], q[..., 1]
