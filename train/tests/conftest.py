import sys
from pathlib import Path

TRAIN = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(TRAIN))
ROOT = TRAIN.parent
DATA = ROOT / "data"
REFERENCE = ROOT / "tests" / "reference"
FIXTURES = ROOT / "tests" / "fixtures"
