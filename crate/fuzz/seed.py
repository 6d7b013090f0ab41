"""Writes the starting corpus of the fuzz targets (crate/fuzz/corpus/<target>/seed-*): small
real inputs of each kind, so libFuzzer starts from the formats' shapes instead of noise.
Rerun from the repository root: python3 crate/fuzz/seed.py"""
import json
import pathlib

import numpy as np
from safetensors.numpy import save

ROOT = pathlib.Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
CORPUS = pathlib.Path(__file__).resolve().parent / "corpus"


def put(target, name, data):
    d = CORPUS / target
    d.mkdir(parents=True, exist_ok=True)
    (d / f"seed-{name}").write_bytes(data.encode() if isinstance(data, str) else data)


def model(cfg, kind, dtype="float32", rows=None):
    # Shapes are taken from a real file of the same variant where possible; for the seeds a
    # wrong shape is fine too (the loader must reject it with a typed error).
    rng = np.random.default_rng(0)
    D, V, S, L = cfg["hidden_size"], cfg["vocab_size"], cfg["seq_len"], cfg["L_layers"]
    P = cfg["puzzle_emb_len"] if cfg["puzzle_emb_ndim"] > 0 else 0
    inter = -(-round(cfg["expansion"] * D * 2 / 3) // 256) * 256
    t = {"embed_tokens.embedding_weight": (V, D), "H_init": (D,), "L_init": (D,), "lm_head.weight": (V, D),
         "q_head.weight": (2, D), "q_head.bias": (2,)}
    if cfg["puzzle_emb_ndim"] > 0:
        t["puzzle_emb.weights"] = (cfg["num_puzzle_identifiers"], cfg["puzzle_emb_ndim"])
    if cfg["pos_encodings"] == "learned":
        t["embed_pos.embedding_weight"] = (S + P, D)
    for i in range(L):
        p = f"L_level.layers.{i}"
        if cfg["mlp_t"]:
            ti = -(-round(cfg["expansion"] * (S + P) * 2 / 3) // 256) * 256
            t[f"{p}.mlp_t.gate_up_proj.weight"] = (2 * ti, S + P)
            t[f"{p}.mlp_t.down_proj.weight"] = (S + P, ti)
        else:
            t[f"{p}.self_attn.qkv_proj.weight"] = (3 * D, D)
            t[f"{p}.self_attn.o_proj.weight"] = (D, D)
        t[f"{p}.mlp.gate_up_proj.weight"] = (2 * inter, D)
        t[f"{p}.mlp.down_proj.weight"] = (D, inter)
    arrays = {k: (rng.standard_normal(s) * 0.1).astype(dtype) for k, s in t.items()}
    meta = {"format": "trm-web/1", "puzzle_kind": kind, "config": json.dumps(cfg)}
    if rows is not None:
        meta["puzzle_rows"] = json.dumps(rows)
    return save(arrays, metadata=meta)


def main():
    base = {"vocab_size": 11, "seq_len": 4, "hidden_size": 8, "num_heads": 2, "expansion": 1.0, "L_layers": 1,
            "H_cycles": 2, "L_cycles": 2, "halt_max_steps": 4, "pos_encodings": "none", "mlp_t": True,
            "puzzle_emb_ndim": 8, "puzzle_emb_len": 1, "num_puzzle_identifiers": 2}
    att = dict(base, mlp_t=False, pos_encodings="rope", puzzle_emb_ndim=0, puzzle_emb_len=0, num_puzzle_identifiers=1)
    learned = dict(att, pos_encodings="learned", puzzle_emb_ndim=16, puzzle_emb_len=2, num_puzzle_identifiers=3)
    for name, cfg in [("mlp-t", base), ("att-rope", att), ("att-learned", learned)]:
        put("model_config", name, json.dumps(cfg))
        put("model_file", name, model(cfg, "sudoku"))
    put("model_file", "f16", model(base, "sudoku", "float16"))
    put("model_file", "rows", model(learned, "arc", rows=["a", "b", "c"]))
    put("model_config", "paper-sudoku", json.dumps(dict(base, seq_len=81, hidden_size=512, L_layers=2, H_cycles=3, L_cycles=6, halt_max_steps=16,
                        puzzle_emb_ndim=512, puzzle_emb_len=16, expansion=4.0)))

    lines = (DATA / "sudoku/tdoku_unbiased_first1000.txt").read_text().splitlines()[:3]
    for i, line in enumerate(lines):
        put("sudoku_parse", f"line-{i}", line)
    grid = lines[0].replace(".", "0")
    put("sudoku_parse", "pretty", "\n".join(" ".join(grid[r * 9:r * 9 + 9]) for r in range(9)))
    put("sudoku_parse", "clash", "11" + grid[2:])
    put("sudoku_parse", "short", grid[:40])
    put("sudoku_parse", "empty", "." * 81)
    put("sudoku_parse", "csv", "puzzle,solution\n" + lines[1] + "," + "1" * 81 + "\n")

    for name in ["d631b094.json", "e9afcf9a.json", "6150a2bd.json"]:
        put("arc_parse", name, (DATA / "arc-agi-1/training" / name).read_text())
    put("arc_parse", "grid", "[[0,1],[2,3]]")
    put("arc_parse", "ragged", '{"train":[{"input":[[1],[1,2]],"output":[[1]]}],"test":[]}')
    put("arc_parse", "colour", '{"train":[],"test":[{"input":[[10]]}]}')

    rows = (DATA / "maze/maze_30x30_hard_1k_train.csv").read_text().splitlines()
    q, a = rows[1].split(",")
    put("maze_parse", "question", "\n".join(q[r * 30:r * 30 + 30] for r in range(30)))
    put("maze_parse", "answer", a)
    put("maze_parse", "csv", "\n".join(rows[:3]))
    put("maze_parse", "two-starts", q.replace(" ", "S", 1))


if __name__ == "__main__":
    main()
