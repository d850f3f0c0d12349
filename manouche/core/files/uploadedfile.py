"""Uploaded files as the upload handlers hand them to request.FILES."""

from __future__ import annotations

import os
from io import BytesIO
from typing import Any

from manouche.conf import settings
from manouche.core.files import temp as tempfile
from manouche.core.files.base import File
from manouche.core.files.utils import sanitize_upload_name

__all__ = [
    "InMemoryUploadedFile",
    "SimpleUploadedFile",
    "TemporaryUploadedFile",
    "UploadedFile",
]


class UploadedFile(File):
    """A file uploaded by a client, with the type and charset it declared."""

    def __init__(
        self,
        file: Any = None,
        name: str | None = None,
        content_type: str | None = None,
        size: int | None = None,
        charset: str | None = None,
        content_type_extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(file, name)
        self.size = size  # type: ignore[assignment]
        self.content_type = content_type
        self.charset = charset
        self.content_type_extra = content_type_extra

    def __repr__(self) -> str:
        return f"<{self.__class__.__name__}: {self.name} ({self.content_type})>"

    def _get_name(self) -> str | None:
        return self._name

    def _set_name(self, name: str | None) -> None:
        # The client chose this name: keep only a safe basename.
        if name is not None:
            name = sanitize_upload_name(name)
        self._name = name

    name = property(_get_name, _set_name)  # type: ignore[assignment, unused-ignore]


class TemporaryUploadedFile(UploadedFile):
    """An upload streamed to a temporary file, deleted when the file is closed."""

    def __init__(
        self,
        name: str,
        content_type: str | None,
        size: int,
        charset: str | None,
        content_type_extra: dict[str, Any] | None = None,
    ) -> None:
        _, ext = os.path.splitext(name)
        file = tempfile.NamedTemporaryFile(
            suffix=".upload" + ext[:20], dir=settings.FILE_UPLOAD_TEMP_DIR
        )
        super().__init__(file, name, content_type, size, charset, content_type_extra)

    def temporary_file_path(self) -> str:
        """Return the full path of the temporary file."""
        return self.file.name  # type: ignore[no-any-return]

    def close(self) -> None:
        """Close, and so delete, the temporary file."""
        try:
            self.file.close()
        except FileNotFoundError:
            pass


class InMemoryUploadedFile(UploadedFile):
    """An upload held in memory (small uploads)."""

    def __init__(
        self,
        file: Any,
        field_name: str | None,
        name: str | None,
        content_type: str | None,
        size: int | None,
        charset: str | None,
        content_type_extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(file, name, content_type, size, charset, content_type_extra)
        self.field_name = field_name

    def open(self, mode: str | None = None, *args: Any, **kwargs: Any) -> File:
        """Rewind to the start."""
        self.file.seek(0)
        return self

    def chunks(self, chunk_size: int | None = None) -> Any:
        """Yield the whole content as one chunk."""
        self.file.seek(0)
        yield self.read()

    def multiple_chunks(self, chunk_size: int | None = None) -> bool:
        """Return False: the content is already in memory."""
        return False


class SimpleUploadedFile(InMemoryUploadedFile):
    """An in-memory upload built from bytes, handy in tests."""

    def __init__(
        self, name: str, content: bytes | None, content_type: str = "text/plain"
    ) -> None:
        content = content or b""
        super().__init__(
            BytesIO(content), None, name, content_type, len(content), None, None
        )

    @classmethod
    def from_dict(cls, file_dict: dict[str, Any]) -> SimpleUploadedFile:
        """Build one from a dict with filename, content and content-type."""
        return cls(
            file_dict["filename"],
            file_dict["content"],
            file_dict.get("content-type", "text/plain"),
        )
