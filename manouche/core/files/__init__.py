"""File handling: File wraps Python files for uploads, storages and responses."""

from __future__ import annotations

from manouche.core.files.base import File

__all__ = ["File"]
