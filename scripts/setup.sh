# Sourced by serve.sh, test.sh and build-wasm.sh: each `need_*` makes one thing a fresh
# machine lacks present, or stops with a line that says what to do. Installing from Debian
# happens only as root on a machine with apt-get; anyone else is told the package names.

say() { echo "== $*"; }
die() { echo "error: $*" >&2; exit 1; }

apt_install() {
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing Debian packages: $*"
    apt-get update -qq || die "apt-get update failed; install these packages by hand: $*"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null \
      || die "apt-get install $* failed; install them by hand and run this again"
  else
    die "missing: $*. Install them (Debian: sudo apt-get install $*) and run this again."
  fi
}

# Node.js 18+ with npm: the static server, the browser tests and the npm package.
need_node() {
  command -v node >/dev/null && command -v npm >/dev/null || apt_install nodejs npm
  local major
  major=$(node -p 'process.versions.node.split(".")[0]')
  [ "$major" -ge 18 ] || die "Node.js $(node --version) is too old: 18 or newer is needed (fetch, node --test)"
}

# rustup's toolchain with the wasm32 target. rustup itself is not in Debian's packages.
need_rust() {
  command -v cargo >/dev/null || die "no Rust toolchain: install rustup (https://rustup.rs), open a new shell and run this again"
  if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    command -v rustup >/dev/null || die "the wasm32-unknown-unknown target is missing and there is no rustup to add it"
    say "adding the Rust target wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown || die "rustup target add wasm32-unknown-unknown failed"
  fi
}

# The wasm-bindgen CLI must be the version of the wasm-bindgen crate in Cargo.lock (the
# bindings it writes and the crate must agree). Sets WASM_BINDGEN to its path.
need_wasm_bindgen() {
  local want have bin
  want=$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"/\1/p')
  [ -n "$want" ] || die "Cargo.lock names no wasm-bindgen version"
  bin="${CARGO_HOME:-$HOME/.cargo}/bin/wasm-bindgen"
  for WASM_BINDGEN in "$(command -v wasm-bindgen || true)" "$bin"; do
    [ -x "$WASM_BINDGEN" ] || continue
    have=$("$WASM_BINDGEN" --version 2>/dev/null | awk '{print $2}')
    [ "$have" = "$want" ] && return 0
  done
  say "installing wasm-bindgen-cli $want (was: ${have:-none}); a 5-10 minute build, once"
  if ! cargo install wasm-bindgen-cli --version "$want" --locked --quiet; then
    # Its lockfile can pin a crate version that the registry in reach does not serve.
    say "wasm-bindgen-cli $want does not build with its own lockfile here; building it without --locked"
    cargo install wasm-bindgen-cli --version "$want" --quiet \
      || die "cargo install wasm-bindgen-cli --version $want failed (see above)"
  fi
  WASM_BINDGEN=$bin
  [ -x "$WASM_BINDGEN" ] || die "wasm-bindgen was installed but is not at $WASM_BINDGEN"
}

# Python 3.10+ with train/requirements.txt (PyTorch from PyPI, about 5 GB with its CUDA
# libraries; pip's cache makes a second install quick). Where the system's Python refuses
# pip installs (PEP 668), a virtual environment in .venv takes them instead.
need_python() {
  command -v python3 >/dev/null || apt_install python3 python3-pip python3-venv
  python3 -c 'import sys; sys.exit(sys.version_info < (3, 10))' \
    || die "Python $(python3 --version 2>&1) is too old: 3.10 or newer is needed"
  # A virtual environment already active takes pip installs whatever its base Python says.
  if [ -x .venv/bin/python3 ] || python3 -c '
import os, sys, sysconfig
managed = os.path.exists(os.path.join(sysconfig.get_path("stdlib"), "EXTERNALLY-MANAGED"))
sys.exit(0 if managed and sys.prefix == sys.base_prefix else 1)'; then
    if [ ! -x .venv/bin/python3 ]; then
      say "this Python is managed by the system (PEP 668): creating .venv for the project's packages"
      python3 -m venv .venv || apt_install python3-venv
      [ -x .venv/bin/python3 ] || python3 -m venv .venv || die "python3 -m venv .venv failed"
    fi
    export PATH="$PWD/.venv/bin:$PATH"
  fi
  python3 -m pip --version >/dev/null 2>&1 || apt_install python3-pip
  say "installing Python packages (train/requirements.txt)"
  python3 -m pip install --quiet --disable-pip-version-check -r train/requirements.txt \
    || die "pip could not install train/requirements.txt (see above)"
}
