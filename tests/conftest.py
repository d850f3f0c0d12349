"""Configure manouche for its own test suite."""

from __future__ import annotations

import os

os.environ.setdefault("MANOUCHE_SETTINGS_MODULE", "tests.settings")

import manouche

manouche.setup(set_prefix=False)
