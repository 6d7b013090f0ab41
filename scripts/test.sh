#!/usr/bin/env bash
# Every test of the project: Rust (CPU engine parity with PyTorch and the paper's code,
# GPU engine vs CPU engine on Vulkan/lavapipe, model files, recursion, puzzles), Python
# (PyTorch model, converter, training, evaluator parity) and the browser (the WebGPU and
# CPU engines in headless Chromium, the demo page, the static server, the npm tarball).
# Installs what it needs first. CI runs it as it is.
#   ./scripts/test.sh --quick   the edit-test loop: the Rust tests, the package's Node.js tests
#                               and the demo page on the CPU engine; no Python, no WebGPU page,
#                               no example apps (a few minutes less than the whole suite)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
quick=false
case "${1:-}" in
  --quick) quick=true ;;
  "") ;;
  *) die "unknown option $1: use --quick or nothing" ;;
esac
# Each stage says when it starts, in seconds since this script did.
stage() { say "$* (at $SECONDS s)"; }

# Lavapipe (software Vulkan) for the native GPU tests, Chromium for the browser tests.
debs=()
[ -e /usr/share/vulkan/icd.d/lvp_icd.x86_64.json ] || [ -e /usr/share/vulkan/icd.d/lvp_icd.json ] || debs+=(mesa-vulkan-drivers)
command -v chromium >/dev/null || debs+=(chromium)
[ ${#debs[@]} -eq 0 ] || apt_install "${debs[@]}"
need_node
need_rust
$quick || need_python

# The Vulkan loader probes for a Wayland session and complains without this.
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-/tmp/xdg-runtime-$(id -u)}
mkdir -p -m 700 "$XDG_RUNTIME_DIR"

stage "repository history"
./scripts/check-history.sh

stage "Rust tests"
cargo test --workspace --locked 2>&1
# The CLI those tests built (test profile: optimized) serves the Python tests too, so that a
# fresh machine builds the crate once natively, not a second time for --release.
export TRM_BIN=$PWD/target/debug/trm

py=
if ! $quick; then
  # Beside the browser tests, which spend much of their time waiting on pages and workers; its
  # report is printed when both are done.
  stage "Python tests (beside the browser tests; their report comes after)"
  mkdir -p target
  python3 -m pytest -q train/tests > target/pytest.log 2>&1 &
  py=$!
  trap '[ -n "$py" ] && kill $py 2>/dev/null' EXIT
fi

stage "browser tests (WebGPU in headless Chromium)"
./scripts/build-site.sh
# Built once here: the test files that would build it themselves when run alone do not.
export TRM_SITE_BUILT=1
(cd www && npm ci --no-audit --no-fund --silent)
if $quick; then
  (cd www && timeout --kill-after=30 900 node --test --test-name-pattern '^(?!the demo page with WebGPU)' \
    tests/api-errors.test.mjs tests/solve-api.test.mjs tests/page.test.mjs)
  stage "quick tests passed (./scripts/test.sh runs them all)"
  exit 0
fi
# The example apps' tools, into the npm cache: www/tests/apps.test.mjs installs each app
# offline from it, with the packed tarball.
for app in vite webpack; do (cd "www/apps/$app" && npm ci --no-audit --no-fund --silent); done
# Two test files at a time: most of a browser test is waiting (a page, a worker, a bundler),
# so two share the two cores well (measured: 254 s against about 370 s one at a time).
# Bounded, so a test that leaves a process behind fails here instead of eating CI's budget.
(cd www && timeout --kill-after=30 2700 node --test --test-concurrency=2 tests/)
stage "Python tests' report"
status=0
wait "$py" || status=$?
py=
cat target/pytest.log
[ "$status" = 0 ] || die "the Python tests failed (above)"
stage "all tests passed"
