"""Gzip compression of responses, with BREACH mitigation.

Each compressed response carries a gzip header whose FNAME field is padded with
a random number of bytes (as Django 4.2+ does), so the compressed length no
longer reveals how well attacker-chosen input compressed against a secret.
Streaming bodies, sync or async, are compressed as one gzip stream.
"""

from __future__ import annotations

import re
import secrets
import struct
import zlib
from typing import TYPE_CHECKING

from manouche.utils.cache import patch_vary_headers
from manouche.utils.deprecation import MiddlewareMixin

if TYPE_CHECKING:
    from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator

    from manouche.http import HttpRequest, HttpResponseBase

__all__ = ["GZipMiddleware"]

re_accepts_gzip = re.compile(r"\bgzip\b")

_COMPRESS_LEVEL = 6
_GZIP_MAGIC = b"\x1f\x8b\x08"
_FLAG_FNAME = b"\x08"
_NO_FLAGS = b"\x00"
# mtime 0 (reproducible output), no extra flags, OS unknown.
_HEADER_TAIL = b"\x00\x00\x00\x00\x00\xff"


class _GzipStream:
    """Incremental gzip writer: header, raw deflate blocks, CRC/size trailer."""

    __slots__ = ("_compressor", "_crc", "_size")

    def __init__(self) -> None:
        self._compressor = zlib.compressobj(
            _COMPRESS_LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS
        )
        self._crc = 0
        self._size = 0

    @staticmethod
    def header(max_random_bytes: int | None) -> bytes:
        """Return a gzip header, its FNAME padded with a random length."""
        padding = secrets.randbelow(max_random_bytes) if max_random_bytes else 0
        if not padding:
            return _GZIP_MAGIC + _NO_FLAGS + _HEADER_TAIL
        return _GZIP_MAGIC + _FLAG_FNAME + _HEADER_TAIL + b"a" * padding + b"\x00"

    def compress(self, data: bytes) -> bytes:
        """Compress ``data`` and flush it so each chunk reaches the client."""
        self._crc = zlib.crc32(data, self._crc)
        self._size += len(data)
        return self._compressor.compress(data) + self._compressor.flush(
            zlib.Z_SYNC_FLUSH
        )

    def finish(self) -> bytes:
        """Return the last deflate block and the CRC32/ISIZE trailer."""
        return self._compressor.flush() + struct.pack(
            "<II", self._crc & 0xFFFFFFFF, self._size & 0xFFFFFFFF
        )


def compress_string(s: bytes, *, max_random_bytes: int | None = None) -> bytes:
    """Gzip ``s`` in one go, with a randomly padded header."""
    compressor = zlib.compressobj(_COMPRESS_LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
    trailer = struct.pack("<II", zlib.crc32(s) & 0xFFFFFFFF, len(s) & 0xFFFFFFFF)
    return (
        _GzipStream.header(max_random_bytes)
        + compressor.compress(s)
        + compressor.flush()
        + trailer
    )


def compress_sequence(
    sequence: Iterable[bytes], *, max_random_bytes: int | None = None
) -> Iterator[bytes]:
    """Gzip an iterable of byte chunks as one stream, chunk by chunk."""
    stream = _GzipStream()
    yield _GzipStream.header(max_random_bytes)
    for item in sequence:
        if item:
            yield stream.compress(item)
    yield stream.finish()


async def acompress_sequence(
    sequence: AsyncIterable[bytes], *, max_random_bytes: int | None = None
) -> AsyncIterator[bytes]:
    """Gzip an async iterable of byte chunks as one stream, chunk by chunk."""
    stream = _GzipStream()
    yield _GzipStream.header(max_random_bytes)
    async for item in sequence:
        if item:
            yield stream.compress(item)
    yield stream.finish()


class GZipMiddleware(MiddlewareMixin):
    """Compress content for browsers that understand gzip.

    Set Vary: Accept-Encoding and weaken a strong ETag on compressed responses.
    """

    process_in_loop = True
    max_random_bytes = 100

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        """Compress the response when it is worth it and the client accepts it."""
        # Not worth compressing very short responses.
        streaming: bool = response.streaming  # type: ignore[attr-defined]
        if not streaming and len(response.content) < 200:  # type: ignore[attr-defined]
            return response
        # Avoid gzipping if we've already got a content-encoding.
        if response.has_header("Content-Encoding"):
            return response

        patch_vary_headers(response, ("Accept-Encoding",))

        accept_encoding = request.META.get("HTTP_ACCEPT_ENCODING", "")
        if not re_accepts_gzip.search(accept_encoding):
            return response

        if streaming:
            self._compress_streaming(response)
        else:
            content: bytes = response.content  # type: ignore[attr-defined]
            compressed = compress_string(
                content, max_random_bytes=self.max_random_bytes
            )
            # Keep the original when compression does not make it shorter.
            if len(compressed) >= len(content):
                return response
            response.content = compressed  # type: ignore[attr-defined]
            response.headers["Content-Length"] = str(len(compressed))

        # A compressed body differs byte for byte: a strong ETag must go weak
        # (RFC 9110 section 8.8.1), which still allows If-None-Match matches.
        etag = response.get("ETag")
        if etag and etag.startswith('"'):
            response.headers["ETag"] = "W/" + etag
        response.headers["Content-Encoding"] = "gzip"
        return response

    def _compress_streaming(self, response: HttpResponseBase) -> None:
        # Read streaming_content once: it is a fresh mapped iterator per access.
        original = response.streaming_content  # type: ignore[attr-defined]
        if response.is_async:  # type: ignore[attr-defined]
            response.streaming_content = acompress_sequence(  # type: ignore[attr-defined]
                original, max_random_bytes=self.max_random_bytes
            )
        else:
            response.streaming_content = compress_sequence(  # type: ignore[attr-defined]
                original, max_random_bytes=self.max_random_bytes
            )
        # The compressed length is unknown until the stream ends.
        response.headers.pop("Content-Length", None)
