"""Mining puzzles a model gets wrong (train/mine_sudoku.py) and the per-puzzle verdict it uses."""

import json

import numpy as np
import pytest
import torch

import mine_sudoku
from trm.evaluate import evaluate, solved_mask
from trm.model import TRM, TRMConfig
from trm.modelfile import export_model
from trm.sudoku_data import dataset_split, line_to_tokens, read_csv_pairs, tokens_to_line

TINY = dict(vocab_size=11, seq_len=81, hidden_size=16, num_heads=2, expansion=2, L_layers=1, H_cycles=2,
            L_cycles=1, halt_max_steps=4, mlp_t=True, pos_encodings="none", puzzle_emb_ndim=16, puzzle_emb_len=1)


def model_and_half_solved(n=12, steps=3):
    """A random tiny model and puzzles whose labels are its own answers for even rows, so that
    exactly those count as solved."""
    torch.manual_seed(0)
    model = TRM(TRMConfig.from_dict(TINY))
    x, y = dataset_split("sudoku_extreme_train_subsample.txt", held_out=False)
    x, y = x[:n], y[:n].copy()
    with torch.no_grad():
        xt = torch.as_tensor(x.astype(np.int64))
        yy, z = model.initial_state(n)
        for _ in range(steps):
            yy, z, logits, _, _ = model(yy, z, xt, torch.zeros(n, dtype=torch.long))
    y[::2] = logits.argmax(-1).numpy()[::2]
    return model, x, y


def test_solved_mask_marks_exactly_the_puzzles_the_model_answers():
    model, x, y = model_and_half_solved()
    mask = solved_mask(model, x, y, steps=3, batch=5)  # a batch that does not divide n
    assert mask.tolist() == [i % 2 == 0 for i in range(len(x))]
    assert evaluate(model, x, y, steps=3, batch=5)["exact"] == mask.sum()


def test_lines_and_tokens_round_trip():
    line = "1.3......" * 9
    assert tokens_to_line(line_to_tokens(line)) == line


def test_mining_keeps_the_wrong_answers_only(tmp_path, capsys, monkeypatch):
    # The verdict itself is tested above; here: which rows reach the file, and how. (A model's
    # own answers can hold PAD or blank tokens, which no puzzle line spells.)
    x, y = dataset_split("sudoku_extreme_train_subsample.txt", held_out=False)
    x, y = x[:12], y[:12]
    seen = {}

    def verdict(model, xs, ys, steps, batch):
        seen.update(steps=steps, n=len(xs), dtype=model.cfg.forward_dtype)
        return np.arange(len(xs)) % 3 == 0

    monkeypatch.setattr(mine_sudoku, "solved_mask", verdict)
    src = tmp_path / "candidates.csv"
    src.write_text("".join(f"{tokens_to_line(a)},{tokens_to_line(b)}\n" for a, b in zip(x, y)))
    torch.manual_seed(0)
    export_model(TRM(TRMConfig.from_dict(TINY)), tmp_path / "m.safetensors", "sudoku")
    out = tmp_path / "mined.csv"
    mine_sudoku.main(["--model", str(tmp_path / "m.safetensors"), "--from", str(src), "--steps", "3",
                      "--forward-dtype", "float32", "--out", str(out)])
    report = json.loads(capsys.readouterr().out)
    mx, my = read_csv_pairs(out)
    assert seen == {"steps": 3, "n": 12, "dtype": "float32"}
    assert report["candidates"] == 12 and report["kept"] == len(mx) == 8
    keep = np.arange(12) % 3 != 0
    assert np.array_equal(mx, x[keep]) and np.array_equal(my, y[keep])


def test_mining_refuses_a_model_of_another_kind(tmp_path):
    export_model(TRM(TRMConfig.from_dict({**TINY, "vocab_size": 6})), tmp_path / "m.safetensors", "maze")
    with pytest.raises(SystemExit, match="maze model, not a Sudoku model"):
        mine_sudoku.main(["--model", str(tmp_path / "m.safetensors"), "--seed", "1", "--out", str(tmp_path / "o.csv")])
