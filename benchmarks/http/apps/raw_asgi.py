"""A framework-less ASGI callable: the floor every framework is measured against."""

from __future__ import annotations

from typing import Any

__all__ = ["app"]

_START = {
    "type": "http.response.start",
    "status": 200,
    "headers": [(b"content-type", b"text/plain"), (b"content-length", b"13")],
}
_BODY = {"type": "http.response.body", "body": b"Hello, world!"}


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """Answer every HTTP request with a 13-byte text body; ignore lifespan."""
    if scope["type"] != "http":
        return
    await send(_START)
    await send(_BODY)
