#!/usr/bin/env bash
# Builds the wasm module and its JS bindings into www/pkg. Installs the wasm target and
# the wasm-bindgen CLI at the lockfile's version when missing (the CLI takes 5-10 minutes
# to build once; it is reused after that).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
need_rust
need_wasm_bindgen
cargo build --release --locked --target wasm32-unknown-unknown --lib --no-default-features -p trm
"$WASM_BINDGEN" --target web --out-dir www/pkg target/wasm32-unknown-unknown/release/trm.wasm
echo "== www/pkg: $(du -h www/pkg/trm_bg.wasm | cut -f1) wasm"
# The npm package carries the shipped models next to its sources.
mkdir -p www/models
cp models/*.safetensors models/MODEL_CARD.md www/models/
