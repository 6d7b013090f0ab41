#!/usr/bin/env bash
# Measures a Sudoku model on the held-out sets (none of them is trained on):
# all of tdoku_unbiased_first1000, the last 200 of sudoku_extreme_train_subsample, the last
# 1000 of tdoku_17_clue_sample10k. Usage: scripts/eval-sudoku.sh [MODEL] [extra trm eval flags]
set -euo pipefail
cd "$(dirname "$0")/.."
model=${1:-models/sudoku.safetensors}
shift || true
d=data/sudoku
cargo build --release --quiet --bin trm
run() { echo "### $1"; ./target/release/trm eval --model "$model" --puzzles "$d/$2" --solutions "$d/solutions/$2" --batch 64 "${@:3}"; echo; }
run "tdoku_unbiased_first1000 (all 1000)" tdoku_unbiased_first1000.txt "$@"
run "sudoku_extreme_train_subsample (held-out lines 777-976)" sudoku_extreme_train_subsample.txt --skip 776 "$@"
run "tdoku_17_clue_sample10k (held-out lines 9001-10000)" tdoku_17_clue_sample10k.txt --skip 9000 "$@"
