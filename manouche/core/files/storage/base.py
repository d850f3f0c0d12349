"""The Storage interface: naming rules shared by every storage backend.

Owns how a requested name becomes a stored name (validation, alternative
names on collision, truncation to ``max_length``); backends own the I/O.
"""

from __future__ import annotations

import os
import pathlib
from datetime import datetime
from typing import Any

from manouche.core.exceptions import SuspiciousFileOperation
from manouche.core.files import File
from manouche.core.files.utils import validate_file_name
from manouche.utils.crypto import get_random_string
from manouche.utils.text import get_valid_filename

__all__ = ["Storage"]


def _split_checked(name: str) -> tuple[str, str]:
    """Split ``name`` into (directory, file name), refusing ``..`` directories."""
    dir_name, file_name = os.path.split(str(name).replace("\\", "/"))
    if ".." in pathlib.PurePath(dir_name).parts:
        raise SuspiciousFileOperation(
            f"Detected path traversal attempt in '{dir_name}'"
        )
    return dir_name, file_name


class Storage:
    """Base class for storages; subclasses implement the underscore methods."""

    # The public API: these call the private methods subclasses implement.

    def open(self, name: str, mode: str = "rb") -> File:
        """Return the stored file ``name`` as a File."""
        return self._open(name, mode)

    def save(
        self, name: str | None, content: Any, max_length: int | None = None
    ) -> str:
        """Store ``content`` under a free name derived from ``name``; return it."""
        if name is None:
            name = content.name
        if not hasattr(content, "chunks"):
            content = File(content, name)
        name = str(name)
        validate_file_name(name, allow_relative_path=True)
        name = self.get_available_name(name, max_length=max_length)
        name = self._save(name, content)
        # The backend may have changed the name; it must still be safe.
        validate_file_name(name, allow_relative_path=True)
        return name

    def get_valid_name(self, name: str) -> str:
        """Return a file-system-safe version of ``name``."""
        return get_valid_filename(name)

    def get_alternative_name(self, file_root: str, file_ext: str) -> str:
        """Return a name built from ``file_root`` plus a random suffix."""
        return f"{file_root}_{get_random_string(7)}{file_ext}"

    def get_available_name(self, name: str, max_length: int | None = None) -> str:
        """Return a name that is free in this storage and fits ``max_length``."""
        name = str(name).replace("\\", "/")
        dir_name, file_name = _split_checked(name)
        validate_file_name(file_name)
        file_ext = "".join(pathlib.PurePath(file_name).suffixes)
        file_root = file_name.removesuffix(file_ext)
        while self.exists(name) or (max_length and len(name) > max_length):
            name = os.path.join(
                dir_name, self.get_alternative_name(file_root, file_ext)
            )
            if max_length is None:
                continue
            truncation = len(name) - max_length
            if truncation > 0:
                file_root = file_root[:-truncation]
                if not file_root:
                    raise SuspiciousFileOperation(
                        f'Storage can not find an available filename for "{name}". '
                        "Please make sure that the corresponding file field "
                        'allows sufficient "max_length".'
                    )
                name = os.path.join(
                    dir_name, self.get_alternative_name(file_root, file_ext)
                )
        return name

    def generate_filename(self, filename: str) -> str:
        """Validate ``filename`` and make its last component storage-safe."""
        dir_name, file_name = _split_checked(str(filename))
        return os.path.normpath(os.path.join(dir_name, self.get_valid_name(file_name)))

    def path(self, name: str) -> str:
        """Return the local file system path of ``name``, if the backend has one."""
        raise NotImplementedError("This backend doesn't support absolute paths.")

    # Subclasses implement these.

    def _open(self, name: str, mode: str = "rb") -> File:
        raise NotImplementedError(
            "subclasses of Storage must provide an _open() method"
        )

    def _save(self, name: str, content: Any) -> str:
        raise NotImplementedError("subclasses of Storage must provide a _save() method")

    def delete(self, name: str) -> None:
        """Delete ``name``."""
        raise NotImplementedError(
            "subclasses of Storage must provide a delete() method"
        )

    def exists(self, name: str) -> bool:
        """Tell whether ``name`` is already taken."""
        raise NotImplementedError(
            "subclasses of Storage must provide an exists() method"
        )

    def listdir(self, path: str) -> tuple[list[str], list[str]]:
        """Return (directories, files) directly inside ``path``."""
        raise NotImplementedError(
            "subclasses of Storage must provide a listdir() method"
        )

    def size(self, name: str) -> int:
        """Return the size of ``name`` in bytes."""
        raise NotImplementedError("subclasses of Storage must provide a size() method")

    def url(self, name: str | None) -> str:
        """Return the URL where ``name`` can be fetched."""
        raise NotImplementedError("subclasses of Storage must provide a url() method")

    def get_accessed_time(self, name: str) -> datetime:
        """Return when ``name`` was last read."""
        raise NotImplementedError(
            "subclasses of Storage must provide a get_accessed_time() method"
        )

    def get_created_time(self, name: str) -> datetime:
        """Return when ``name`` was created."""
        raise NotImplementedError(
            "subclasses of Storage must provide a get_created_time() method"
        )

    def get_modified_time(self, name: str) -> datetime:
        """Return when ``name`` was last written."""
        raise NotImplementedError(
            "subclasses of Storage must provide a get_modified_time() method"
        )
