#!/usr/bin/env bash
# The native benchmark runs behind BENCHMARKS.md: our CPU engine, our GPU engine (whatever
# wgpu finds: lavapipe on a machine without a GPU) and PyTorch on the CPU with the same
# thread count, on the shipped Sudoku model and on the paper's D=512 Sudoku configuration
# (random weights: speed does not depend on them).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin trm
mkdir -p target/bench-models
[ -f target/bench-models/sudoku512.safetensors ] || ./target/release/trm random-model --preset sudoku --out target/bench-models/sudoku512.safetensors
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-/tmp/xdg-runtime-$(id -u)}; mkdir -p -m 700 "$XDG_RUNTIME_DIR"
for model in models/sudoku.safetensors target/bench-models/sudoku512.safetensors; do
  for batch in ${BATCHES:-1 16}; do
    echo "### $model batch $batch"
    ./target/release/trm bench --model "$model" --backend cpu --batch "$batch" --steps "${STEPS:-4}" | grep -E "seconds|GFLOP"
    python3 train/bench_torch.py --model "$model" --batch "$batch" --threads 1 --steps "${STEPS:-4}" | grep seconds
    if [ -z "${NO_GPU:-}" ]; then
      ./target/release/trm bench --model "$model" --backend gpu --batch "$batch" --steps "${GPU_STEPS:-1}" 2>/dev/null | grep -E "engine|seconds|GFLOP"
    fi
  done
done
