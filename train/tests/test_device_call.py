"""The prepared GPU call's home end (scripts/device.sh): what `fetch` reads from a call's files
and the benchmark table it prints. The call itself needs a GPU; `scripts/device.sh rehearse`
runs it whole on the CPU (minutes), so here only its layout and parsing are held."""

import subprocess
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "device.sh"

LOG = """### ours-gpu shipped b=16: /tmp/trm bench --model models/sudoku.safetensors --backend gpu --batch 16 --steps 4 --profile
engine: NVIDIA H100 80GB HBM3 (Vulkan)
GPU submissions: 5 for 5 supervision steps
seconds per supervision step: 0.0123
puzzles per second (one step each): 1300.50
GPU time per op and size over 2 profiled steps (one pass per dispatch), per step:
GPU busy per supervision step: 9.100 ms of the 12.300 ms a timed step takes (74%)
--- exit 0, 3 s
### torch-cuda shipped b=16: python3 train/bench_torch.py --device cuda --batch 16
torch 2.11.0+cu130 on cuda (16 threads), batch 16
seconds per supervision step: 0.0050
puzzles per second (one step each): 3200.00
--- exit 0, 9 s
### ours-gpu think 8x32: /tmp/trm eval --copies 8 --steps 32 --backend gpu
engine: NVIDIA H100 80GB HBM3 (Vulkan), puzzles: 50, steps: 32, early halt: false
exact accuracy: 60.00% (30 / 50)
puzzles/s: 2.50 (20.0 s)
--- exit 0, 21 s
### torch-cuda-compile shipped b=256: python3 train/bench_torch.py --compile
--- skipped: the benchmark's 170 s were spent
"""


def run(*args, **env):
    return subprocess.run(["bash", str(SCRIPT), *args], cwd=ROOT, env={**__import__("os").environ, **env},
                          capture_output=True, text=True, check=True).stdout


def rows(table: str):
    return [[c.strip() for c in line.strip("|").split("|")] for line in table.splitlines()[2:]]


def test_the_table_has_a_row_per_entry_with_its_figures(tmp_path):
    log = tmp_path / "bench.log"
    log.write_text(LOG)
    got = rows(run("table", str(log)))
    assert [r[0] for r in got] == ["ours-gpu shipped b=16", "torch-cuda shipped b=16", "ours-gpu think 8x32",
                                   "torch-cuda-compile shipped b=256"]
    assert got[0][1:4] == ["NVIDIA H100 80GB HBM3 (Vulkan)", "0.0123", "1300.50"]
    assert got[0][6] == "9.100" and got[1][6] == ""  # the ops' GPU time where profiled
    assert got[1][1:4] == ["2.11.0+cu130 on cuda (16 threads), batch 16", "0.0050", "3200.00"]
    assert got[2][3:5] == ["2.50", "60.00%"]
    assert got[3][5] == "skipped: the benchmark's 170 s were spent"


def test_fetch_unpacks_the_benchmark_and_leaves_training_alone_when_none_came_back(tmp_path):
    side = tmp_path / "side"
    side.mkdir()
    (side / "bench.log").write_text(LOG)
    (side / "machine.txt").write_text("NVIDIA H100 80GB HBM3, 81559 MiB, 580.159.04\n")
    (side / "table.md").write_text(run("table", str(side / "bench.log")))
    out = tmp_path / "out"
    out.mkdir()
    with tarfile.open(out / "bench.tar", "w") as t:
        for f in side.iterdir():
            t.add(f, arcname=f.name)
    dest = tmp_path / "bench"
    printed = run("fetch", str(out), DEST=str(dest), RUNS=str(tmp_path / "runs"))
    assert sorted(p.name for p in dest.iterdir()) == ["bench.log", "machine.txt", "table.md"]
    assert "81559 MiB" in printed and "| ours-gpu think 8x32 |" in printed
    assert not (tmp_path / "runs").exists()  # no side.tar: device-train.sh's fetch is not run


def test_the_plan_runs_each_tile_at_the_first_and_last_batch_and_the_base_build_when_prepared():
    lines = run("plan", BATCHES="1 8 64", TILES="32x32x16 16x64x32").splitlines()
    labels = [line.split("|", 1)[0] for line in lines]
    assert [l for l in labels if l.startswith("tile-")] == [
        "tile-32x32x16 shipped b=1", "tile-32x32x16 shipped b=64", "tile-16x64x32 shipped b=1", "tile-16x64x32 shipped b=64"]
    assert all("--tile 32x32x16" in line for line in lines if line.startswith("tile-32x32x16"))
    # The engine's own tile with strided blocks, the one change of its kind measured alone.
    strided = [line for line in lines if line.startswith("strided-gpu")]
    assert [l.split("|", 1)[0] for l in strided] == ["strided-gpu shipped b=1", "strided-gpu shipped b=64"]
    assert all(l.endswith("--tile 64x64x16 --profile") for l in strided)
    # The revision before a kernel change runs only where `prepare` built it (BASE=REV).
    base = [l for l in labels if l.startswith("base-gpu")]
    if (ROOT / ".device" / "trm-base.xz").exists():
        assert base == ["base-gpu shipped b=1", "base-gpu shipped b=64", "base-gpu d512 b=1", "base-gpu arc512 b=1", "base-gpu arc b=1"]
    else:
        assert base == []
    assert len(labels) == len(set(labels))
