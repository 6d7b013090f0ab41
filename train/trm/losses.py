"""Losses of the reference recipe: stablemax cross entropy and the Q-halt BCE."""

import torch
import torch.nn.functional as F

IGNORE = -100


def _s(x: torch.Tensor, eps: float = 1e-30) -> torch.Tensor:
    # s(x) = x + 1 for x >= 0, 1 / (1 - x) below: a softmax substitute that cannot overflow.
    return torch.where(x < 0, 1 / (1 - x + eps), x + 1)


def log_stablemax(x: torch.Tensor, dim: int = -1) -> torch.Tensor:
    s = _s(x)
    return torch.log(s / s.sum(dim=dim, keepdim=True))


def stablemax_cross_entropy(logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """Per-token loss in f64, as the reference computes it; IGNORE labels give 0."""
    logp = log_stablemax(logits.to(torch.float64), dim=-1)
    valid = labels != IGNORE
    picked = torch.gather(logp, -1, torch.where(valid, labels, 0).long().unsqueeze(-1)).squeeze(-1)
    return -torch.where(valid, picked, 0)


def softmax_cross_entropy(logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    return F.cross_entropy(logits.float().transpose(1, -1), labels.long(), ignore_index=IGNORE, reduction="none")


def act_loss(logits, q_halt, labels, loss_type: str = "stablemax", token_weights: dict | None = None):
    """Returns (summed loss over the batch, per-puzzle exact-correct flags, per-cell correct).

    Per puzzle: mean token loss over non-ignored labels + 0.5 * BCE(q_halt, exact), as the
    reference's ACTLossHead (q_continue is unused with no_ACT_continue). `token_weights`
    ({label token: weight}, others 1) scales the loss of cells by their label; the mean still
    divides by the number of cells, so weight 1 everywhere is the reference's loss. A maze's path
    is a quarter of its open cells, and unweighted the model settles on copying the maze."""
    mask = labels != IGNORE
    counts = mask.sum(-1)
    with torch.no_grad():
        cell_ok = mask & (logits.argmax(-1) == labels)
        exact = cell_ok.sum(-1) == counts
    ce = stablemax_cross_entropy(logits, labels) if loss_type == "stablemax" else softmax_cross_entropy(logits, labels)
    for token, w in (token_weights or {}).items():
        ce = torch.where(labels == int(token), ce * float(w), ce)
    lm = (ce / counts.clamp_min(1).unsqueeze(-1)).sum()
    q = F.binary_cross_entropy_with_logits(q_halt, exact.to(q_halt.dtype), reduction="sum")
    return lm + 0.5 * q, lm.detach(), q.detach(), exact, cell_ok
