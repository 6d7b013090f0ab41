"""Training: exact resume, the ACT slot mechanics, the data stream, the optimizer."""

import dataclasses
import json

import numpy as np
import pytest
import torch

from trm.losses import IGNORE, act_loss, stablemax_cross_entropy
from trm.model import TRM, TRMConfig
from trm.optim import AdamATan2
from trm.sudoku_data import (EXTREME, HELD_OUT, Curriculum, SudokuStream, apply_augmentation, dataset_split,
                             group_weights, random_augmentation, random_augmentations,
                             training_datasets)
from trm import train as train_mod
from trm.train import Trainer, TrainConfig, resolve_forward_dtype

TINY = dict(vocab_size=11, seq_len=81, hidden_size=16, num_heads=2, expansion=2, L_layers=1, H_cycles=2,
            L_cycles=1, halt_max_steps=4, mlp_t=True, pos_encodings="none", puzzle_emb_ndim=16, puzzle_emb_len=1)


def make_trainer(run_dir, **kw):
    cfg = TrainConfig(model=kw.pop("model", dict(TINY)), batch_size=kw.pop("batch_size", 4), lr=1e-3, lr_warmup_steps=2, eval_every=0, log_every=1,
                      checkpoint_minutes=1e9, threads=1, curriculum_reveal=0.5, curriculum_until=40, **kw)
    x, y = dataset_split("sudoku_extreme_train_subsample.txt", held_out=False)
    stream = SudokuStream(x[:50], y[:50], seed=3, curriculum=Curriculum(cfg.curriculum_reveal, cfg.curriculum_until))
    return Trainer(cfg, run_dir, stream)


def test_resume_continues_the_same_curve(tmp_path):
    a = make_trainer(tmp_path / "a")
    a.train(max_steps=10, quiet=True)
    b = make_trainer(tmp_path / "b")
    b.train(max_steps=5, quiet=True)  # saves a checkpoint at the end
    b2 = make_trainer(tmp_path / "b")
    assert b2.try_resume() and b2.step == 5
    b2.train(max_steps=10, quiet=True)
    for k, v in a.model.state_dict().items():
        assert torch.equal(v, b2.model.state_dict()[k]), k
    for k, v in a.ema.shadow.items():
        assert torch.equal(v, b2.ema.shadow[k]), k
    la = [json.loads(s) for s in (tmp_path / "a" / "log.jsonl").read_text().splitlines()]
    lb = [json.loads(s) for s in (tmp_path / "b" / "log.jsonl").read_text().splitlines()]
    strip = lambda r: {k: v for k, v in r.items() if k not in ("train_seconds", "cpu_seconds")}  # noqa: E731
    assert [strip(r) for r in la] == [strip(r) for r in lb]
    assert (tmp_path / "b" / "model.safetensors").exists()


def test_a_cpu_budget_ends_the_run_once_spent(tmp_path):
    a = make_trainer(tmp_path / "a", max_cpu_seconds=1e-6)
    a.train(max_steps=10, quiet=True)
    assert a.step == 1, "the first step spends the budget"
    b = make_trainer(tmp_path / "a", max_cpu_seconds=1e9)
    assert b.try_resume() and b.cpu_seconds > 0
    b.train(max_steps=3, quiet=True)
    assert b.step == 3


def test_compiled_training_step_follows_the_eager_one(tmp_path):
    # torch.compile fuses ops (float rounding may differ) but must keep the ACT carry and the
    # optimizer exactly as wired: the same losses to float tolerance, step by step.
    eager, compiled = make_trainer(tmp_path / "e"), make_trainer(tmp_path / "c", compile=True)
    for _ in range(4):
        a, b = eager.train_step(), compiled.train_step()
        assert a["halted"] == b["halted"]
        assert np.isclose(a["loss"], b["loss"], rtol=1e-4), (a["loss"], b["loss"])


def test_auto_forward_dtype_is_bfloat16_only_where_the_hardware_has_it(monkeypatch):
    cpu = torch.device("cpu")
    assert resolve_forward_dtype("float32", cpu) == "float32"
    assert resolve_forward_dtype("bfloat16", cpu) == "bfloat16"
    monkeypatch.setattr(train_mod, "cpu_has_bf16", lambda: True)
    assert resolve_forward_dtype("auto", cpu) == "bfloat16"
    monkeypatch.setattr(train_mod, "cpu_has_bf16", lambda: False)
    assert resolve_forward_dtype("auto", cpu) == "float32"
    assert resolve_forward_dtype("auto", torch.device("cuda")) == "bfloat16"


def test_resume_takes_the_learning_rate_of_the_configuration(tmp_path):
    a = make_trainer(tmp_path / "a")
    a.train(max_steps=3, quiet=True)
    b = make_trainer(tmp_path / "a")
    b.cfg = dataclasses.replace(b.cfg, lr=3e-4)
    b.opt.param_groups[0]["base_lr"] = 3e-4  # as building with lr=3e-4 sets it
    assert b.try_resume()
    b.train(max_steps=4, quiet=True)
    assert b.opt.param_groups[0]["lr"] == pytest.approx(3e-4), "a --set lr on resume is what trains"


def test_resume_may_change_the_batch_size(tmp_path):
    a = make_trainer(tmp_path / "a")
    a.train(max_steps=3, quiet=True)
    saved = {k: v.clone() for k, v in a.carry.state().items()}
    big = make_trainer(tmp_path / "a", batch_size=6)
    assert big.try_resume() and big.step == 3
    assert len(big.carry.y) == 6 and torch.equal(big.carry.y[:4], saved["y"].to(big.carry.y.dtype))
    assert torch.equal(big.carry.halted[:4], saved["halted"]) and big.carry.halted[4:].all(), \
        "the new slots take examples at the next step"
    big.train(max_steps=5, quiet=True)
    assert big.step == 5 and len(big.carry.steps) == 6
    small = make_trainer(tmp_path / "a", batch_size=2)
    assert small.try_resume() and small.step == 5
    assert torch.equal(small.carry.inputs, big.carry.inputs[:2])
    small.train(max_steps=6, quiet=True)
    assert small.step == 6


def test_cooldown_branch_anneals_the_learning_rate_to_zero(tmp_path):
    a = make_trainer(tmp_path / "a")
    a.train(max_steps=4, quiet=True)
    b = make_trainer(tmp_path / "a", lr_cooldown_from=4, lr_cooldown_steps=4)
    assert b.try_resume()
    lrs = []
    for _ in range(6):
        b.train(max_steps=b.step + 1, quiet=True)
        lrs.append(b.opt.param_groups[0]["lr"])
    assert lrs == pytest.approx([1e-3, 7.5e-4, 5e-4, 2.5e-4, 0.0, 0.0])
    before = {k: v.clone() for k, v in b.model.state_dict().items()}
    b.train(max_steps=b.step + 1, quiet=True)
    for k, v in b.model.state_dict().items():
        assert torch.equal(v, before[k]), f"{k} moved at learning rate 0"


def test_resume_refuses_another_model(tmp_path):
    a = make_trainer(tmp_path / "a")
    a.train(max_steps=1, quiet=True)
    b = make_trainer(tmp_path / "a")
    b.cfg = dataclasses.replace(b.cfg, model={**TINY, "hidden_size": 32})
    with pytest.raises(ValueError, match="different model"):
        b.try_resume()
    # The forward dtype is a choice of the machine that resumes, not another model.
    c = make_trainer(tmp_path / "a", model={**TINY, "forward_dtype": "bfloat16"})
    assert c.try_resume() and c.step == 1
    assert c.carry.y.dtype == c.carry.z.dtype == torch.bfloat16
    c.train(max_steps=2, quiet=True)
    # Neither are T and n: the same weights recur more often.
    d = make_trainer(tmp_path / "a", model={**TINY, "H_cycles": 3, "L_cycles": 2})
    assert d.try_resume() and d.step == 2
    d.train(max_steps=3, quiet=True)


def test_slots_halt_at_max_steps_and_take_new_examples(tmp_path):
    t = make_trainer(tmp_path, halt_exploration_prob=0.0)
    # Q head starts at -5, so nothing halts early: every slot runs exactly halt_max_steps.
    first = t.carry.inputs.clone()
    filled = []
    for i in range(4):
        filled.append(t.train_step()["filled"])
        assert bool(t.carry.halted.all()) == (i == 3)
    assert filled == [4, 0, 0, 0]
    assert t.train_step()["filled"] == 4 and not torch.equal(first, t.carry.inputs)
    assert torch.all(t.carry.steps == 1)


def test_loss_values():
    logits = torch.tensor([[[2.0, 0.0, -1.0], [0.0, 3.0, 0.0]]])
    labels = torch.tensor([[0, IGNORE]])
    ce = stablemax_cross_entropy(logits, labels)
    s = torch.tensor([3.0, 1.0, 0.5])
    assert ce[0, 1] == 0 and torch.isclose(ce[0, 0], -torch.log(s[0] / s.sum()).double())
    loss, lm, q, exact, cell_ok = act_loss(logits, torch.tensor([0.0]), labels)
    assert bool(exact[0]) and torch.isclose(loss, lm + 0.5 * q)
    assert torch.isclose(q, torch.log(torch.tensor(2.0)))  # BCE(0 logit, target 1)


def test_token_weights_scale_only_cells_with_that_label():
    logits = torch.tensor([[[2.0, 0.0, -1.0], [0.0, 3.0, 0.0], [1.0, 0.0, 0.0]]])
    labels = torch.tensor([[0, 2, 1]])
    ce = stablemax_cross_entropy(logits, labels)
    _, plain, _, _, _ = act_loss(logits, torch.tensor([0.0]), labels)
    _, weighted, _, _, _ = act_loss(logits, torch.tensor([0.0]), labels, token_weights={"2": 4.0})
    assert torch.isclose(plain, ce.sum() / 3)
    assert torch.isclose(weighted, (ce[0, 0] + 4 * ce[0, 1] + ce[0, 2]) / 3)
    _, same, _, _, _ = act_loss(logits, torch.tensor([0.0]), labels, token_weights={"7": 9.0})
    assert torch.isclose(same, plain)


def test_adam_atan2_moves_against_the_gradient_and_is_bounded():
    p = torch.nn.Parameter(torch.tensor([1.0, -1.0]))
    opt = AdamATan2([p], lr=0.1, weight_decay=0.0)
    (p * torch.tensor([1e6, -1e-6])).sum().backward()
    opt.step()
    # atan2 bounds each update by lr * a * pi / 2 however large the gradient.
    assert p[0] < 1.0 and p[1] > -1.0
    assert float((p.detach() - torch.tensor([1.0, -1.0])).abs().max()) <= 0.1 * 1.27 * np.pi / 2 + 1e-6


def test_augmentations_keep_sudokus_valid():
    x, y = dataset_split("sudoku_extreme_train_subsample.txt", held_out=True)
    rng = np.random.default_rng(0)
    batch = random_augmentations(rng, 20)
    xs, ys = apply_augmentation(x[:20], batch), apply_augmentation(y[:20], batch)
    # Each row has its own symmetry, and the batched form is the per-row one.
    assert len({c.tobytes() for c in batch[1]}) == 20 and len({d.tobytes() for d in batch[0]}) > 1
    one = (batch[0][3], batch[1][3])
    assert np.array_equal(xs[3], apply_augmentation(x[3], one)) and np.array_equal(ys[3], apply_augmentation(y[3], one))
    for i in range(20):
        aug = random_augmentation(rng) if i % 2 else (batch[0][i], batch[1][i])
        sol = (apply_augmentation(y[i], aug) if i % 2 else ys[i]).reshape(9, 9) - 1
        puz = (apply_augmentation(x[i], aug) if i % 2 else xs[i]).reshape(9, 9)
        for k in range(9):
            assert sorted(sol[k]) == list(range(1, 10)) and sorted(sol[:, k]) == list(range(1, 10))
            b = sol[3 * (k // 3):3 * (k // 3) + 3, 3 * (k % 3):3 * (k % 3) + 3]
            assert sorted(b.reshape(-1)) == list(range(1, 10))
        given = puz != 1
        assert np.all(puz[given] == sol[given] + 1)


def test_curriculum_reveals_solution_cells_then_stops():
    x, y = dataset_split("sudoku_extreme_train_subsample.txt", held_out=False)
    s = SudokuStream(x, y, seed=1, curriculum=Curriculum(0.5, 1000), augment=False)
    early, _ = s.next(200)
    s.samples = 1000
    late, _ = s.next(200)
    assert (early == 1).mean() < 0.75 * (late == 1).mean()


def test_stream_weights_set_how_often_each_part_is_drawn():
    x, y = dataset_split("sudoku_extreme_train_subsample.txt", held_out=False)
    # 10 "hard" rows get 80% of the draws although they are 10 of 110.
    w = np.concatenate([np.full(100, 0.2 / 100), np.full(10, 0.8 / 10)])
    s = SudokuStream(x[:110], y[:110], seed=2, augment=False, weights=w)
    hard = {r.tobytes() for r in x[100:110]}
    drawn, _ = s.next(1000)
    share = np.mean([r.tobytes() in hard for r in drawn])
    assert 0.74 < share < 0.86, share


def test_group_weights_give_each_fixed_group_its_share():
    w = group_weights([100, 10, 40], [None, 0.25, None])
    assert len(w) == 150 and np.isclose(w.sum(), 1)
    assert np.isclose(w[100:110].sum(), 0.25)
    # The groups without a fraction share the rest by size, as one uniform pool.
    assert np.allclose(w[:100], w[110]) and np.allclose(w[110:], w[110]) and np.isclose(w[:100].sum(), 0.75 * 100 / 140)
    assert np.isclose(group_weights([5, 5], [0.0, None])[:5].sum(), 0)
    for bad in ([0.7, 0.6], [-0.1, None], [1.5, None]):
        with pytest.raises(ValueError, match="fractions"):
            group_weights([5, 5], bad)
    with pytest.raises(ValueError, match="leave"):
        group_weights([5, 5], [0.5, 0.2])


def test_training_rows_start_with_the_extreme_lines():
    # train_sudoku.py weights the first HELD_OUT[EXTREME] rows of training_datasets() as the
    # Extreme lines (extreme_fraction).
    tx, _ = training_datasets()
    ex, _ = dataset_split(EXTREME, held_out=False)
    assert len(ex) == HELD_OUT[EXTREME]
    assert np.array_equal(tx[:len(ex)], ex)


def test_held_out_parts_are_not_in_training():
    tx, _ = training_datasets()
    train_rows = {r.tobytes() for r in tx}
    for name in ("tdoku_unbiased_first1000.txt", "sudoku_extreme_train_subsample.txt", "tdoku_17_clue_sample10k.txt"):
        hx, _ = dataset_split(name, held_out=True)
        assert len(hx) > 0
        assert not any(r.tobytes() in train_rows for r in hx), name


def test_stream_state_round_trip():
    x, y = dataset_split("sudoku_extreme_train_subsample.txt", held_out=False)
    a = SudokuStream(x, y, seed=5)
    a.next(3)
    st = a.state()
    want = a.next(4)
    b = SudokuStream(x, y, seed=99)
    b.load_state(st)
    got = b.next(4)
    assert np.array_equal(want[0], got[0]) and np.array_equal(want[1], got[1])


def test_ema_warms_up_then_follows_the_recipe():
    from trm.optim import EMA

    m = torch.nn.Linear(1, 1, bias=False)
    with torch.no_grad():
        m.weight.fill_(0.0)
    ema = EMA(m, mu=0.999)
    with torch.no_grad():
        m.weight.fill_(1.0)
    for _ in range(500):
        ema.update(m)
    # A flat 0.999 would leave 0.999**500 = 61% of the initial 0 in the average.
    assert float(ema.shadow["weight"]) > 0.97
    ema.updates = 20_000
    assert ema.decay() == 0.999


def test_transport_packs_a_run_into_parts_that_resume(tmp_path):
    import transport

    a = make_trainer(tmp_path / "a")
    a.train(max_steps=3, quiet=True)
    parts = transport.pack(tmp_path / "a", tmp_path / "parts", part_mib=0.02)
    assert len(parts) > 1 and all(p.stat().st_size <= 0.02 * 2**20 for p in parts)
    assert transport.unpack(tmp_path / "parts", tmp_path / "b") == 3
    b = make_trainer(tmp_path / "b")
    assert b.try_resume() and b.step == 3
    for k, v in a.model.state_dict().items():
        assert torch.equal(v, b.model.state_dict()[k]), k
    for k, v in a.ema.shadow.items():
        assert torch.equal(v, b.ema.shadow[k]), k
    for p, q in zip(a.opt.param_groups[0]["params"], b.opt.param_groups[0]["params"]):
        sa, sb = a.opt.state[p], b.opt.state[q]
        assert sb["exp_avg"].dtype == torch.float32
        torch.testing.assert_close(sb["exp_avg"], sa["exp_avg"], rtol=1e-2, atol=1e-8)
        torch.testing.assert_close(sb["exp_avg_sq"], sa["exp_avg_sq"], rtol=1e-2, atol=1e-12)
    b.train(max_steps=5, quiet=True)
    assert b.step == 5

    parts[1].write_bytes(parts[1].read_bytes()[:-1] + b"x")
    with pytest.raises(ValueError, match="do not add up"):
        transport.unpack(tmp_path / "parts", tmp_path / "c")


def test_transport_may_keep_only_the_first_slots(tmp_path):
    import transport

    a = make_trainer(tmp_path / "a")
    a.train(max_steps=3, quiet=True)
    transport.pack(tmp_path / "a", tmp_path / "parts", keep_slots=2)
    transport.unpack(tmp_path / "parts", tmp_path / "b")
    assert len(torch.load(tmp_path / "b" / "checkpoint.pt", weights_only=False)["carry"]["y"]) == 2
    b = make_trainer(tmp_path / "b")
    assert b.try_resume() and len(b.carry.y) == 4
    assert torch.equal(b.carry.inputs[:2], a.carry.inputs[:2]) and b.carry.halted[2:].all()
    b.train(max_steps=4, quiet=True)


def test_every_preset_is_a_valid_configuration():
    from trm.train import GRID_PRESETS, PRESETS

    for name, d in {**PRESETS, **GRID_PRESETS}.items():
        cfg = TrainConfig.from_dict(json.loads(json.dumps(d)))
        TRMConfig(**cfg.model)
        assert cfg.batch_size > 0 and cfg.lr > 0, name


def test_pad_labels_are_no_target(tmp_path):
    """ARC answers sit on a PAD canvas; those cells must not be trained on (the reference
    ignores label 0), while every other label is kept as given."""
    tr = make_trainer(tmp_path)
    x, y = dataset_split("sudoku_extreme_train_subsample.txt", held_out=False)

    class PaddedStream:
        def next(self, n):
            labels = y[:n].copy()
            labels[:, 40:] = 0
            return x[:n], labels

    tr.stream = PaddedStream()
    tr.train_step()
    labels = tr.carry.labels
    assert (labels[:, 40:] == IGNORE).all()
    assert torch.equal(labels[:, :40], torch.as_tensor(y[:labels.shape[0], :40].astype(np.int64)))


def test_grad_cycles_sets_how_far_back_gradients_reach():
    torch.manual_seed(0)
    m = TRM(TRMConfig(**TINY))
    tokens = torch.randint(1, 11, (2, 81))
    ids = torch.zeros(2, dtype=torch.long)
    grads = []
    for k in (1, 2):
        y, z = m.initial_state(2)
        y.requires_grad_(True)
        _, _, logits, _, _ = m(y, z, tokens, ids, grad_cycles=k)
        logits.sum().backward()
        grads.append(y.grad)
    # The carried answer y enters the first of the T=2 cycles only: the paper's 1-step
    # gradient stops before it, two cycles reach it.
    assert grads[0] is None
    assert grads[1] is not None and grads[1].abs().sum() > 0


def test_grad_cycles_changes_training_and_is_checked(tmp_path):
    with pytest.raises(ValueError, match="grad_cycles 3"):
        make_trainer(tmp_path / "bad", grad_cycles=3)
    a, b = make_trainer(tmp_path / "a"), make_trainer(tmp_path / "b", grad_cycles=2)
    a.train(max_steps=3, quiet=True)
    b.train(max_steps=3, quiet=True)
    wa, wb = a.model.state_dict(), b.model.state_dict()
    assert any(not torch.equal(wa[k], wb[k]) for k in wa)


def test_init_from_starts_a_new_run_from_a_model_file(tmp_path):
    a = make_trainer(tmp_path / "a")
    a.train(max_steps=3, quiet=True)
    a.export(tmp_path / "a.safetensors")
    b = make_trainer(tmp_path / "b", init_from=str(tmp_path / "a.safetensors"))
    ema = a.ema_model().state_dict()
    assert all(torch.equal(b.model.state_dict()[k], ema[k]) for k in ema)
    assert b.step == 0
    b.train(max_steps=1, quiet=True)
    # Deeper recursion over the same weights is the same model; another width is not.
    make_trainer(tmp_path / "c", init_from=str(tmp_path / "a.safetensors"), model={**TINY, "H_cycles": 3})
    with pytest.raises(ValueError, match="differs in hidden_size"):
        make_trainer(tmp_path / "d", init_from=str(tmp_path / "a.safetensors"), model={**TINY, "hidden_size": 32})
