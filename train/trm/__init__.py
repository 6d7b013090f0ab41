"""trm-web's PyTorch side: the TRM model, the model file, training and evaluation."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The data sets sit beside the checkout (../shared/data); TRM_DATA points elsewhere,
# e.g. at a copy carried to a machine where ../shared does not exist.
DATA = Path(os.environ.get("TRM_DATA") or ROOT.parent / "shared" / "data")


def write_atomic(path: Path, text: str):
    """Readers see the old file or the whole new one; every torchrun rank may write the same
    file at once, so each writes its own temporary file first."""
    tmp = path.with_suffix(f"{path.suffix}.{os.getpid()}.tmp")
    tmp.write_text(text)
    tmp.replace(path)
