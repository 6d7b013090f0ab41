"""Plot a run's curves (train loss and accuracy, validation exact accuracy) to RUN/curves.png.

    python3 train/plot.py train/runs/sudoku-cpu [more runs to overlay...]"""

import json
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main(runs):
    fig, ax = plt.subplots(1, 3, figsize=(15, 4))
    for run in map(Path, runs):
        recs = [json.loads(line) for line in (run / "log.jsonl").read_text().splitlines()]
        tr = [r for r in recs if r["kind"] == "train"]
        ev = [r for r in recs if r["kind"] == "eval"]
        hours = lambda rs: [r["train_seconds"] / 3600 for r in rs]  # noqa: E731
        ax[0].plot(hours(tr), [r["lm_loss"] for r in tr], label=run.name)
        ax[1].plot(hours([r for r in tr if "cell_acc" in r]), [r["cell_acc"] for r in tr if "cell_acc" in r],
                   label=f"{run.name} cells (halted slots)")
        ax[2].plot(hours(ev), [r["exact_accuracy"] for r in ev], "o-", label=f"{run.name} exact")
        ax[2].plot(hours(ev), [r["cell_accuracy"] for r in ev], "x--", label=f"{run.name} blank cells")
    for a, t in zip(ax, ("train token loss", "train accuracy", "validation (16 steps, EMA)")):
        a.set_title(t)
        a.set_xlabel("training hours")
        a.legend(fontsize=7)
    fig.tight_layout()
    out = Path(runs[0]) / "curves.png"
    fig.savefig(out, dpi=90)
    print(out)


if __name__ == "__main__":
    main(sys.argv[1:] or sys.exit(__doc__))
