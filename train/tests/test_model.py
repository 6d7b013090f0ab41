import math

import pytest
import torch
from conftest import FIXTURES, ROOT
from safetensors import safe_open

from trm.model import TRM, TRMConfig, swiglu_inner
from trm.modelfile import export_model, load_model_file, save_model_file, select_rows


def sudoku_cfg(**kw):
    return TRMConfig(vocab_size=11, seq_len=81, **kw)


def arc_cfg(**kw):
    return TRMConfig(vocab_size=12, seq_len=900, mlp_t=False, pos_encodings="rope", L_cycles=4,
                     num_puzzle_identifiers=5, **kw)


def spec_table(cfg: TRMConfig):
    """The docs/MODEL.md weights table, written out independently of the model code."""
    D, V, S = cfg.hidden_size, cfg.vocab_size, cfg.full_seq_len
    I = math.ceil(round(cfg.expansion * D * 2 / 3) / 256) * 256
    t = {
        "embed_tokens.embedding_weight": (V, D),
        "puzzle_emb.weights": (cfg.num_puzzle_identifiers, cfg.puzzle_emb_ndim),
        "H_init": (D,), "L_init": (D,),
        "lm_head.weight": (V, D), "q_head.weight": (2, D), "q_head.bias": (2,),
    }
    for i in range(cfg.L_layers):
        p = f"L_level.layers.{i}"
        if cfg.mlp_t:
            IS = math.ceil(round(cfg.expansion * S * 2 / 3) / 256) * 256
            t[f"{p}.mlp_t.gate_up_proj.weight"] = (2 * IS, S)
            t[f"{p}.mlp_t.down_proj.weight"] = (S, IS)
        else:
            t[f"{p}.self_attn.qkv_proj.weight"] = (3 * D, D)
            t[f"{p}.self_attn.o_proj.weight"] = (D, D)
        t[f"{p}.mlp.gate_up_proj.weight"] = (2 * I, D)
        t[f"{p}.mlp.down_proj.weight"] = (D, I)
    return t


@pytest.mark.parametrize("cfg", [sudoku_cfg(), arc_cfg()], ids=["sudoku_mlp_t", "arc_attention"])
def test_state_dict_names_and_shapes_are_the_reference_ones(cfg):
    model = TRM(cfg)
    got = {k: tuple(v.shape) for k, v in model.state_dict().items()}
    assert got == spec_table(cfg)


def test_parameter_counts_are_the_papers():
    # docs/MODEL.md: TRM-MLP Sudoku about 5.0M, TRM-Att about 6.8M, puzzle table not counted.
    for cfg, want in ((sudoku_cfg(), 5.0e6), (arc_cfg(), 6.8e6)):
        m = TRM(cfg)
        n = sum(v.numel() for k, v in m.state_dict().items() if k not in ("puzzle_emb.weights", "H_init", "L_init"))
        assert abs(n - want) / want < 0.05, (cfg, n)


def test_swiglu_inner_sizes():
    assert [swiglu_inner(w, 4) for w in (512, 256, 128, 97)] == [1536, 768, 512, 512]


def test_q_head_starts_at_never_halt():
    m = TRM(sudoku_cfg(hidden_size=64))
    assert torch.all(m.q_head.weight == 0) and torch.all(m.q_head.bias == -5)


def test_one_call_is_one_supervision_step_with_gradient_through_last_cycle_only():
    cfg = sudoku_cfg(hidden_size=32, H_cycles=3, L_cycles=2)
    m = TRM(cfg)
    calls = []
    m.L_level.register_forward_hook(lambda mod, inp, out: calls.append(out.requires_grad))
    y, z = m.initial_state(2)
    tokens = torch.randint(0, 11, (2, 81))
    y2, z2, logits, qh, qc = m(y, z, tokens, torch.zeros(2, dtype=torch.long))
    assert len(calls) == cfg.H_cycles * (cfg.L_cycles + 1)
    # The first T-1 cycles run without gradient; the last cycle's n+1 calls keep it.
    assert calls == [False] * 6 + [True] * 3
    assert logits.shape == (2, 81, 11) and qh.shape == (2,) and y2.shape == (2, 97, 32)


def test_bfloat16_activations_run_and_stay_close():
    cfg = sudoku_cfg(hidden_size=64, H_cycles=1, L_cycles=1)
    torch.manual_seed(0)
    m = TRM(cfg)
    m16 = TRM(TRMConfig(**{**cfg.__dict__, "forward_dtype": "bfloat16"}))
    m16.load_state_dict(m.state_dict())
    tokens = torch.randint(0, 11, (1, 81))
    ids = torch.zeros(1, dtype=torch.long)
    with torch.no_grad():
        _, _, l32, _, _ = m(*m.initial_state(1), tokens, ids)
        y, z = m16.initial_state(1)
        assert y.dtype == torch.bfloat16
        _, _, l16, _, _ = m16(y, z, tokens, ids)
    assert l16.dtype == torch.float32
    assert (l16 - l32).abs().max() / l32.abs().max() < 0.1


@pytest.mark.parametrize("dtype", ["f32", "f16"])
def test_export_then_load_gives_identical_tensors(tmp_path, dtype):
    cfg = arc_cfg(hidden_size=64, num_heads=4)
    m = TRM(cfg)
    rows = [f"task{i}" for i in range(cfg.num_puzzle_identifiers)]
    path = tmp_path / "m.safetensors"
    export_model(m, path, "arc", puzzle_rows=rows, dtype=dtype)
    back, kind, back_rows = load_model_file(path)
    assert kind == "arc" and back_rows == rows and back.cfg == cfg
    for k, v in m.state_dict().items():
        want = v if dtype == "f32" else v.half().float()
        assert torch.equal(back.state_dict()[k], want), k
    with safe_open(str(path), "pt") as f:
        assert f.get_tensor("lm_head.weight").dtype == (torch.float32 if dtype == "f32" else torch.float16)


def test_export_rejects_bad_kind_and_row_count(tmp_path):
    m = TRM(sudoku_cfg(hidden_size=32))
    with pytest.raises(ValueError, match="puzzle kind"):
        export_model(m, tmp_path / "a.safetensors", "chess")
    with pytest.raises(ValueError, match="row names"):
        export_model(m, tmp_path / "a.safetensors", "sudoku", puzzle_rows=["a", "b"])


def test_select_rows():
    ids = ["<blank>", "t1|||0", "t1|||1", "t2|||0", "t3|||0"]
    assert select_rows(5, ids, keep_tasks=["t1"]) == [0, 1, 2]
    assert select_rows(5, ids, keep_rows=[4], keep_tasks=["t2"]) == [0, 3, 4]
    with pytest.raises(ValueError, match="no puzzle-table rows"):
        select_rows(5, ids, keep_tasks=["nope"])
    with pytest.raises(ValueError, match="outside"):
        select_rows(5, ids, keep_rows=[5])


def test_fixture_files_load():
    for p in sorted(FIXTURES.glob("*.safetensors")):
        if not p.name.endswith(".io.safetensors"):
            load_model_file(p)


def test_shipped_models_load_with_their_latent_basis():
    """The shipped files carry the latent view's projection (latent_basis.*, written by `trm
    latent-basis`); it is no weight of the network and must not stop PyTorch loading them."""
    models = ROOT / "models"
    for kind in ["sudoku", "maze", "arc"]:
        path = models / f"{kind}.safetensors"
        with safe_open(str(path), "pt") as f:
            assert "latent_basis.y.components" in f.keys(), kind
        model, got_kind, _ = load_model_file(path)
        assert got_kind == kind


def test_rope2d_scores_depend_only_on_the_row_and_column_offset():
    from trm.model import rotate_half

    cfg = TRMConfig(vocab_size=11, seq_len=36, hidden_size=32, num_heads=2, pos_encodings="rope2d", mlp_t=False,
                    puzzle_emb_ndim=32, puzzle_emb_len=1)
    cos, sin = TRM(cfg).cos_sin("cpu")
    gen = torch.Generator().manual_seed(0)
    q, k = torch.randn(16, generator=gen), torch.randn(16, generator=gen)

    def score(a, b):  # cells (row, col) behind the 1-row prefix
        pa, pb = 1 + a[0] * 6 + a[1], 1 + b[0] * 6 + b[1]
        rq = q * cos[pa] + rotate_half(q) * sin[pa]
        rk = k * cos[pb] + rotate_half(k) * sin[pb]
        return float(rq @ rk)

    assert score((0, 0), (1, 2)) == pytest.approx(score((3, 3), (4, 5)), abs=1e-5)
    assert score((0, 0), (1, 2)) != pytest.approx(score((0, 0), (2, 1)), abs=1e-3)
    # Flattened neighbours across a row end are far apart in 2-D, unlike with 1-D RoPE.
    assert score((0, 5), (1, 0)) != pytest.approx(score((0, 0), (0, 1)), abs=1e-3)
    assert torch.equal(cos[0], torch.ones(16)) and torch.equal(sin[0], torch.zeros(16))  # prefix unrotated


def test_rope2d_needs_a_square_grid_and_a_head_dim_divisible_by_4():
    with pytest.raises(ValueError, match="square grid"):
        TRMConfig(vocab_size=11, seq_len=30, hidden_size=32, num_heads=2, pos_encodings="rope2d", mlp_t=False)
    with pytest.raises(ValueError, match="divisible by 4"):
        TRMConfig(vocab_size=11, seq_len=36, hidden_size=24, num_heads=4, pos_encodings="rope2d", mlp_t=False)


def test_mlp_t_ignores_rotary_positions_even_off_a_square_grid():
    cfg = TRMConfig(vocab_size=11, seq_len=30, hidden_size=16, num_heads=2, pos_encodings="rope2d", mlp_t=True,
                    puzzle_emb_ndim=16, puzzle_emb_len=1, H_cycles=1, L_cycles=1)
    m = TRM(cfg)
    assert m.cos_sin("cpu") is None
    y, z = m.initial_state(2)
    _, _, logits, _, _ = m(y, z, torch.ones(2, 30, dtype=torch.long), torch.zeros(2, dtype=torch.long))
    assert logits.shape == (2, 30, 11)
