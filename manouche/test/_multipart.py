"""Multipart/form-data encoding for test requests, and the fake body payload.

The test client encodes dicts of fields, lists and files the way a browser
would, so views parse them with the real multipart parser.
"""

from __future__ import annotations

import mimetypes
import os
import re
from collections.abc import Iterable
from io import BytesIO
from typing import Any

from manouche.conf import settings
from manouche.utils.encoding import force_bytes

__all__ = [
    "BOUNDARY",
    "CONTENT_TYPE_RE",
    "JSON_CONTENT_TYPE_RE",
    "MULTIPART_CONTENT",
    "FakePayload",
    "encode_file",
    "encode_multipart",
]

BOUNDARY = "BoUnDaRyStRiNg"
MULTIPART_CONTENT = f"multipart/form-data; boundary={BOUNDARY}"
CONTENT_TYPE_RE = re.compile(r".*; charset=([\w-]+);?")
JSON_CONTENT_TYPE_RE = re.compile(r"^application\/(.+\+)?json")


class FakePayload:
    """A file-like object holding a request body, read at most once in full."""

    def __init__(self, initial_bytes: bytes | str | None = None) -> None:
        self.read_started = False
        self.__content = BytesIO()
        self.__len = 0
        if initial_bytes is not None:
            self.write(initial_bytes)

    def __len__(self) -> int:
        return self.__len

    def getvalue(self) -> bytes:
        """Return the whole payload without consuming it."""
        return self.__content.getvalue()

    def read(self, size: int = -1) -> bytes:
        """Read up to ``size`` bytes (all when negative)."""
        if not self.read_started:
            self.__content.seek(0)
            self.read_started = True
        if size == -1 or size is None:
            size = self.__len
        assert self.__len >= size, (
            "Cannot read more than the available bytes from the HTTP incoming data."
        )
        content = self.__content.read(size)
        self.__len -= len(content)
        return content

    def readline(self, size: int = -1) -> bytes:
        """Read one line."""
        if not self.read_started:
            self.__content.seek(0)
            self.read_started = True
        content = self.__content.readline(size if size >= 0 else self.__len)
        self.__len -= len(content)
        return content

    def write(self, content: bytes | str) -> None:
        """Append to the payload; refused once reading started."""
        if self.read_started:
            raise ValueError("Unable to write a payload after it's been read")
        data: bytes = force_bytes(content)
        self.__content.write(data)
        self.__len += len(data)


def _to_bytes(value: Any) -> bytes:
    return force_bytes(value, settings.DEFAULT_CHARSET)  # type: ignore[no-any-return]


def encode_multipart(boundary: str, data: Any) -> bytes:
    """Encode ``data`` (a dict; values may be files or lists) as multipart/form-data."""
    lines: list[bytes] = []
    for key, value in data.items():
        if value is None:
            raise TypeError(
                f"Cannot encode None for key '{key}' as POST data. Did you mean "
                "to pass an empty string or omit the value?"
            )
        if hasattr(value, "read"):
            lines.extend(encode_file(boundary, key, value))
        elif not isinstance(value, str | bytes) and isinstance(value, Iterable):
            for item in value:
                if hasattr(item, "read"):
                    lines.extend(encode_file(boundary, key, item))
                else:
                    lines.extend(_encode_field(boundary, key, item))
        else:
            lines.extend(_encode_field(boundary, key, value))
    lines.extend([_to_bytes(f"--{boundary}--"), b""])
    return b"\r\n".join(lines)


def _encode_field(boundary: str, key: str, value: Any) -> list[bytes]:
    if value is None:
        raise TypeError(
            f"Cannot encode None for key '{key}' as POST data. Did you mean "
            "to pass an empty string or omit the value?"
        )
    return [
        _to_bytes(f"--{boundary}"),
        _to_bytes(f'Content-Disposition: form-data; name="{key}"'),
        b"",
        _to_bytes(value),
    ]


def encode_file(boundary: str, key: str, file: Any) -> list[bytes]:
    """Encode one uploaded file as the lines of a multipart part."""
    if hasattr(file, "seek") and callable(file.seek):
        try:
            file.seek(0)
        except OSError:
            pass
    name = getattr(file, "name", None)
    filename = os.path.basename(name) if isinstance(name, str) else ""
    content_type = getattr(file, "content_type", None)
    if content_type is None:
        content_type = (
            mimetypes.guess_type(filename)[0] if filename else None
        ) or "application/octet-stream"
    filename = filename or key
    return [
        _to_bytes(f"--{boundary}"),
        _to_bytes(
            f'Content-Disposition: form-data; name="{key}"; filename="{filename}"'
        ),
        _to_bytes(f"Content-Type: {content_type}"),
        b"",
        _to_bytes(file.read()),
    ]
