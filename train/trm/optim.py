"""AdamATan2 (the reference's optimizer), written out, and the EMA of weights.

AdamATan2 replaces Adam's m / (sqrt(v) + eps) by a * atan2(m, b * sqrt(v)): bounded
updates with no epsilon to tune. Weight decay is decoupled, as in AdamW."""

import torch


class AdamATan2(torch.optim.Optimizer):
    def __init__(self, params, lr=1e-4, betas=(0.9, 0.95), weight_decay=0.0, a=1.27, b=1.0):
        super().__init__(params, dict(lr=lr, betas=betas, weight_decay=weight_decay, a=a, b=b))

    @torch.no_grad()
    def step(self, closure=None):
        for group in self.param_groups:
            beta1, beta2 = group["betas"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                if not state:
                    state["step"] = torch.zeros((), dtype=torch.float64)
                    state["exp_avg"] = torch.zeros_like(p)
                    state["exp_avg_sq"] = torch.zeros_like(p)
                state["step"] += 1
                t = float(state["step"])
                m, v = state["exp_avg"], state["exp_avg_sq"]
                m.lerp_(p.grad, 1 - beta1)
                v.mul_(beta2).addcmul_(p.grad, p.grad, value=1 - beta2)
                p.mul_(1 - group["lr"] * group["weight_decay"])
                m_hat = m / (1 - beta1**t)
                v_hat_sqrt = (v / (1 - beta2**t)).sqrt()
                p.add_(torch.atan2(m_hat, group["b"] * v_hat_sqrt), alpha=-group["lr"] * group["a"])
        return None


class EMA:
    """shadow = mu_t * shadow + (1 - mu_t) * param after optimizer step t, with
    mu_t = min(mu, (1 + t) / (10 + t)).

    The warm-up of mu_t matters for short runs only: with a flat 0.999 the average of a
    500-step run is still 60% the random initial weights (measured on our first CPU run,
    whose EMA model answered at chance). From about step 9000 on, mu_t = mu as in the
    reference recipe."""

    def __init__(self, model: torch.nn.Module, mu: float = 0.999):
        self.mu = mu
        self.updates = 0
        self.shadow = {k: v.detach().clone() for k, v in model.state_dict().items()}

    def decay(self) -> float:
        return min(self.mu, (1 + self.updates) / (10 + self.updates))

    @torch.no_grad()
    def update(self, model: torch.nn.Module):
        mu = self.decay()
        for k, v in model.state_dict().items():
            if v.dtype.is_floating_point:
                self.shadow[k].mul_(mu).add_(v.detach(), alpha=1 - mu)
            else:
                self.shadow[k].copy_(v)
        self.updates += 1

    def state_dict(self):
        return {"mu": self.mu, "updates": self.updates, "shadow": self.shadow}

    def load_state_dict(self, s, step: int = 0):
        self.mu = s["mu"]
        # Checkpoints from before the warm-up existed count their optimizer steps.
        self.updates = s.get("updates", step)
        self.shadow = {k: v.clone() for k, v in s["shadow"].items()}


def scheduled_lr(step: int, base_lr: float, warmup: int, cooldown_from: int = 0, cooldown_steps: int = 0) -> float:
    """The learning rate at a step: linear warm-up to base_lr, then constant (the reference's
    cosine with min ratio 1).

    With cooldown_steps > 0, the rate falls linearly from base_lr at step cooldown_from to 0
    at cooldown_from + cooldown_steps and stays there: a constant-rate run can be branched
    at any checkpoint and annealed (warm-up, stable, decay), so the stable run goes on
    unchanged while its branch shows what annealing would give at that point.
    """
    lr = base_lr if warmup <= 0 else base_lr * min(1.0, (step + 1) / warmup)
    if cooldown_steps > 0 and step >= cooldown_from:
        lr *= max(0.0, 1.0 - (step - cooldown_from) / cooldown_steps)
    return lr

