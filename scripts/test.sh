#!/usr/bin/env bash
# Every test of the project: Rust (CPU engine parity with PyTorch and the paper's code,
# GPU engine vs CPU engine on Vulkan/lavapipe, model files, recursion, puzzles), Python
# (PyTorch model, converter, training, evaluator parity) and the browser (the WebGPU
# engine in headless Chromium). Installs what it needs first.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  need=()
  [ -e /usr/share/vulkan/icd.d/lvp_icd.x86_64.json ] || [ -e /usr/share/vulkan/icd.d/lvp_icd.json ] || need+=(mesa-vulkan-drivers)
  command -v chromium >/dev/null || need+=(chromium)
  command -v node >/dev/null || need+=(nodejs npm)
  if [ ${#need[@]} -gt 0 ]; then
    echo "== installing Debian packages: ${need[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  fi
fi

# The Vulkan loader probes for a Wayland session and complains without this.
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-/tmp/xdg-runtime-$(id -u)}
mkdir -p -m 700 "$XDG_RUNTIME_DIR"

echo "== installing Python packages (train/requirements.txt)"
python3 -m pip install --quiet --disable-pip-version-check -r train/requirements.txt

echo "== Rust tests"
cargo test --workspace --locked 2>&1

echo "== Python tests"
python3 -m pytest -q train/tests

echo "== browser tests (WebGPU in headless Chromium)"
./scripts/build-wasm.sh
(cd www && npm ci --no-audit --no-fund --silent)
(cd www && node --test tests/)
