#!/usr/bin/env bash
# Builds the demo as a static folder, www/dist, that any web host can serve as is:
# the page, the JS package sources, the wasm module and the shipped models.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/build-wasm.sh
rm -rf www/dist
mkdir -p www/dist/models
cp -r www/index.html www/docs.html www/app.js www/docs.js www/shell.js www/model-notes.js www/views www/timeline.js www/style.css www/src www/pkg www/examples www/vendor www/dist/
cp models/*.safetensors www/dist/models/
# The page's accuracy figures, from the model card's "At a glance" table.
node www/tools/model-card.mjs models/MODEL_CARD.md www/dist/model-card.js
# The times it states before a solve, from BENCHMARKS.md's "page-times" table.
node www/tools/page-times.mjs BENCHMARKS.md www/dist/page-times.js
# The documents the page links to, for docs.html, with the images they show.
mkdir -p www/dist/doc/models
cp README.md BENCHMARKS.md ARCHITECTURE.md www/dist/doc/
mkdir -p www/dist/doc/www && cp www/README.md www/dist/doc/www/
cp -r docs www/dist/doc/
cp models/MODEL_CARD.md models/*.png www/dist/doc/models/
(cd www/dist/doc && find . -name '*.md' | sed 's|^\./||' | sort | node -e 'process.stdout.write(JSON.stringify(require("fs").readFileSync(0, "utf8").split("\n").filter(Boolean)))' > index.json)
# The package code finds the default model at ../models/ relative to src/.
echo "== www/dist ready ($(du -sh www/dist | cut -f1))"
