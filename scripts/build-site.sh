#!/usr/bin/env bash
# Builds the demo as a static folder, www/dist, that any web host can serve as is:
# the page, the JS package sources, the wasm module and the shipped models.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/build-wasm.sh
rm -rf www/dist
mkdir -p www/dist/models
cp -r www/index.html www/app.js www/shell.js www/views www/timeline.js www/style.css www/src www/pkg www/examples www/vendor www/dist/
cp models/*.safetensors www/dist/models/
# The package code finds the default model at ../models/ relative to src/.
echo "== www/dist ready ($(du -sh www/dist | cut -f1))"
