#!/usr/bin/env bash
# Every test of the project: Rust (CPU engine parity, model files, recursion, puzzles)
# and Python (PyTorch model, converter, training). Installs what it needs first.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== installing Python packages (train/requirements.txt)"
python3 -m pip install --quiet --disable-pip-version-check -r train/requirements.txt

echo "== Rust tests"
cargo test --workspace --locked 2>&1

echo "== Python tests"
python3 -m pytest -q train/tests
