#!/usr/bin/env bash
# Builds the wasm module and its JS bindings into www/pkg. Installs the wasm target and
# the wasm-bindgen CLI at the lockfile's version when missing (the CLI takes 5-10 minutes
# to build once; it is reused after that).
set -euo pipefail
cd "$(dirname "$0")/.."

rustup target list --installed 2>/dev/null | grep -q wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
want=$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"/\1/p')
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ]; then
  echo "== installing wasm-bindgen-cli $want (was: ${have:-none})"
  cargo install wasm-bindgen-cli --version "$want" --locked
fi
cargo build --release --locked --target wasm32-unknown-unknown --lib --no-default-features -p trm
wasm-bindgen --target web --out-dir www/pkg target/wasm32-unknown-unknown/release/trm.wasm
echo "== www/pkg: $(du -h www/pkg/trm_bg.wasm | cut -f1) wasm"
# The npm package carries the shipped models next to its sources.
mkdir -p www/models
cp models/*.safetensors www/models/
