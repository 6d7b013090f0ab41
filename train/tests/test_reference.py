"""Our converter and PyTorch model against the paper's own code (tests/reference)."""

import pytest
import torch
from conftest import FIXTURES, REFERENCE
from safetensors import safe_open

from trm.modelfile import convert_reference, load_model_file
from trm.reference import load_reference_outputs, rel_err

CASES = [("trm_att", "arc", 36), ("trm_mlp_t", "sudoku", None)]
# The reference's own float32 logits are 1.3e-4 from float64 at step 3 of the mlp_t
# checkpoint (test_reference_float32_noise_grows_past_1e4_by_step_3), so no float32 model
# can be held closer than that there: step 3 gets twice that, as in crate/tests/it/parity.rs.
TOL = {1: 1e-4, 2: 1e-4, 3: 3e-4}


@pytest.mark.parametrize("name,kind,seq_len", CASES)
def test_converted_reference_reproduces_reference_outputs(tmp_path, name, kind, seq_len):
    src = REFERENCE / name
    ref = load_reference_outputs(src)
    out = tmp_path / "m.safetensors"
    convert_reference(src / "step_1", src / "all_config.yaml", out, kind, seq_len=seq_len)
    model, got_kind, _ = load_model_file(out)
    assert got_kind == kind
    model.eval()
    with torch.no_grad():
        y, z = model.initial_state(ref["tokens"].shape[0])
        for step, s in enumerate(ref["steps"], 1):
            y, z, logits, qh, qc = model(y, z, ref["tokens"], ref["puzzle_ids"])
            tol = TOL[step]
            assert rel_err(logits, s["logits"]) <= tol, step
            assert rel_err(qh, s["q_halt"]) <= tol and rel_err(qc, s["q_continue"]) <= tol, step
            if s.get("y") is not None:
                assert rel_err(y, s["y"]) <= 1e-4 and rel_err(z, s["z"]) <= 1e-4
            assert torch.equal(logits.argmax(-1), s["pred"])
    # The Rust tests read the committed conversion; it must be what the converter makes now.
    committed = FIXTURES / f"reference_{name}.safetensors"
    with safe_open(str(out), "pt") as a, safe_open(str(committed), "pt") as b:
        assert a.metadata() == b.metadata()
        assert set(a.keys()) == set(b.keys())
        for k in a.keys():
            assert torch.equal(a.get_tensor(k), b.get_tensor(k)), k


def test_reference_float32_noise_grows_past_1e4_by_step_3():
    """Why the Rust test allows 3e-4 at step 3 of the mlp_t reference: the reference's own
    float32 logits are that far from float64 there. If this ever stops holding, tighten it."""
    src = REFERENCE / "trm_mlp_t"
    ref = load_reference_outputs(src)
    model, _, _ = load_model_file(FIXTURES / "reference_trm_mlp_t.safetensors")
    model = model.double().eval()
    errs = []
    with torch.no_grad():
        y, z = (t.double() for t in model.initial_state(3))
        for s in ref["steps"]:
            y, z, logits, _, _ = model(y, z, ref["tokens"], ref["puzzle_ids"])
            errs.append(rel_err(s["logits"], logits))
    assert errs[0] < 1e-4 and errs[1] < 1e-4
    assert 1e-4 < errs[2] < 1.5e-4


def test_converter_keeps_chosen_rows(tmp_path):
    src = REFERENCE / "trm_att"
    full = torch.load(str(src / "step_1"), map_location="cpu", weights_only=True)["_orig_mod.model.inner.puzzle_emb.weights"]
    out = tmp_path / "m.safetensors"
    cfg = convert_reference(src / "step_1", src / "all_config.yaml", out, "arc", seq_len=36,
                            identifiers=["<blank>", "taskA|||0"], keep_tasks=["taskA"])
    model, _, rows = load_model_file(out)
    assert rows == ["<blank>", "taskA|||0"] and cfg.num_puzzle_identifiers == 2
    assert torch.equal(model.puzzle_emb.weights, full)
    out2 = tmp_path / "m2.safetensors"
    convert_reference(src / "step_1", src / "all_config.yaml", out2, "arc", seq_len=36, keep_rows=[0])
    model2, _, rows2 = load_model_file(out2)
    assert rows2 == ["row0"] and torch.equal(model2.puzzle_emb.weights, full[:1])


def test_converter_rejects_wrong_seq_len(tmp_path):
    src = REFERENCE / "trm_mlp_t"
    with pytest.raises(ValueError, match="seq_len"):
        convert_reference(src / "step_1", src / "all_config.yaml", tmp_path / "m.safetensors", "sudoku", seq_len=80)
