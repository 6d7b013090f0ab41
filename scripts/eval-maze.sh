#!/usr/bin/env bash
# Measures a corridor-maze model (11x11, 15x15, ...) on its held-out set: the 1000 corridor mazes
# that `trm generate --kind maze --side SIDE --seed 424242` makes at the model's side (training
# draws from seed 0 and validates on seed 987654, and none of these 1000 mazes is in either; the
# page's examples are their first 12). Usage: scripts/eval-maze.sh [MODEL] [extra trm eval
# flags, e.g. --copies 8 --stop-when-verified --steps 32]; MODEL defaults to the 11x11 model.
set -euo pipefail
cd "$(dirname "$0")/.."
model=${1:-models/maze11.safetensors}
shift || true
cargo build --release --quiet --bin trm
# The model's side, from its sequence length (side x side cells).
seq_len=$(./target/release/trm info --model "$model" | sed -n 's/^config: .*"seq_len":\([0-9]*\).*/\1/p')
side=$(python3 -c "import math, sys; n = int(sys.argv[1]); s = math.isqrt(n); sys.exit(f'{sys.argv[2]} is not a square maze model (seq_len {n})') if s * s != n else print(s)" "$seq_len" "$model")
set_file=$(mktemp --suffix .csv)
trap 'rm -f "$set_file"' EXIT
./target/release/trm generate --kind maze --side "$side" --count 1000 --seed 424242 > "$set_file"
./target/release/trm eval --model "$model" --puzzles "$set_file" --batch 64 "$@"
