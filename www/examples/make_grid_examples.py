"""Writes arc.json and maze.json for the demo page from data/ (held-out parts only).
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

# Mazes: rows 801.. of the Maze-Hard file (data/maze), which training holds out.
rows = (DATA / "maze" / "maze_30x30_hard_1k_train.csv").read_text().splitlines()[1:]
mazes = []
for i in range(800, 812):
    q, a = rows[i].split(",")
    mazes.append({"name": f"Maze-Hard {i + 1}", "source": f"maze/maze_30x30_hard_1k_train.csv row {i + 1}",
                  "question": q, "answer": a, "path_length": a.count("o")})
(OUT / "maze.json").write_text(json.dumps(mazes, separators=(",", ":")))
print(len(arc), "ARC tasks,", len(mazes), "mazes")
