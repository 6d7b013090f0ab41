"""Writes arc.json, arc10.json and maze.json for the demo page from data/ (held-out parts only).
Rerun from the repository root: python3 www/examples/make_grid_examples.py"""
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
OUT = Path(__file__).resolve().parent

# ARC: evaluation tasks (their test outputs are held out from training), the 16 whose test
# input is smallest, so a visitor's first solves are quick to read.
tasks = []
for p in sorted((DATA / "arc-agi-1" / "evaluation").glob("*.json")):
    t = json.loads(p.read_text())
    g = t["test"][0]["input"]
    tasks.append((len(g) * len(g[0]), p.stem, t))
tasks.sort(key=lambda x: (x[0], x[1]))
arc = [{"name": name, "source": f"arc-agi-1/evaluation/{name}.json", "task": t} for _, name, t in tasks[:16]]
arc.sort(key=lambda x: x["name"])
(OUT / "arc.json").write_text(json.dumps(arc, separators=(",", ":")))

# ARC on the 10x10 canvas (the arc10 model): evaluation tasks whose every grid fits 10x10, as
# `trm eval` selects them; their test outputs are held out from its training. First the task the
# shipped arc10 model solves (MODEL_CARD.md, "ARC on a 10x10 canvas"), so that a visitor's first
# solve shows what the model can do; then the 15 others whose test input is smallest, by name.
ARC10_SOLVED = "94414823"
fits = []
for p in sorted((DATA / "arc-agi-1" / "evaluation").glob("*.json")):
    t = json.loads(p.read_text())
    grids = [g for pair in t["train"] + t["test"] for g in (pair["input"], pair.get("output")) if g]
    if all(len(g) <= 10 and len(g[0]) <= 10 for g in grids):
        g = t["test"][0]["input"]
        fits.append((len(g) * len(g[0]), p.stem, t))
first = [f for f in fits if f[1] == ARC10_SOLVED]
rest = sorted((f for f in fits if f[1] != ARC10_SOLVED), key=lambda x: (x[0], x[1]))[:15]
arc10 = [{"name": name, "source": f"arc-agi-1/evaluation/{name}.json", "task": t}
         for _, name, t in first + sorted(rest, key=lambda x: x[1])]
(OUT / "arc10.json").write_text(json.dumps(arc10, separators=(",", ":")))

# Mazes: rows 801.. of the Maze-Hard file (data/maze), which training holds out.
rows = (DATA / "maze" / "maze_30x30_hard_1k_train.csv").read_text().splitlines()[1:]
mazes = []
for i in range(800, 812):
    q, a = rows[i].split(",")
    mazes.append({"name": f"Maze-Hard {i + 1}", "source": f"maze/maze_30x30_hard_1k_train.csv row {i + 1}",
                  "question": q, "answer": a, "path_length": a.count("o")})
(OUT / "maze.json").write_text(json.dumps(mazes, separators=(",", ":")))
print(len(arc), "ARC tasks,", len(arc10), "within 10x10 (of", len(fits), "),", len(mazes), "mazes")
