#!/usr/bin/env bash
# Measures an 11x11 maze model on its held-out set: the 1000 corridor mazes that
# `trm generate --kind maze --side 11 --seed 424242` makes (training draws from seed 0 and
# validates on seed 987654, and none of these 1000 mazes is in either; the page's examples are
# its first 12). Usage: scripts/eval-maze11.sh [MODEL] [extra trm eval flags, e.g. --copies 8
# --stop-when-verified --steps 32]
set -euo pipefail
cd "$(dirname "$0")/.."
model=${1:-models/maze11.safetensors}
shift || true
cargo build --release --quiet --bin trm
set_file=$(mktemp --suffix .csv)
trap 'rm -f "$set_file"' EXIT
./target/release/trm generate --kind maze --side 11 --count 1000 --seed 424242 > "$set_file"
./target/release/trm eval --model "$model" --puzzles "$set_file" --batch 64 "$@"
