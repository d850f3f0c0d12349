"""``python -m benchmarks.techempower``: put this directory on the path, run."""

from __future__ import annotations

import sys
from pathlib import Path

__all__: list[str] = []

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import main

sys.exit(main())
