#!/usr/bin/env bash
# Builds everything and serves the demo on http://127.0.0.1:${PORT:-8080} with the shipped
# model. Installs what it needs (Node.js from Debian when run as root and missing, the wasm
# target, the wasm-bindgen CLI at the lockfile's version); the server itself is Node's
# built-ins only (www/serve.mjs), so no npm install.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
need_node
./scripts/build-site.sh
exec node www/serve.mjs www/dist "${PORT:-8080}"
