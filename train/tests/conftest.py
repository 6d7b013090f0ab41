import sys
from pathlib import Path

TRAIN = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(TRAIN))
ROOT = TRAIN.parent
SHARED = ROOT.parent / "shared"
FIXTURES = ROOT / "tests" / "fixtures"
