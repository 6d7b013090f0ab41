"""Plot runs' curves (train loss and accuracy, validation accuracy) against process CPU
hours, and print every validation record, so runs of different cost compare at equal compute.

    python3 train/plot.py train/runs/sudoku-cpu [more runs to overlay...] [--out PNG]

The picture goes to the first run's curves.png unless --out names another file."""

import argparse
import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def cpu_hours(r: dict) -> float:
    # Runs from before CPU time was recorded only have wall time.
    return r.get("cpu_seconds", r["train_seconds"]) / 3600


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("runs", nargs="+", type=Path)
    ap.add_argument("--out", type=Path)
    a = ap.parse_args()
    fig, ax = plt.subplots(1, 3, figsize=(15, 4))
    print(f"{'run':<32} {'step':>6} {'CPU-h':>6} {'exact':>6} {'cells':>6}")
    for run in a.runs:
        recs = [json.loads(line) for line in (run / "log.jsonl").read_text().splitlines()]
        tr = [r for r in recs if r["kind"] == "train"]
        ev = [r for r in recs if r["kind"] == "eval"]
        hours = lambda rs: [cpu_hours(r) for r in rs]  # noqa: E731
        ax[0].plot(hours(tr), [r["lm_loss"] for r in tr], label=run.name)
        ax[1].plot(hours([r for r in tr if "cell_acc" in r]), [r["cell_acc"] for r in tr if "cell_acc" in r],
                   label=f"{run.name} cells (halted slots)")
        ax[2].plot(hours(ev), [r["exact_accuracy"] for r in ev], "o-", label=f"{run.name} exact")
        ax[2].plot(hours(ev), [r["cell_accuracy"] for r in ev], "x--", label=f"{run.name} blank cells")
        for r in ev:
            wall = "" if "cpu_seconds" in r else "  (wall time: no CPU time recorded)"
            print(f"{run.name:<32} {r['step']:>6} {cpu_hours(r):>6.2f} {100 * r['exact_accuracy']:>5.1f}% "
                  f"{100 * r['cell_accuracy']:>5.1f}%{wall}")
    for a_, t in zip(ax, ("train token loss", "train accuracy", "validation (16 steps, EMA)")):
        a_.set_title(t)
        a_.set_xlabel("process CPU hours")
        a_.legend(fontsize=7)
    fig.tight_layout()
    out = a.out or a.runs[0] / "curves.png"
    fig.savefig(out, dpi=90)
    print(out)


if __name__ == "__main__":
    main()
