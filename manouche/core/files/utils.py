"""File helpers shared by File, uploads and storages: name checks and proxying."""

from __future__ import annotations

import html
import os
import pathlib
import unicodedata
from typing import Any

from manouche.core.exceptions import SuspiciousFileOperation

__all__ = [
    "FileProxyMixin",
    "get_available_overwrite_name",
    "sanitize_upload_name",
    "validate_file_name",
]

MAX_FILE_NAME_BYTES = 255


def validate_file_name(name: str, allow_relative_path: bool = False) -> str:
    """Refuse file names that could escape their directory; return ``name``."""
    if os.path.basename(name) in {"", ".", ".."}:
        raise SuspiciousFileOperation(f"Could not derive file name from '{name}'")
    if allow_relative_path:
        path = pathlib.PurePosixPath(name)
        if path.is_absolute() or ".." in path.parts:
            raise SuspiciousFileOperation(
                f"Detected path traversal attempt in '{name}'"
            )
    elif name != os.path.basename(name):
        raise SuspiciousFileOperation(f"File name '{name}' includes path elements")
    return name


def _truncate_utf8(text: str, max_bytes: int) -> str:
    return text.encode()[:max_bytes].decode(errors="ignore")


def sanitize_upload_name(file_name: str) -> str:
    """Reduce a client-supplied file name to a safe basename ('' if nothing is left).

    Only the last path component is kept (both / and \\ count); control, format
    (bidi overrides) and other non-printing characters and leading dots are
    dropped; the result is at most 255 bytes of UTF-8, keeping the extension.
    """
    file_name = html.unescape(file_name)
    file_name = file_name.replace("\\", "/").rsplit("/", 1)[-1]
    file_name = "".join(
        ch
        for ch in file_name
        if unicodedata.category(ch)[0] not in {"C", "Z"} or ch == " "
    )
    file_name = file_name.strip().lstrip(".").strip()
    if len(file_name.encode()) > MAX_FILE_NAME_BYTES:
        stem, ext = os.path.splitext(file_name)
        ext_bytes = len(ext.encode())
        if ext_bytes >= MAX_FILE_NAME_BYTES // 2:
            file_name = _truncate_utf8(file_name, MAX_FILE_NAME_BYTES)
        else:
            file_name = _truncate_utf8(stem, MAX_FILE_NAME_BYTES - ext_bytes) + ext
    return file_name


class FileProxyMixin:
    """Forward file methods and attributes to ``self.file``."""

    file: Any

    @property
    def encoding(self) -> Any:
        return self.file.encoding

    def fileno(self) -> int:
        return self.file.fileno()  # type: ignore[no-any-return]

    def flush(self) -> None:
        self.file.flush()

    def isatty(self) -> bool:
        return self.file.isatty()  # type: ignore[no-any-return]

    @property
    def newlines(self) -> Any:
        return self.file.newlines

    def read(self, *args: Any) -> Any:
        return self.file.read(*args)

    def readinto(self, buffer: Any) -> Any:
        return self.file.readinto(buffer)

    def readline(self, *args: Any) -> Any:
        return self.file.readline(*args)

    def readlines(self, *args: Any) -> Any:
        return self.file.readlines(*args)

    def seek(self, *args: Any) -> Any:
        return self.file.seek(*args)

    def tell(self) -> int:
        return self.file.tell()  # type: ignore[no-any-return]

    def truncate(self, *args: Any) -> Any:
        return self.file.truncate(*args)

    def write(self, *args: Any) -> Any:
        return self.file.write(*args)

    def writelines(self, *args: Any) -> Any:
        return self.file.writelines(*args)

    @property
    def closed(self) -> bool:
        return not self.file or bool(self.file.closed)

    def readable(self) -> bool:
        if self.closed:
            return False
        if hasattr(self.file, "readable"):
            return self.file.readable()  # type: ignore[no-any-return]
        return True

    def writable(self) -> bool:
        if self.closed:
            return False
        if hasattr(self.file, "writable"):
            return self.file.writable()  # type: ignore[no-any-return]
        return "w" in getattr(self.file, "mode", "")

    def seekable(self) -> bool:
        if self.closed:
            return False
        if hasattr(self.file, "seekable"):
            return self.file.seekable()  # type: ignore[no-any-return]
        return True

    def __iter__(self) -> Any:
        return iter(self.file)


def get_available_overwrite_name(name: str, max_length: int | None) -> str:
    """Return ``name``, its file root truncated to fit ``max_length``.

    Used by storages that overwrite: the name is kept, never replaced by an
    alternative, so only truncation can make it fit.
    """
    if max_length is None or len(name) <= max_length:
        return name
    dir_name, file_name = os.path.split(name)
    file_root, file_ext = os.path.splitext(file_name)
    truncation = len(name) - max_length
    file_root = file_root[:-truncation]
    if not file_root:
        raise SuspiciousFileOperation(
            f'Storage tried to truncate away entire filename "{name}". Please '
            "make sure that the corresponding file field allows sufficient "
            '"max_length".'
        )
    return os.path.join(dir_name, f"{file_root}{file_ext}")
