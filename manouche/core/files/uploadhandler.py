"""Upload handlers: where the multipart parser streams each uploaded file.

Handlers run in the order of FILE_UPLOAD_HANDLERS; small uploads stay in
memory, larger ones spill to a temporary file that is deleted on failure.
"""

from __future__ import annotations

import os
from io import BytesIO
from typing import Any

from manouche.conf import settings
from manouche.core.files.uploadedfile import (
    InMemoryUploadedFile,
    TemporaryUploadedFile,
)
from manouche.utils.module_loading import import_string

__all__ = [
    "FileUploadHandler",
    "MemoryFileUploadHandler",
    "SkipFile",
    "StopFutureHandlers",
    "StopUpload",
    "TemporaryFileUploadHandler",
    "UploadFileException",
    "load_handler",
]


class UploadFileException(Exception):
    """Base of the exceptions upload handlers raise to steer the parser."""


class StopUpload(UploadFileException):
    """Stop the whole upload; ``connection_reset`` if the client should be cut."""

    def __init__(self, connection_reset: bool = False) -> None:
        self.connection_reset = connection_reset

    def __str__(self) -> str:
        if self.connection_reset:
            return "StopUpload: Halt current upload."
        return "StopUpload: Consume request data, then halt."


class SkipFile(UploadFileException):
    """Skip the rest of the current file."""


class StopFutureHandlers(UploadFileException):
    """Later handlers should not see this file."""


class FileUploadHandler:
    """Base upload handler; subclasses store the data somewhere."""

    chunk_size = 64 * 2**10

    def __init__(self, request: Any = None) -> None:
        self.file_name: str | None = None
        self.content_type: str | None = None
        self.content_length: int | None = None
        self.charset: str | None = None
        self.content_type_extra: dict[str, Any] | None = None
        self.request = request

    def handle_raw_input(
        self,
        input_data: Any,
        META: dict[str, Any],
        content_length: int,
        boundary: bytes,
        encoding: str | None = None,
    ) -> Any:
        """Optionally parse the whole body; return (POST, FILES) to take over."""
        return None

    def new_file(
        self,
        field_name: str,
        file_name: str,
        content_type: str,
        content_length: int | None,
        charset: str | None = None,
        content_type_extra: dict[str, Any] | None = None,
    ) -> None:
        """Note the start of a new file."""
        self.field_name = field_name
        self.file_name = file_name
        self.content_type = content_type
        self.content_length = content_length
        self.charset = charset
        self.content_type_extra = content_type_extra

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        """Take a chunk; return it to pass it to the next handler."""
        raise NotImplementedError(
            "subclasses of FileUploadHandler must provide a receive_data_chunk() method"
        )

    def file_complete(self, file_size: int) -> Any:
        """Return the finished UploadedFile, or None to let the next handler."""
        raise NotImplementedError(
            "subclasses of FileUploadHandler must provide a file_complete() method"
        )

    def upload_complete(self) -> None:
        """Hook called when the whole body has been parsed."""

    def upload_interrupted(self) -> None:
        """Hook called when parsing stopped on an error: release resources."""


class TemporaryFileUploadHandler(FileUploadHandler):
    """Stream uploads to a temporary file on disk."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.file = TemporaryUploadedFile(
            self.file_name or "",
            self.content_type,
            0,
            self.charset,
            self.content_type_extra,
        )

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.file.write(raw_data)
        return None

    def file_complete(self, file_size: int) -> Any:
        self.file.seek(0)
        self.file.size = file_size
        return self.file

    def upload_interrupted(self) -> None:
        if hasattr(self, "file"):
            temp_location = self.file.temporary_file_path()
            try:
                self.file.close()
                os.remove(temp_location)
            except FileNotFoundError:
                pass


class MemoryFileUploadHandler(FileUploadHandler):
    """Keep uploads in memory when the body is small enough."""

    def handle_raw_input(
        self,
        input_data: Any,
        META: dict[str, Any],
        content_length: int,
        boundary: bytes,
        encoding: str | None = None,
    ) -> Any:
        # Whole-body size decides: a small body cannot hold a large file. The
        # declared length may understate a seekable body, so measure that.
        size = max(content_length, remaining_size(input_data))
        self.activated = size <= settings.FILE_UPLOAD_MAX_MEMORY_SIZE
        return None

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        if self.activated:
            self.file = BytesIO()
            raise StopFutureHandlers()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if self.activated:
            self.file.write(raw_data)
            return None
        return raw_data

    def file_complete(self, file_size: int) -> Any:
        if not self.activated:
            return None
        self.file.seek(0)
        return InMemoryUploadedFile(
            file=self.file,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )


def load_handler(path: str, *args: Any, **kwargs: Any) -> Any:
    """Import the handler class at ``path`` and instantiate it."""
    return import_string(path)(*args, **kwargs)


def remaining_size(stream: Any) -> int:
    """Return the bytes left in a seekable ``stream`` (0 if it cannot tell).

    Given a request, measures the body stream behind it: the declared
    Content-Length may understate what a seekable body really holds.
    """
    stream = getattr(stream, "_stream", stream)
    try:
        if not stream.seekable():
            return 0
        position = stream.tell()
        end = stream.seek(0, 2)
        stream.seek(position)
    except (AttributeError, OSError, ValueError):
        return 0
    return int(end - position)
