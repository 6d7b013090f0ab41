"""The 30x30 training data: fixture agreement with the Rust codec, held-out splits, and
resumable streams."""
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "fixtures"))
import arc_augment  # noqa: E402
from trm import arc_data, maze_data  # noqa: E402
from trm.grids import dihedral, inverse_dihedral  # noqa: E402


def test_fixture_is_what_the_pipeline_writes():
    # crate/tests/it/grid_augment.rs checks the committed file against Rust; this ties it to Python.
    committed = json.loads((ROOT / "tests/fixtures/arc_augment.json").read_text())
    assert committed == json.loads(json.dumps(arc_augment.build()))


def test_dihedral_inverses():
    g = np.arange(12).reshape(3, 4)
    for k in range(8):
        assert (dihedral(dihedral(g, k), inverse_dihedral(k)) == g).all()
    assert len({dihedral(g, k).tobytes() + bytes(dihedral(g, k).shape) for k in range(8)}) == 8


def test_maze_split_and_stream_resume():
    q, a = maze_data.training_split()
    hq, _ = maze_data.held_out()
    assert len(q) == 800 and len(hq) == 200
    train = {x.tobytes() for x in q}
    assert not any(x.tobytes() in train for x in hq)
    s = maze_data.MazeStream(q, a, seed=3)
    s.next(5)
    st = s.state()
    x1, y1 = s.next(4)
    s2 = maze_data.MazeStream(q, a, seed=3)
    s2.load_state(st)
    x2, y2 = s2.next(4)
    assert (x1 == x2).all() and (y1 == y2).all()
    # Answers only turn open cells into path cells.
    assert ((x1 == y1) | ((x1 == 2) & (y1 == 5))).all()


def test_arc_table_and_eval_split():
    tasks = arc_data.training_pairs()
    assert len(tasks) == 800
    table = arc_data.ArcTable(tasks, 3, seed=0)
    assert len(table.names) == 1 + 3 * 800 and len(set(table.names)) == len(table.names)
    x, y, ids = arc_data.eval_set(table, 10)
    assert x.shape == (10, 900) and (ids > 0).all()
    # Eval test outputs are not among the pairs the model trains on.
    ev = arc_data.load_tasks("evaluation")
    name = sorted(ev)[0]
    out = np.array(ev[name]["test"][0]["output"])
    assert not any(o.shape == out.shape and (o == out).all() for _, o in tasks[name])
    s = arc_data.ArcStream(tasks, table, seed=1)
    a, b, r = s.next(6)
    assert a.shape == (6, 900) and (r >= 1).all() and (r < len(table.names)).all()


def test_a_small_arc_canvas_keeps_only_the_tasks_that_fit():
    tasks = arc_data.training_pairs(10)
    # ARC-AGI-1: 178 training and 77 evaluation tasks have every grid within 10x10.
    assert len(tasks) == 178 + 77
    assert all(g.shape[0] <= 10 and g.shape[1] <= 10 for pairs in tasks.values() for p in pairs for g in p)
    table = arc_data.ArcTable(tasks, 2, seed=0)
    x, y, ids = arc_data.eval_set(table, side=10)
    assert x.shape == y.shape == (len(ids), 100) and (ids > 0).all()
    a, b, _ = arc_data.ArcStream(tasks, table, seed=3, side=10).next(16)
    # Every painted example keeps all its colour cells: none fell off the smaller canvas.
    assert a.shape == (16, 100) and ((a >= 2).sum(1) > 0).all() and ((b >= 2).sum(1) > 0).all()


def test_arc_training_uses_and_exports_the_puzzle_rows(tmp_path):
    import torch
    from safetensors import safe_open

    from trm.train import Trainer, TrainConfig

    tasks = {k: v for k, v in list(arc_data.training_pairs().items())[:3]}
    table = arc_data.ArcTable(tasks, 2, seed=0)
    model = dict(vocab_size=12, seq_len=900, hidden_size=8, num_heads=2, expansion=1, L_layers=1, H_cycles=1,
                 L_cycles=1, halt_max_steps=2, mlp_t=False, pos_encodings="rope", puzzle_emb_ndim=8,
                 puzzle_emb_len=1, num_puzzle_identifiers=len(table.names))
    cfg = TrainConfig(model=model, batch_size=3, lr=1e-3, lr_warmup_steps=1, eval_every=0, log_every=1,
                      checkpoint_minutes=1e9, threads=1)
    t = Trainer(cfg, tmp_path, arc_data.ArcStream(tasks, table, seed=0), kind="arc", puzzle_rows=table.names,
                scored_token=-1)
    before = t.model.puzzle_emb.weights.detach().clone()
    used = set()
    for _ in range(2):
        t.train_step()
        ids = t.carry.ids
        assert (ids >= 1).all() and (ids < len(table.names)).all()
        used |= set(ids.tolist())
    t.save_checkpoint()
    # Only rows some batch used have moved (zero-initialised, as the reference's table).
    changed = (t.model.puzzle_emb.weights.detach() != before).any(-1).nonzero().squeeze(-1).tolist()
    assert changed and set(changed) <= used
    with safe_open(str(tmp_path / "model.safetensors"), "pt") as f:
        meta = f.metadata()
    assert meta["puzzle_kind"] == "arc"
    assert json.loads(meta["puzzle_rows"]) == table.names
    assert torch.isfinite(t.model.puzzle_emb.weights).all()


def _line(rows):
    return maze_data.line_to_tokens("".join(rows))


def test_size_curriculum_walls_small_mazes_into_the_full_side():
    # One 11x11 and one 5x5 corridor maze with their answers (as `trm generate --side` makes).
    big_q = _line(["S    " + "#" * 5 + " ", *([" " * 11] * 9), " " * 10 + "G"])
    big_a = big_q.copy()
    small_rows = ["S # G", "  #  ", "     ", "# # #", "     "]
    small_ans = ["So#oG", " o#o ", " ooo ", "# # #", "     "]
    sq, sa = _line(small_rows)[None], _line(small_ans)[None]
    s = maze_data.MazeStream(big_q[None], big_a[None], seed=1, small=[(sq, sa)], small_prob=1.0)
    x, y = s.next(16)
    assert x.shape == (16, 121) and y.shape == (16, 121)
    for q, a in zip(x, y):
        # The 5x5 maze sits somewhere in a canvas of walls, with its path intact.
        assert (q == maze_data.WALL).sum() >= 121 - 25
        assert (a == 5).sum() == 7 and (q == 3).sum() == 1 and (q == 4).sum() == 1
        assert ((q == a) | ((q == 2) & (a == 5))).all()
    # No small pool, or probability 0: only full-size mazes; resuming draws the same ones.
    plain = maze_data.MazeStream(big_q[None], big_a[None], seed=1, small=[(sq, sa)], small_prob=0.0)
    assert all((q == maze_data.WALL).sum() == 5 for q in plain.next(8)[0])
    st = s.state()
    again = maze_data.MazeStream(big_q[None], big_a[None], seed=1, small=[(sq, sa)], small_prob=1.0)
    again.load_state(st)
    assert (again.next(4)[0] == s.next(4)[0]).all()
