"""Request bodies whose real size the Content-Length understates or omits, and
header bytes that hide a newline behind characters that don't decode."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import pytest

from manouche.core.exceptions import RequestDataTooBig
from manouche.core.files.uploadedfile import InMemoryUploadedFile
from manouche.core.handlers.asgi import ASGIRequest
from manouche.http import BadHeaderError, HttpResponse
from manouche.test.utils import override_settings


class CountingBytesIO(BytesIO):
    """A body stream that records how often it is read."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.reads = 0

    def read(self, *args: Any) -> bytes:
        self.reads += 1
        return super().read(*args)


def asgi_request(stream: BytesIO, content_type: bytes, length: int | None) -> Any:
    headers = [(b"content-type", content_type)]
    if length is not None:
        headers.append((b"content-length", str(length).encode()))
    scope = {
        "type": "http",
        "method": "POST",
        "path": "/",
        "query_string": b"",
        "headers": headers,
    }
    return ASGIRequest(scope, stream)


@pytest.mark.parametrize("length", [None, 3])
def test_oversized_seekable_body_is_refused_before_it_is_read(
    length: int | None,
) -> None:
    stream = CountingBytesIO(b"x" * 10)
    request = asgi_request(stream, b"application/octet-stream", length)
    with (
        override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=5),
        pytest.raises(RequestDataTooBig),
    ):
        request.body  # noqa: B018 - reading it is the point
    assert stream.reads == 0


def test_body_within_the_limit_is_read() -> None:
    request = asgi_request(BytesIO(b"x" * 5), b"application/octet-stream", None)
    with override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=5):
        assert request.body == b"x" * 5


def test_upload_larger_than_its_declared_length_goes_to_disk() -> None:
    content = b"y" * 100
    body = (
        b"--frontier\r\n"
        b'Content-Disposition: form-data; name="file"; filename="big.txt"\r\n'
        b"Content-Type: application/octet-stream\r\n\r\n"
        + content
        + b"\r\n--frontier--\r\n"
    )
    request = asgi_request(
        BytesIO(body), b"multipart/form-data; boundary=frontier", length=9
    )
    with override_settings(FILE_UPLOAD_MAX_MEMORY_SIZE=10):
        uploaded = request.FILES["file"]
    try:
        assert not isinstance(uploaded, InMemoryUploadedFile)
        assert uploaded.read() == content
    finally:
        uploaded.close()


@pytest.mark.parametrize(
    ("key", "value"),
    [
        (b"\xe2\x80\xa0\nother", "test"),
        ("test", b"\xe2\x80\xa0\nother"),
        (b"\xff\r\nX-Injected", "1"),
    ],
)
def test_header_bytes_with_a_newline_are_refused_whatever_they_decode_to(
    key: Any, value: Any
) -> None:
    response = HttpResponse()
    with pytest.raises(BadHeaderError, match="can't contain newlines"):
        response[key] = value
