#!/usr/bin/env bash
# Every test of the project: Rust (CPU engine parity with PyTorch and the paper's code,
# GPU engine vs CPU engine on Vulkan/lavapipe, model files, recursion, puzzles), Python
# (PyTorch model, converter, training, evaluator parity) and the browser (the WebGPU and
# CPU engines in headless Chromium, the demo page, the static server, the npm tarball).
# Installs what it needs first.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh

# Lavapipe (software Vulkan) for the native GPU tests, Chromium for the browser tests.
debs=()
[ -e /usr/share/vulkan/icd.d/lvp_icd.x86_64.json ] || [ -e /usr/share/vulkan/icd.d/lvp_icd.json ] || debs+=(mesa-vulkan-drivers)
command -v chromium >/dev/null || debs+=(chromium)
[ ${#debs[@]} -eq 0 ] || apt_install "${debs[@]}"
need_node
need_rust
need_python

# The Vulkan loader probes for a Wayland session and complains without this.
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-/tmp/xdg-runtime-$(id -u)}
mkdir -p -m 700 "$XDG_RUNTIME_DIR"

say "repository history"
./scripts/check-history.sh

say "Rust tests"
cargo test --workspace --locked 2>&1

say "Python tests"
python3 -m pytest -q train/tests

say "browser tests (WebGPU in headless Chromium)"
./scripts/build-site.sh
(cd www && npm ci --no-audit --no-fund --silent)
# The example apps' tools, into the npm cache: www/tests/apps.test.mjs installs each app
# offline from it, with the packed tarball.
for app in vite webpack; do (cd "www/apps/$app" && npm ci --no-audit --no-fund --silent); done
# Bounded, so a test that leaves a process behind fails here instead of eating CI's budget.
(cd www && timeout --kill-after=30 2700 node --test tests/)
