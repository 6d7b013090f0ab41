#!/usr/bin/env bash
# Builds everything and serves the demo on http://127.0.0.1:${PORT:-8080} with the shipped
# model. Installs what it needs (wasm target, wasm-bindgen CLI at the lockfile's version,
# Node.js from Debian when run as root and missing).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v node >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
fi
./scripts/build-site.sh
exec node www/serve.mjs www/dist "${PORT:-8080}"
