"""GZipMiddleware: when to compress, headers, streaming, BREACH padding."""

from __future__ import annotations

import gzip
import os
import struct
from collections.abc import AsyncIterator
from typing import Any

import pytest

from manouche.http import HttpResponse, StreamingHttpResponse
from manouche.middleware.gzip import (
    GZipMiddleware,
    compress_sequence,
    compress_string,
)
from manouche.views.decorators.gzip import gzip_page
from tests.middleware.helpers import make_request, ok_response

CONTENT = b"Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 20
SEQUENCE = [b"a" * 500, b"b" * 200, b"a" * 300]


def gzip_request(**meta: Any) -> Any:
    meta.setdefault("HTTP_ACCEPT_ENCODING", "gzip, deflate")
    return make_request(**meta)


def run(response: Any, request: Any = None) -> Any:
    return GZipMiddleware(lambda r: response)(request or gzip_request())


def test_compresses_content() -> None:
    response = run(ok_response(CONTENT))
    assert gzip.decompress(response.content) == CONTENT
    assert response["Content-Encoding"] == "gzip"
    assert response["Vary"] == "Accept-Encoding"
    assert response["Content-Length"] == str(len(response.content))


def test_short_content_is_not_compressed() -> None:
    response = run(ok_response(b"x" * 199))
    assert response.content == b"x" * 199
    assert not response.has_header("Content-Encoding")
    assert not response.has_header("Vary")


def test_client_without_gzip_gets_plain_content_and_vary() -> None:
    response = run(ok_response(CONTENT), gzip_request(HTTP_ACCEPT_ENCODING="br"))
    assert response.content == CONTENT
    assert response["Vary"] == "Accept-Encoding"
    assert not response.has_header("Content-Encoding")


def test_accept_encoding_must_name_gzip_as_a_word() -> None:
    request = gzip_request(HTTP_ACCEPT_ENCODING="xgzipx")
    assert run(ok_response(CONTENT), request).content == CONTENT


def test_already_encoded_response_is_untouched() -> None:
    own = ok_response(CONTENT)
    own["Content-Encoding"] = "br"
    response = run(own)
    assert response.content == CONTENT
    assert not response.has_header("Vary")


def test_incompressible_content_is_left_alone() -> None:
    random_bytes = os.urandom(500)
    response = run(ok_response(random_bytes))
    assert response.content == random_bytes
    assert not response.has_header("Content-Encoding")


def test_vary_is_extended_not_replaced() -> None:
    own = ok_response(CONTENT)
    own["Vary"] = "Cookie"
    assert run(own)["Vary"] == "Cookie, Accept-Encoding"


def test_strong_etag_becomes_weak() -> None:
    own = ok_response(CONTENT)
    own["ETag"] = '"abc"'
    assert run(own)["ETag"] == 'W/"abc"'


def test_weak_etag_is_kept() -> None:
    own = ok_response(CONTENT)
    own["ETag"] = 'W/"abc"'
    assert run(own)["ETag"] == 'W/"abc"'


def test_streaming_response_is_compressed_as_one_stream() -> None:
    response = run(StreamingHttpResponse(iter(SEQUENCE)))
    assert gzip.decompress(b"".join(response.streaming_content)) == b"".join(SEQUENCE)
    assert response["Content-Encoding"] == "gzip"
    assert not response.has_header("Content-Length")


async def test_async_streaming_response_is_compressed_as_one_stream() -> None:
    async def chunks() -> AsyncIterator[bytes]:
        for chunk in SEQUENCE:
            yield chunk

    response = run(StreamingHttpResponse(chunks()))
    assert response.is_async
    body = b"".join([chunk async for chunk in response.streaming_content])
    assert gzip.decompress(body) == b"".join(SEQUENCE)
    # One gzip member: exactly one magic number at the start.
    assert body.count(b"\x1f\x8b\x08") == 1


def test_streaming_response_drops_content_length() -> None:
    streaming = StreamingHttpResponse(iter(SEQUENCE))
    streaming["Content-Length"] = "1000"
    assert not run(streaming).has_header("Content-Length")


def _fname_length(data: bytes) -> int:
    flags = data[3]
    if not flags & 0x08:
        return 0
    return data.index(b"\x00", 10) - 10


def test_header_is_padded_with_a_random_length_filename() -> None:
    lengths = {
        _fname_length(compress_string(CONTENT, max_random_bytes=100)) for _ in range(50)
    }
    assert len(lengths) > 5
    assert max(lengths) < 100


def test_compress_string_output_is_valid_gzip_with_correct_trailer() -> None:
    data = compress_string(CONTENT, max_random_bytes=50)
    assert gzip.decompress(data) == CONTENT
    _crc, size = struct.unpack("<II", data[-8:])
    assert size == len(CONTENT)
    assert data[4:8] == b"\x00\x00\x00\x00"  # mtime 0


def test_compress_without_padding_has_no_filename() -> None:
    assert compress_string(b"abc")[3] == 0
    assert gzip.decompress(compress_string(b"abc")) == b"abc"


def test_compress_sequence_flushes_each_chunk() -> None:
    pieces = list(compress_sequence([b"x" * 300, b"y" * 300]))
    assert gzip.decompress(b"".join(pieces)) == b"x" * 300 + b"y" * 300
    assert all(pieces[1:])


async def test_async_middleware_path() -> None:
    async def view(request: Any) -> HttpResponse:
        return ok_response(CONTENT)

    response = await GZipMiddleware(view)(gzip_request())
    assert gzip.decompress(response.content) == CONTENT


@pytest.mark.parametrize("is_async", [False, True])
async def test_gzip_page_decorator(is_async: bool) -> None:
    if is_async:

        async def async_view(request: Any) -> HttpResponse:
            return ok_response(CONTENT)

        response = await gzip_page(async_view)(gzip_request())
    else:
        response = gzip_page(lambda request: ok_response(CONTENT))(gzip_request())
    assert gzip.decompress(response.content) == CONTENT
    assert response["Content-Encoding"] == "gzip"
