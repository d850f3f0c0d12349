"""Path helpers that keep joined paths inside a base directory."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from manouche.core.exceptions import SuspiciousFileOperation

__all__ = ["safe_join", "to_path"]


def safe_join(base: Any, *paths: Any) -> str:
    """Join ``paths`` under ``base`` and refuse any result outside ``base``.

    The check is textual (after normalisation), so ``..`` segments and absolute
    components cannot climb out; NUL bytes are refused outright.
    """
    base_path = os.path.abspath(os.fspath(base))
    parts = [os.fspath(part) for part in paths]
    if any("\x00" in part for part in parts):
        raise SuspiciousFileOperation("The joined path contains a null byte.")
    final_path: str = os.path.abspath(os.path.join(base_path, *parts))
    base_prefix = base_path if base_path.endswith(os.sep) else base_path + os.sep
    if final_path != base_path and not final_path.startswith(base_prefix):
        raise SuspiciousFileOperation(
            f"The joined path ({final_path}) is located outside of the base path "
            f"component ({base_path})"
        )
    return final_path


def to_path(value: str | Path) -> Path:
    """Return ``value`` as a Path (str and Path accepted)."""
    if isinstance(value, Path):
        return value
    if not isinstance(value, str):
        raise TypeError(f"Invalid path type: {type(value).__name__}")
    return Path(value)
