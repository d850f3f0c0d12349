"""Move a file, by rename when possible and by a locked copy otherwise."""

from __future__ import annotations

import errno
import os
from shutil import copymode, copystat
from typing import Any

from manouche.core.files import locks

__all__ = ["file_move_safe"]


def _samefile(src: Any, dst: Any) -> bool:
    try:
        return os.path.samefile(src, dst)
    except OSError:
        return False


def _copy_metadata(src: Any, dst: Any) -> None:
    # Some file systems (CIFS, SELinux without relabel) refuse metadata
    # changes; the content is what matters, so tolerate EPERM there.
    try:
        copystat(src, dst)
    except PermissionError:
        try:
            copymode(src, dst)
        except PermissionError:
            pass


def file_move_safe(
    old_file_name: Any,
    new_file_name: Any,
    chunk_size: int = 1024 * 64,
    allow_overwrite: bool = False,
) -> None:
    """Move ``old_file_name`` to ``new_file_name``.

    A rename is tried first; across file systems the content is copied under
    an exclusive lock (refusing an existing destination unless
    ``allow_overwrite``) and the source removed.
    """
    if _samefile(old_file_name, new_file_name):
        return
    if not allow_overwrite and os.access(new_file_name, os.F_OK):
        raise FileExistsError(
            f"Destination file {new_file_name} exists and allow_overwrite is False."
        )
    try:
        os.rename(old_file_name, new_file_name)
        return
    except OSError:
        pass  # Probably another file system: copy instead.
    flags = os.O_WRONLY | os.O_CREAT | getattr(os, "O_BINARY", 0)
    flags |= os.O_TRUNC if allow_overwrite else os.O_EXCL
    with open(old_file_name, "rb") as old_file:
        fd = os.open(new_file_name, flags)
        try:
            locks.lock(fd, locks.LOCK_EX)
            while chunk := old_file.read(chunk_size):
                view = memoryview(chunk)
                while view:
                    view = view[os.write(fd, view) :]
        finally:
            locks.unlock(fd)
            os.close(fd)
    _copy_metadata(old_file_name, new_file_name)
    try:
        os.remove(old_file_name)
    except PermissionError as exc:
        # Windows refuses to delete a file still open elsewhere (the upload's
        # temporary file); it is cleaned up when that handle closes.
        if getattr(exc, "winerror", 0) != 32 and exc.errno != errno.EACCES:
            raise
