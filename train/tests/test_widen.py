import pytest
import torch

from trm.model import TRM, TRMConfig
from widen import widen


def small(**kw):
    # D=64 puts the SwiGLU inner width at 256 and D=128 at 512: the wide model has new inner
    # units as well as repeated channels. A puzzle vector narrower than D is zero-padded.
    base = dict(vocab_size=11, seq_len=81, hidden_size=64, L_layers=2, H_cycles=2, L_cycles=2,
                mlp_t=True, puzzle_emb_ndim=48, puzzle_emb_len=1, num_puzzle_identifiers=3)
    return TRMConfig(**{**base, **kw})


def run_steps(model: TRM, tokens, ids, steps=1):
    y, z = model.initial_state(tokens.shape[0])
    outs = []
    with torch.no_grad():
        for _ in range(steps):
            y, z, logits, q_halt, q_cont = model(y, z, tokens, ids)
            outs.append((y, logits, q_halt, q_cont))
    return outs


@pytest.mark.parametrize("factor", [2, 3])
def test_widened_model_computes_what_the_narrow_one_did(factor):
    torch.manual_seed(0)
    narrow = TRM(small())
    with torch.no_grad():
        for p in narrow.parameters():  # trained-looking weights: no zeros, q head live
            p.add_(0.05 * torch.randn_like(p))
    wide = widen(narrow, factor, seed=1)
    assert wide.cfg.hidden_size == 64 * factor
    tokens = torch.randint(0, 11, (4, 81))
    ids = torch.tensor([0, 1, 2, 1])
    # One supervision step: with random weights the recursion is chaotic and float rounding
    # (the wide sums run in another order) grows tenfold per step; a trained model's does not.
    for (y, logits, qh, qc), (wy, wlogits, wqh, wqc) in zip(run_steps(narrow, tokens, ids), run_steps(wide, tokens, ids)):
        torch.testing.assert_close(wlogits, logits, rtol=1e-4, atol=1e-4)
        torch.testing.assert_close(wqh, qh, rtol=1e-4, atol=1e-4)
        torch.testing.assert_close(wqc, qc, rtol=1e-4, atol=1e-4)
        # y is the narrow y repeated, channel j of copy c at c*D + j.
        torch.testing.assert_close(wy, torch.cat([y] * factor, dim=-1), rtol=1e-4, atol=1e-4)


def test_copies_start_with_different_weights_so_training_can_separate_them():
    torch.manual_seed(0)
    wide = widen(TRM(small()), 2, seed=1)
    w = wide.state_dict()["L_level.layers.0.mlp.gate_up_proj.weight"]
    assert not torch.allclose(w[:, :64], w[:, 64:])
    # Unequal gradients follow: one backward pass through the wide model.
    tokens = torch.randint(0, 11, (2, 81))
    y, z = wide.initial_state(2)
    _, _, logits, _, _ = wide(y, z, tokens, torch.zeros(2, dtype=torch.long))
    logits.square().mean().backward()
    g = wide.L_level.layers[0].mlp.down_proj.weight.grad
    assert not torch.allclose(g[:64], g[64:])


def test_attention_models_are_refused():
    cfg = small(mlp_t=False, pos_encodings="rope", num_heads=4)
    with pytest.raises(ValueError, match="mlp_t"):
        widen(TRM(cfg), 2)
