"""trm-web's PyTorch side: the TRM model, the model file, training and evaluation."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The data sets live in the repository (data/, with their sources and licenses); TRM_DATA
# points elsewhere, e.g. at a larger copy of the same layout.
DATA = Path(os.environ.get("TRM_DATA") or ROOT / "data")


def write_atomic(path: Path, text: str):
    """Readers see the old file or the whole new one; every torchrun rank may write the same
    file at once, so each writes its own temporary file first."""
    tmp = path.with_suffix(f"{path.suffix}.{os.getpid()}.tmp")
    tmp.write_text(text)
    tmp.replace(path)
