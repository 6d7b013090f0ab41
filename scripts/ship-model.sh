#!/usr/bin/env bash
# Ships a trained model file as the bundled model of its kind: copies it to
# models/<kind>.safetensors and records its SHA-256 in www/src/default-model.js (which the
# page and package check on load, and www/tests/api-errors.test.mjs ties to the file).
#   scripts/ship-model.sh sudoku|arc|maze FILE
set -euo pipefail
cd "$(dirname "$0")/.."
kind=$1 file=$2
case "$kind" in sudoku|arc|maze) ;; *) echo "kind must be sudoku, arc or maze" >&2; exit 2 ;; esac
cargo run --quiet --release --bin trm -- info --model "$file" | grep "^kind: $kind$" > /dev/null \
  || { echo "$file is not a $kind model" >&2; exit 2; }
cp "$file" "models/$kind.safetensors"
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
