"""Streaming multipart/form-data parsing on top of python-multipart.

Owns the limits of a multipart body (boundary syntax, part headers, field and
file counts, field bytes) and the hand-off of file data to upload handlers.
It reads from a file-like object and never touches settings it does not need.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterator
from typing import Any

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser as _StreamParser
from python_multipart.multipart import MultipartState

from manouche.conf import settings
from manouche.core.exceptions import (
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from manouche.core.files.uploadhandler import SkipFile, StopFutureHandlers, StopUpload
from manouche.core.files.utils import sanitize_upload_name
from manouche.utils.datastructures import MultiValueDict
from manouche.utils.http import parse_header_parameters

__all__ = [
    "FIELD",
    "FILE",
    "RAW",
    "MAX_TOTAL_HEADER_SIZE",
    "InputStreamExhausted",
    "LazyStream",
    "MultiPartParser",
    "MultiPartParserError",
]

RAW = "raw"
FILE = "file"
FIELD = "field"

# RFC 2046 section 5.1.1: 1 to 70 bchars, the last one not a space.
boundary_re = re.compile(r"[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]")
# Bound on all header lines of one part together, so a part cannot make the
# parser buffer an unbounded header.
MAX_TOTAL_HEADER_SIZE = 10 * 1024
MAX_PART_HEADER_BYTES = MAX_TOTAL_HEADER_SIZE
MAX_PART_HEADER_LINES = 16


class MultiPartParserError(Exception):
    """The multipart body is malformed; the handler answers 400."""


class InputStreamExhausted(Exception):
    """No more data can be read from the input stream."""


class LazyStream:
    """A readable stream over an iterator of byte chunks, with push-back.

    ``unget()`` puts bytes back in front so a parser can peek ahead; ``read()``
    takes from the pushed-back bytes before pulling more chunks.
    """

    def __init__(self, producer: Iterator[bytes], length: int | None = None) -> None:
        self._producer = producer
        self._leftover = b""
        self._position = 0
        self.length = length

    def tell(self) -> int:
        """Return how many bytes have been consumed so far."""
        return self._position

    def read(self, size: int | None = None) -> bytes:
        """Return up to ``size`` bytes (everything left when ``size`` is None)."""
        remaining = self.length - self._position if self.length is not None else None
        if size is None or (remaining is not None and size > remaining):
            size = remaining
        pieces = []
        wanted = size
        while wanted is None or wanted > 0:
            try:
                chunk = next(self)
            except StopIteration:
                break
            if wanted is not None:
                chunk, rest = chunk[:wanted], chunk[wanted:]
                if rest:
                    self.unget(rest)
                wanted -= len(chunk)
            pieces.append(chunk)
        return b"".join(pieces)

    def __next__(self) -> bytes:
        """Return the pushed-back bytes, or else the next chunk of the producer."""
        if self._leftover:
            output, self._leftover = self._leftover, b""
        else:
            output = next(self._producer)
        self._position += len(output)
        return output

    def __iter__(self) -> LazyStream:
        return self

    def unget(self, data: bytes) -> None:
        """Push ``data`` back so the next read returns it first."""
        if not data:
            return
        self._position -= len(data)
        self._leftover = data + self._leftover

    def close(self) -> None:
        """Stop reading: the producer is dropped."""
        self._producer = iter(())


class _Part:
    """What is known about the part being parsed."""

    __slots__ = (
        "base64",
        "base64_pending",
        "chunks",
        "counters",
        "field_name",
        "file_name",
        "handlers_done",
        "header_bytes",
        "header_field",
        "header_value",
        "headers",
        "kind",
        "size",
    )

    def __init__(self) -> None:
        self.headers: list[tuple[str, str]] = []
        self.header_field = bytearray()
        self.header_value = bytearray()
        self.header_bytes = 0
        self.kind: str | None = None
        self.field_name = ""
        self.file_name = ""
        self.chunks: list[bytes] = []
        self.base64 = False
        self.base64_pending = b""
        self.counters: list[int] = []
        self.handlers_done = False
        self.size = 0


class MultiPartParser:
    """Parse a multipart/form-data body into (POST QueryDict, FILES MultiValueDict)."""

    boundary_re = boundary_re

    def __init__(
        self,
        META: dict[str, Any],
        input_data: Any,
        upload_handlers: list[Any],
        encoding: str | None = None,
    ) -> None:
        content_type = META.get("CONTENT_TYPE", "")
        if not content_type.startswith("multipart/"):
            raise MultiPartParserError(f"Invalid Content-Type: {content_type}")
        if not content_type.isascii():
            raise MultiPartParserError(
                f"Invalid non-ASCII Content-Type in multipart: {content_type}"
            )
        try:
            _ctype, opts = parse_header_parameters(content_type)
        except ValueError:
            raise MultiPartParserError("Invalid Content-Type: header too long")
        boundary = opts.get("boundary")
        if not boundary or not self.boundary_re.fullmatch(boundary):
            raise MultiPartParserError(f"Invalid boundary in multipart: {boundary}")
        try:
            content_length = int(META.get("CONTENT_LENGTH") or 0)
        except (ValueError, TypeError):
            content_length = 0
        if content_length < 0:
            raise MultiPartParserError(f"Invalid content length: {content_length!r}")
        self._boundary = boundary.encode("ascii")
        self._input_data = input_data
        sizes = [h.chunk_size for h in upload_handlers if h.chunk_size]
        self._chunk_size = min([2**31 - 4, *sizes])
        self._meta = META
        self._encoding = encoding or settings.DEFAULT_CHARSET
        # A declared length of 0 means an empty form (RFC 9110 8.6); with no
        # declared length (chunked bodies), measure what the stream holds.
        declared = META.get("CONTENT_LENGTH")
        self._declared_empty = declared not in (None, "") and content_length == 0
        self._content_length = content_length or _remaining_length(input_data)
        self._upload_handlers = upload_handlers

    def parse(self) -> tuple[Any, MultiValueDict]:
        """Stream the body through the parser; return (POST, FILES)."""
        from manouche.http.request import QueryDict

        encoding = self._encoding
        if self._declared_empty:
            return QueryDict(encoding=encoding), MultiValueDict()
        for handler in self._upload_handlers:
            result = handler.handle_raw_input(
                self._input_data,
                self._meta,
                self._content_length,
                self._boundary,
                encoding,
            )
            if result is not None:
                return result[0], result[1]

        self._post = QueryDict(mutable=True, encoding=encoding)
        self._files = MultiValueDict()
        self._part: _Part | None = None
        self._num_fields = 0
        self._num_files = 0
        self._field_bytes = 0
        self._max_fields = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        self._max_files = settings.DATA_UPLOAD_MAX_NUMBER_FILES
        self._max_memory = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        try:
            self._run()
        except StopUpload as exc:
            self._abort()
            if not exc.connection_reset:
                self._exhaust()
        except BaseException:
            self._abort()
            raise
        for handler in self._upload_handlers:
            retval = handler.upload_complete()
            if retval:
                break
        self._post._mutable = False
        return self._post, self._files

    def _run(self) -> None:
        parser = _StreamParser(
            self._boundary,
            callbacks={
                "on_part_begin": self._on_part_begin,
                "on_part_data": self._on_part_data,
                "on_part_end": self._on_part_end,
                "on_header_field": self._on_header_field,
                "on_header_value": self._on_header_value,
                "on_header_end": self._on_header_end,
                "on_headers_finished": self._on_headers_finished,
            },
            max_header_count=MAX_PART_HEADER_LINES,
            # Our own running total (below) reports the limit first.
            max_header_size=2 * MAX_PART_HEADER_BYTES,
        )
        read = self._input_data.read
        chunk_size = self._chunk_size
        first = self._skip_preamble(read, chunk_size)
        try:
            if first:
                parser.write(first)
            while parser.state != MultipartState.END:
                chunk = read(chunk_size)
                if not chunk:
                    break
                parser.write(chunk)
        except MultipartParseError as exc:
            raise MultiPartParserError(f"Invalid multipart body: {exc}") from exc
        if parser.state != MultipartState.END:
            raise MultiPartParserError(
                "Invalid multipart body: the closing boundary is missing."
            )

    def _skip_preamble(self, read: Any, chunk_size: int) -> bytes:
        """Drop anything before the first boundary line, in linear time."""
        delimiter = b"--" + self._boundary
        keep = len(delimiter) + 1
        buffer: bytes = b""
        at_start = True
        while True:
            chunk: bytes = read(chunk_size)
            buffer += chunk
            # Only the very first line may start without a preceding newline.
            if (at_start and len(buffer) >= len(delimiter)) or not chunk:
                if at_start and buffer.startswith(delimiter):
                    return buffer
                at_start = False
            index = buffer.find(b"\n" + delimiter)
            if index != -1:
                return buffer[index + 1 :]
            if not chunk:
                raise MultiPartParserError(
                    "Invalid multipart body: the opening boundary is missing."
                )
            if not at_start:
                buffer = buffer[-keep:]

    # Parser callbacks --------------------------------------------------------

    def _on_part_begin(self) -> None:
        self._part = _Part()

    def _count_header_bytes(self, part: _Part, amount: int) -> None:
        part.header_bytes += amount
        if part.header_bytes > MAX_PART_HEADER_BYTES:
            raise MultiPartParserError("Request max total header size exceeded.")

    def _on_header_field(self, data: bytes, start: int, end: int) -> None:
        part = self._current()
        self._count_header_bytes(part, end - start)
        part.header_field += data[start:end]

    def _on_header_value(self, data: bytes, start: int, end: int) -> None:
        part = self._current()
        self._count_header_bytes(part, end - start)
        part.header_value += data[start:end]

    def _on_header_end(self) -> None:
        part = self._current()
        if len(part.headers) >= MAX_PART_HEADER_LINES:
            raise MultiPartParserError(
                "Invalid multipart body: a part has more than "
                f"{MAX_PART_HEADER_LINES} header lines."
            )
        name = part.header_field.decode("latin-1").strip().lower()
        value = bytes(part.header_value).decode(self._encoding, "replace").strip()
        part.headers.append((name, value))
        part.header_field.clear()
        part.header_value.clear()

    def _on_headers_finished(self) -> None:
        part = self._current()
        headers = dict(part.headers)
        # Only base64 changes the bytes; 7bit, 8bit and binary pass through.
        transfer_encoding = headers.get("content-transfer-encoding", "")
        part.base64 = transfer_encoding.strip().lower() == "base64"
        try:
            disposition, params = parse_header_parameters(
                headers.get("content-disposition", "")
            )
        except ValueError:
            raise MultiPartParserError("Invalid multipart body: bad part header.")
        is_file = "filename" in params
        self._count_item(is_file)
        field_name = params.get("name")
        if disposition != "form-data" or not field_name:
            part.kind = RAW
            return
        part.field_name = field_name
        if not is_file:
            part.kind = FIELD
            # Counted like "name=" plus a separator in a urlencoded body.
            self._add_field_bytes(len(field_name) + 2)
            return
        file_name = self.sanitize_file_name(params["filename"])
        if not file_name:
            part.kind = RAW
            return
        part.kind = FILE
        part.file_name = file_name
        self._new_file(part, headers)

    def _count_item(self, is_file: bool) -> None:
        if is_file:
            self._num_files += 1
            if self._max_files is not None and self._num_files > self._max_files:
                raise TooManyFilesSent(
                    "The number of files exceeded "
                    "settings.DATA_UPLOAD_MAX_NUMBER_FILES."
                )
        else:
            self._num_fields += 1
            if self._max_fields is not None and self._num_fields > self._max_fields:
                raise TooManyFieldsSent(
                    "The number of GET/POST parameters exceeded "
                    "settings.DATA_UPLOAD_MAX_NUMBER_FIELDS."
                )

    def _add_field_bytes(self, amount: int) -> None:
        self._field_bytes += amount
        if self._max_memory is not None and self._field_bytes > self._max_memory:
            raise RequestDataTooBig(
                "Request body exceeded settings.DATA_UPLOAD_MAX_MEMORY_SIZE."
            )

    def _new_file(self, part: _Part, headers: dict[str, str]) -> None:
        try:
            content_type, ct_params = parse_header_parameters(
                headers.get("content-type", "")
            )
        except ValueError:
            content_type, ct_params = "", {}
        content_type = content_type.strip() or "application/octet-stream"
        charset = ct_params.pop("charset", None)
        try:
            content_length: int | None = int(headers.get("content-length", ""))
        except ValueError:
            content_length = None
        part.counters = [0] * len(self._upload_handlers)
        try:
            for handler in self._upload_handlers:
                try:
                    handler.new_file(
                        part.field_name,
                        part.file_name,
                        content_type,
                        content_length,
                        charset,
                        ct_params,
                    )
                except StopFutureHandlers:
                    break
        except SkipFile:
            self._skip_file(part)

    def _on_part_data(self, data: bytes, start: int, end: int) -> None:
        part = self._current()
        if end <= start or part.kind == RAW:
            return
        chunk = data[start:end]
        if part.kind == FIELD:
            self._add_field_bytes(len(chunk))
            part.chunks.append(chunk)
            return
        if part.base64:
            chunk = _decode_base64_chunk(part, chunk)
            if not chunk:
                return
        part.size += len(chunk)
        try:
            for i, handler in enumerate(self._upload_handlers):
                chunk_length = len(chunk)
                result = handler.receive_data_chunk(chunk, part.counters[i])
                part.counters[i] += chunk_length
                if result is None:
                    break
                chunk = result
        except SkipFile:
            self._skip_file(part)

    def _skip_file(self, part: _Part) -> None:
        for handler in self._upload_handlers:
            handler.upload_interrupted()
        part.kind = RAW

    def _on_part_end(self) -> None:
        part = self._current()
        if part.kind == FIELD:
            raw = b"".join(part.chunks)
            if part.base64:
                try:
                    raw = base64.b64decode(raw)
                except binascii.Error:
                    pass  # Not really base64: keep the field as sent.
            self._post.appendlist(
                part.field_name, raw.decode(self._encoding, "replace")
            )
        elif part.kind == FILE:
            if part.base64 and part.base64_pending:
                raise MultiPartParserError("Could not decode base64 data.")
            self._file_complete(part)
        self._part = None

    def _file_complete(self, part: _Part) -> None:
        for i, handler in enumerate(self._upload_handlers):
            file_obj = handler.file_complete(part.counters[i])
            if file_obj:
                file_obj.field_name = part.field_name
                self._files.appendlist(part.field_name, file_obj)
                break

    def _current(self) -> _Part:
        if self._part is None:  # pragma: no cover - the parser always begins a part
            self._part = _Part()
        return self._part

    # Clean-up --------------------------------------------------------------

    def _abort(self) -> None:
        """Tell handlers the upload failed and delete files already stored."""
        for handler in self._upload_handlers:
            try:
                handler.upload_interrupted()
            except Exception:
                continue
        self._close_files()

    def _close_files(self) -> None:
        for _, files in self._files.lists():
            for file_obj in files:
                if hasattr(file_obj, "close"):
                    file_obj.close()
        self._files = MultiValueDict()

    def _exhaust(self) -> None:
        while self._input_data.read(self._chunk_size):
            pass

    def sanitize_file_name(self, file_name: str) -> str | None:
        """Return a safe basename for a client-supplied name, or None if empty."""
        return sanitize_upload_name(file_name) or None


_WHITESPACE = b" \t\r\n\x0b\x0c"


def _decode_base64_chunk(part: _Part, chunk: bytes) -> bytes:
    """Decode the complete 4-byte groups of ``chunk``; keep the rest for later.

    Line breaks may fall anywhere, so whitespace is dropped and up to three
    trailing characters wait for the next chunk instead of costing extra reads.
    """
    data = part.base64_pending + chunk.translate(None, _WHITESPACE)
    usable = len(data) - len(data) % 4
    part.base64_pending = data[usable:]
    try:
        return base64.b64decode(data[:usable], validate=True)
    except binascii.Error as exc:
        raise MultiPartParserError("Could not decode base64 data.") from exc


def _remaining_length(input_data: Any) -> int:
    """Measure what is left in a seekable body when Content-Length is absent."""
    stream = getattr(input_data, "_stream", input_data)
    try:
        position = stream.tell()
        end = stream.seek(0, 2)
        stream.seek(position)
    except (AttributeError, OSError, ValueError):
        return 0
    return int(end - position)
