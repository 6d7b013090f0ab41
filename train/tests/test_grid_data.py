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
    # crate/tests/grid_augment.rs checks the committed file against Rust; this ties it to Python.
    committed = json.loads((ROOT / "tests/fixtures/arc_augment.json").read_text())
    assert committed == json.loads(json.dumps(arc_augment.build()))


def test_dihedral_inverses():
    g = np.arange(12).reshape(3, 4)
    for k in range(8):
        assert (dihedral(dihedral(g, k), inverse_dihedral(k)) == g).all()
    assert len({dihedral(g, k).tobytes() + bytes(dihedral(g, k).shape) for k in range(8)}) == 8


def test_maze_split_and_stream_resume():
    q, a = maze_data.training_shared()
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
