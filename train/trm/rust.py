"""The project's Rust CLI (`trm`), run the one way the Python side runs it: the binary named by
TRM_BIN (scripts/test.sh points it at the one `cargo test` has just built, so that the tests
build the crate once), else `cargo run --release`, which builds it first when it is out of date."""

import os

from . import ROOT


def trm_command() -> list[str]:
    """argv up to the subcommand: append e.g. ["eval", "--model", ...]."""
    built = os.environ.get("TRM_BIN")
    if built:
        return [built]
    return ["cargo", "run", "--quiet", "--release", "--manifest-path", str(ROOT / "Cargo.toml"), "--bin", "trm", "--"]
