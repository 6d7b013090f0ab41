#!/usr/bin/env bash
# Our WebGPU and CPU (wasm) engines against ONNX Runtime Web (WebGPU and wasm execution
# providers) on the same model and Sudoku puzzles, in headless Chromium; prints a markdown
# table of ms per supervision step, ratios and output agreement. Not part of
# scripts/test.sh: on a software GPU a full run takes many minutes.
#
#   scripts/bench-browser.sh [--model models/sudoku.safetensors] [--steps 16 | --steps 16,2]
#                            [--batches 1,16] [--engines ours-webgpu,ort-webgpu,ours-cpu,ort-wasm]
#                            [--json FILE]
#
# Needs www/pkg (scripts/build-wasm.sh), www/node_modules (npm ci in www) and python3 with
# train/requirements.txt (the ONNX graph is exported on first use, into target/onnx/).
set -euo pipefail
cd "$(dirname "$0")/.."

[ -f www/pkg/trm.js ] || ./scripts/build-wasm.sh
[ -d www/node_modules/onnxruntime-web ] && [ -d www/node_modules/playwright-core ] \
  || (cd www && npm ci --no-audit --no-fund --silent)
# The Vulkan loader probes for a Wayland session and complains without this.
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-/tmp/xdg-runtime-$(id -u)}
mkdir -p -m 700 "$XDG_RUNTIME_DIR"
exec node www/bench/run.mjs "$@"
