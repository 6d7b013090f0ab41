"""Move a run folder through a narrow pipe. The device machine hands back at most 8 files
of 16 MiB each (64 MiB in all), while a checkpoint of the paper's Sudoku model is about
80 MB: `pack` stores the optimizer's two moments in bfloat16 (running averages, where 3
significant digits lose little; the weights and their EMA stay float32, about 58 MiB at
D=512) and cuts the file into parts; `unpack` joins and checks them into a run folder
that the training scripts resume (the optimizer casts the moments back to float32 on
load, so the resumed curve is close to, not bit-identical with, an unbroken run).

    python3 train/transport.py pack RUN OUT [--part-mib 15] [--keep-slots N]
    python3 train/transport.py unpack OUT RUN
"""

import argparse
import hashlib
import io
import json
import shutil
import sys
from pathlib import Path

import torch

SIDE_FILES = ("log.jsonl", "train_config.json")


def pack(run: Path, out: Path, part_mib: float = 15.0, keep_slots: int = 0) -> list[Path]:
    """`keep_slots`: keep the carried y/z of the first N deep-supervision slots only (0: all).
    A GPU batch of 1024 slots carries 43 MB of them, and a run that resumes on a CPU with
    64 slots drops the rest anyway; slots that a resumed run lacks start from fresh examples."""
    s = torch.load(run / "checkpoint.pt", map_location="cpu", weights_only=False)
    if keep_slots:
        for rank in [s, *s.get("other_ranks", [])]:
            rank["carry"] = {k: v[:keep_slots].clone() for k, v in rank["carry"].items()}
    for state in s["opt"]["state"].values():
        for k in ("exp_avg", "exp_avg_sq"):
            state[k] = state[k].to(torch.bfloat16)
    buf = io.BytesIO()
    torch.save(s, buf)
    data = buf.getvalue()
    size = max(1, int(part_mib * 2**20))
    out.mkdir(parents=True, exist_ok=True)
    parts = []
    for i in range(0, len(data), size):
        p = out / f"checkpoint.part{len(parts):02d}"
        p.write_bytes(data[i:i + size])
        parts.append(p)
    for name in SIDE_FILES:
        if (run / name).exists():
            shutil.copy(run / name, out / name)
    manifest = {"parts": [p.name for p in parts], "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest(),
                "step": s["step"]}
    (out / "transport.json").write_text(json.dumps(manifest, indent=1))
    return parts


def unpack(src: Path, run: Path) -> int:
    m = json.loads((src / "transport.json").read_text())
    missing = [p for p in m["parts"] if not (src / p).exists()]
    if missing:
        raise ValueError(f"{src}: missing parts {missing}")
    data = b"".join((src / p).read_bytes() for p in m["parts"])
    if len(data) != m["bytes"] or hashlib.sha256(data).hexdigest() != m["sha256"]:
        raise ValueError(f"{src}: the parts do not add up to the packed checkpoint (size or sha256 differs)")
    run.mkdir(parents=True, exist_ok=True)
    tmp = run / "checkpoint.tmp"
    tmp.write_bytes(data)
    tmp.replace(run / "checkpoint.pt")
    for name in SIDE_FILES:
        if (src / name).exists():
            shutil.copy(src / name, run / name)
    return m["step"]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("pack", help="RUN -> parts under OUT")
    p.add_argument("run", type=Path)
    p.add_argument("out", type=Path)
    p.add_argument("--part-mib", type=float, default=15.0)
    p.add_argument("--keep-slots", type=int, default=0, help="carry only the first N slots (0: all)")
    u = sub.add_parser("unpack", help="parts under SRC -> RUN")
    u.add_argument("src", type=Path)
    u.add_argument("run", type=Path)
    a = ap.parse_args(argv)
    try:
        if a.cmd == "pack":
            parts = pack(a.run, a.out, a.part_mib, a.keep_slots)
            print(f"{a.run} -> {len(parts)} part(s) under {a.out}")
        else:
            step = unpack(a.src, a.run)
            print(f"{a.src} -> {a.run}/checkpoint.pt (step {step})")
    except (OSError, ValueError, KeyError) as e:
        sys.exit(f"error: {e}")


if __name__ == "__main__":
    main()
