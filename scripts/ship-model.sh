#!/usr/bin/env bash
# Ships a trained model file as the bundled model of its kind: adds the latent view's
# projection (`trm latent-basis` over the demo's examples in www/examples/<kind>.json), writes
# the result to models/<kind>.safetensors and records its SHA-256 in www/src/default-model.js
# (which the page and package check on load, and www/tests/api-errors.test.mjs ties to the file).
#   scripts/ship-model.sh sudoku|arc|maze FILE
set -euo pipefail
cd "$(dirname "$0")/.."
kind=$1 file=$2
case "$kind" in sudoku|arc|maze) ;; *) echo "kind must be sudoku, arc or maze" >&2; exit 2 ;; esac
cargo run --quiet --release --bin trm -- info --model "$file" | grep "^kind: $kind$" > /dev/null \
  || { echo "$file is not a $kind model" >&2; exit 2; }
cargo run --quiet --release --bin trm -- latent-basis --model "$file" --examples "www/examples/$kind.json" \
  --out "models/$kind.safetensors.new"
mv "models/$kind.safetensors.new" "models/$kind.safetensors"
sha=$(sha256sum "models/$kind.safetensors" | cut -c1-64)
js=www/src/default-model.js
if [ "$kind" = sudoku ]; then
  sed -i "s/^export const DEFAULT_MODEL_SHA256 = '[0-9a-f]*';/export const DEFAULT_MODEL_SHA256 = '$sha';/" "$js"
elif grep -q "^  $kind: '" "$js"; then
  sed -i "s/^  $kind: '[0-9a-f]*',/  $kind: '$sha',/" "$js"
else
  sed -i "s/^  sudoku: DEFAULT_MODEL_SHA256,/  sudoku: DEFAULT_MODEL_SHA256,\n  $kind: '$sha',/" "$js"
fi
echo "models/$kind.safetensors: $sha"
