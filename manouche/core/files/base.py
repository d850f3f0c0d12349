"""File wrappers with chunked reading, used by uploads, storages and responses."""

from __future__ import annotations

import os
from collections.abc import Iterator
from io import BytesIO, StringIO, UnsupportedOperation
from types import TracebackType
from typing import Any

from manouche.core.files.utils import FileProxyMixin
from manouche.utils.functional import cached_property

__all__ = ["ContentFile", "File", "endswith_cr", "endswith_lf", "equals_lf"]


class File(FileProxyMixin):
    """Wrap a Python file object with a name, a size and chunked iteration."""

    DEFAULT_CHUNK_SIZE = 64 * 2**10

    def __init__(self, file: Any, name: str | None = None) -> None:
        self.file = file
        if name is None:
            name = getattr(file, "name", None)
        self.name = name
        if hasattr(file, "mode"):
            self.mode = file.mode

    def __str__(self) -> str:
        return self.name or ""

    def __repr__(self) -> str:
        return f"<{self.__class__.__name__}: {self or 'None'}>"

    def __bool__(self) -> bool:
        return bool(self.name)

    def __len__(self) -> int:
        return self.size

    @cached_property
    def size(self) -> int:
        """Return the size in bytes, found without reading the whole file."""
        if hasattr(self.file, "size"):
            return self.file.size  # type: ignore[no-any-return]
        if hasattr(self.file, "name"):
            try:
                return os.path.getsize(self.file.name)
            except (OSError, TypeError):
                pass
        if hasattr(self.file, "tell") and hasattr(self.file, "seek"):
            pos = self.file.tell()
            self.file.seek(0, os.SEEK_END)
            size: int = self.file.tell()
            self.file.seek(pos)
            return size
        raise AttributeError("Unable to determine the file's size.")

    def chunks(self, chunk_size: int | None = None) -> Iterator[Any]:
        """Yield the content from the start in ``chunk_size`` pieces."""
        chunk_size = chunk_size or self.DEFAULT_CHUNK_SIZE
        try:
            self.seek(0)
        except (AttributeError, UnsupportedOperation):
            pass
        while True:
            data = self.read(chunk_size)
            if not data:
                break
            yield data

    def multiple_chunks(self, chunk_size: int | None = None) -> bool:
        """Tell whether chunks() would yield more than one piece."""
        return self.size > (chunk_size or self.DEFAULT_CHUNK_SIZE)

    def __iter__(self) -> Iterator[Any]:
        """Iterate over lines, splitting on \\n, \\r and \\r\\n across chunks."""
        buffer_: Any = None
        for chunk in self.chunks():
            for line in chunk.splitlines(True):
                if buffer_:
                    if endswith_cr(buffer_) and not equals_lf(line):
                        yield buffer_
                    else:
                        line = buffer_ + line
                    buffer_ = None
                if endswith_lf(line):
                    yield line
                else:
                    buffer_ = line
        if buffer_ is not None:
            yield buffer_

    def __enter__(self) -> File:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def open(self, mode: str | None = None, *args: Any, **kwargs: Any) -> File:
        """Reopen (or rewind) the file."""
        if not self.closed:
            self.seek(0)
        elif self.name and os.path.exists(self.name):
            self.file = open(  # noqa: SIM115 - kept open on purpose
                self.name, mode or self.mode, *args, **kwargs
            )
        else:
            raise ValueError("The file cannot be reopened.")
        return self

    def close(self) -> None:
        """Close the wrapped file."""
        self.file.close()


class ContentFile(File):
    """A File whose content is a str or bytes held in memory."""

    def __init__(self, content: str | bytes, name: str | None = None) -> None:
        stream_class = StringIO if isinstance(content, str) else BytesIO
        super().__init__(stream_class(content), name=name)  # type: ignore[arg-type]
        self.size = len(content)

    def __str__(self) -> str:
        return "Raw content"

    def __bool__(self) -> bool:
        return True

    def open(self, mode: str | None = None, *args: Any, **kwargs: Any) -> File:
        """Rewind to the start."""
        self.seek(0)
        return self

    def close(self) -> None:
        """Do nothing: there is nothing to release."""

    def write(self, data: Any) -> Any:
        """Write ``data`` and grow the size."""
        self.__dict__.pop("size", None)
        return self.file.write(data)


def endswith_cr(line: str | bytes) -> bool:
    """Tell whether ``line`` ends with \\r."""
    return line.endswith("\r" if isinstance(line, str) else b"\r")  # type: ignore[arg-type]


def endswith_lf(line: str | bytes) -> bool:
    """Tell whether ``line`` ends with \\n."""
    return line.endswith("\n" if isinstance(line, str) else b"\n")  # type: ignore[arg-type]


def equals_lf(line: str | bytes) -> bool:
    """Tell whether ``line`` is exactly \\n."""
    return line == ("\n" if isinstance(line, str) else b"\n")
