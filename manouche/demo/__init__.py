"""The demo project that ``manouche demo`` copies out and serves.

The project lives in ``project/`` (``manage.py`` and the ``demo`` package) and
ships inside the wheel, so the command works from any install; the copy is
the user's to edit while the reloader picks up each change.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["PROJECT_DIR"]

PROJECT_DIR = Path(__file__).resolve().parent / "project"
