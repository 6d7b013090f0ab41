"""Convert a checkpoint made by the paper's code to a trm-web model file.

    python3 train/convert.py --checkpoint step_N --config all_config.yaml --kind arc --out m.safetensors \
        [--seq-len 900] [--identifiers identifiers.json] [--keep-tasks ID ...] [--keep-rows I ...] [--f16]

ARC checkpoints carry a puzzle table of ~1.8 GB (one row per task x augmentation); keep
only the rows of the tasks you want to run, named via the reference dataset's
identifiers.json (a JSON list, index = puzzle id)."""

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from trm.modelfile import PUZZLE_KINDS, convert_reference  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--checkpoint", required=True, type=Path)
    ap.add_argument("--config", required=True, type=Path, help="the run's all_config.yaml")
    ap.add_argument("--kind", required=True, choices=PUZZLE_KINDS)
    ap.add_argument("--out", required=True, type=Path)
    ap.add_argument("--seq-len", type=int, help="grid cells (default: inferred, or 81/900 by kind)")
    ap.add_argument("--identifiers", type=Path, help="the reference dataset's identifiers.json")
    ap.add_argument("--keep-tasks", nargs="*", help="keep the puzzle rows of these task ids")
    ap.add_argument("--keep-rows", nargs="*", type=int, help="keep these puzzle rows")
    ap.add_argument("--f16", action="store_true", help="store weights as f16")
    a = ap.parse_args()
    ids = json.loads(a.identifiers.read_text()) if a.identifiers else None
    try:
        cfg = convert_reference(a.checkpoint, a.config, a.out, a.kind, seq_len=a.seq_len, identifiers=ids,
                                keep_rows=a.keep_rows, keep_tasks=a.keep_tasks, dtype="f16" if a.f16 else "f32")
    except (ValueError, KeyError, FileNotFoundError) as e:
        sys.exit(f"error: {e}")
    print(f"wrote {a.out}: {cfg}")


if __name__ == "__main__":
    main()
