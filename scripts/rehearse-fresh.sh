#!/usr/bin/env bash
# Rehearses the README's two commands as a newcomer meets them: a fresh clone of this
# repository's HEAD in a temporary folder, an empty CARGO_HOME (rustup's toolchains kept), a
# new Python virtual environment without the project's packages, empty pip and npm caches.
# Runs ./scripts/serve.sh until it serves (then fetches the page, the wasm module and a
# model), then ./scripts/test.sh, and prints how long each took. Debian packages already
# installed stay installed: remove chromium and mesa-vulkan-drivers first to rehearse those
# installs too. Usage: scripts/rehearse-fresh.sh [WORKDIR]   (default: a new temporary folder)
set -uo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
R=${1:-$(mktemp -d /tmp/trm-rehearse-XXXXXX)}
rm -rf "$R/clone" "$R/cargo" "$R/venv" "$R/pipcache" "$R/npmcache"
mkdir -p "$R/cargo"
git clone -q "$src" "$R/clone" || exit 1
# Only rustup's proxies stay on PATH from the usual CARGO_HOME, not what was installed there.
rustup_bin=$(dirname "$(command -v rustup)")
mkdir -p "$R/rustup-bin"
for t in cargo rustc rustup rustdoc; do ln -sf "$rustup_bin/$t" "$R/rustup-bin/$t"; done
export CARGO_HOME=$R/cargo PIP_CACHE_DIR=$R/pipcache npm_config_cache=$R/npmcache
export PATH=$R/cargo/bin:$R/venv/bin:$R/rustup-bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
unset PIP_FIND_LINKS VIRTUAL_ENV
python3 -m venv "$R/venv" || exit 1
cd "$R/clone"
port=${PORT:-8099}
t0=$(date +%s)
PORT=$port ./scripts/serve.sh > "$R/serve.log" 2>&1 &
pid=$!
until grep -q "trm-web demo:" "$R/serve.log" 2>/dev/null; do
  kill -0 $pid 2>/dev/null || { echo "serve.sh stopped:"; tail -20 "$R/serve.log"; exit 1; }
  sleep 2
done
echo "serve.sh: serving after $(( $(date +%s) - t0 )) s (log: $R/serve.log)"
for path in / /pkg/trm_bg.wasm /models/sudoku.safetensors; do
  curl -s -o /dev/null -w "  GET $path: %{http_code} %{content_type} %{size_download} bytes\n" "http://127.0.0.1:$port$path"
done
kill $pid
t0=$(date +%s)
./scripts/test.sh > "$R/test.log" 2>&1
rc=$?
installs=$(sed -n 's/^== repository history (at \([0-9]*\) s)$/\1/p' "$R/test.log")
echo "test.sh: exit $rc after $(( $(date +%s) - t0 )) s, ${installs:-?} s of them installing (log: $R/test.log)"
exit $rc
