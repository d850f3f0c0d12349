"""Build HttpRequest objects the way the ASGI handler does, without a server."""

from __future__ import annotations

import io
from typing import Any

from manouche.http import HttpRequest


def make_request(
    method: str = "GET",
    path: str = "/",
    body: bytes = b"",
    content_type: str | None = None,
    query_string: str = "",
    **meta: Any,
) -> HttpRequest:
    """Return an HttpRequest with META filled and the body as its stream."""
    request = HttpRequest()
    request.method = method
    request.path = request.path_info = path
    request.META = {
        "REQUEST_METHOD": method,
        "QUERY_STRING": query_string,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "REMOTE_ADDR": "127.0.0.1",
        "CONTENT_LENGTH": str(len(body)),
        **meta,
    }
    if content_type is not None:
        request.META["CONTENT_TYPE"] = content_type
    request._stream = io.BytesIO(body)
    return request


def multipart_body(
    parts: list[tuple[dict[str, str], bytes]], boundary: str = "BoUnDaRy"
) -> bytes:
    """Encode ``parts`` (headers, payload) as a multipart/form-data body."""
    out = bytearray()
    for headers, payload in parts:
        out += f"--{boundary}\r\n".encode()
        for name, value in headers.items():
            out += f"{name}: {value}\r\n".encode()
        out += b"\r\n" + payload + b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return bytes(out)


def field(name: str, value: bytes) -> tuple[dict[str, str], bytes]:
    """A form field part."""
    return {"Content-Disposition": f'form-data; name="{name}"'}, value


def file_part(
    name: str, filename: str, content: bytes, content_type: str = "text/plain"
) -> tuple[dict[str, str], bytes]:
    """A file upload part."""
    return {
        "Content-Disposition": f'form-data; name="{name}"; filename="{filename}"',
        "Content-Type": content_type,
    }, content
