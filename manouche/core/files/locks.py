"""Advisory file locks (flock on POSIX) for writers sharing a file.

``lock(f, flags)`` returns True when the lock was taken and False when a
non-blocking request would have to wait; ``unlock(f)`` returns True.
"""

from __future__ import annotations

import sys
from typing import Any

__all__ = ["LOCK_EX", "LOCK_NB", "LOCK_SH", "lock", "unlock"]


def _fd(f: Any) -> int:
    return f.fileno() if hasattr(f, "fileno") else int(f)


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    LOCK_EX = 0x2
    LOCK_SH = 0x0
    LOCK_NB = 0x1

    def lock(f: Any, flags: int) -> bool:
        """Lock the first byte of ``f``; False when a non-blocking try fails."""
        mode = msvcrt.LK_NBLCK if flags & LOCK_NB else msvcrt.LK_LOCK
        try:
            msvcrt.locking(_fd(f), mode, 1)
        except OSError:
            return False
        return True

    def unlock(f: Any) -> bool:
        """Release the lock on ``f``."""
        try:
            msvcrt.locking(_fd(f), msvcrt.LK_UNLCK, 1)
        except OSError:
            return False
        return True

else:
    import fcntl

    LOCK_EX = fcntl.LOCK_EX
    LOCK_SH = fcntl.LOCK_SH
    LOCK_NB = fcntl.LOCK_NB

    def lock(f: Any, flags: int) -> bool:
        """Take a flock on ``f``; False when a non-blocking try would wait."""
        try:
            fcntl.flock(_fd(f), flags)
        except BlockingIOError:
            return False
        return True

    def unlock(f: Any) -> bool:
        """Release the flock on ``f``."""
        fcntl.flock(_fd(f), fcntl.LOCK_UN)
        return True
