#!/usr/bin/env bash
# Ships a trained model file as a bundled model: adds the latent view's projection
# (`trm latent-basis` over the demo's examples in www/examples/<name>.json), writes the result to
# models/<name>.safetensors and records its SHA-256 in www/src/default-model.js (which the page
# and package check on load, and www/tests/api-errors.test.mjs ties to the file).
#   [CHECKPOINT=RUN/checkpoint.pt] scripts/ship-model.sh sudoku|arc|arc10|maze|maze11|maze15 FILE
# A name is a bundled model; its kind is what the file must hold (maze11, maze15: the 11x11 and 15x15 maze models,
# of kind maze like the 30x30 one; arc10: ARC on a 10x10 canvas, of kind arc). Stages what it wrote for the next commit, with CHECKPOINT (the
# run's resumable checkpoint) when given: a checkpoint enters the history only with the model it
# made (scripts/check-history.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
name=$1 file=$2
case "$name" in
  sudoku|arc|maze) kind=$name ;;
  maze[0-9]*) kind=maze ;;
  arc[0-9]*) kind=arc ;;
  *) echo "the name must be sudoku, arc, arc<side> (arc10), maze or maze<side> (maze11, maze15)" >&2; exit 2 ;;
esac
cargo run --quiet --release --bin trm -- info --model "$file" | grep "^kind: $kind$" > /dev/null \
  || { echo "$file is not a $kind model" >&2; exit 2; }
cargo run --quiet --release --bin trm -- latent-basis --model "$file" --examples "www/examples/$name.json" \
  --out "models/$name.safetensors.new"
mv "models/$name.safetensors.new" "models/$name.safetensors"
sha=$(sha256sum "models/$name.safetensors" | cut -c1-64)
js=www/src/default-model.js
if [ "$name" = sudoku ]; then
  sed -i "s/^export const DEFAULT_MODEL_SHA256 = '[0-9a-f]*';/export const DEFAULT_MODEL_SHA256 = '$sha';/" "$js"
elif grep -q "^  $name: '" "$js"; then
  sed -i "s/^  $name: '[0-9a-f]*',/  $name: '$sha',/" "$js"
else
  sed -i "s/^  sudoku: DEFAULT_MODEL_SHA256,/  sudoku: DEFAULT_MODEL_SHA256,\n  $name: '$sha',/" "$js"
fi
git add "models/$name.safetensors" "$js"
if [ -n "${CHECKPOINT:-}" ]; then
  git add -f "$CHECKPOINT"
  echo "staged with it: $CHECKPOINT"
fi
echo "models/$name.safetensors: $sha"
