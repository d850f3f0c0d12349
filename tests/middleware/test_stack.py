"""The built-in middleware together, through the real ASGI handler."""

from __future__ import annotations

import asyncio
import gzip
from collections.abc import Iterator
from typing import Any

import pytest

from manouche.core.handlers.asgi import ASGIHandler
from manouche.test.utils import override_settings
from tests.middleware.stack_urls import BODY

STACK = [
    "manouche.middleware.security.SecurityMiddleware",
    "manouche.middleware.gzip.GZipMiddleware",
    "manouche.middleware.http.ConditionalGetMiddleware",
    "manouche.middleware.common.CommonMiddleware",
    "manouche.middleware.clickjacking.XFrameOptionsMiddleware",
]


@pytest.fixture
def app(monkeypatch: pytest.MonkeyPatch) -> Iterator[ASGIHandler]:
    async def no_thread_hops(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("built-in middleware hopped to a thread")

    # The built-in hooks must run on the event loop, never through run_sync.
    monkeypatch.setattr("manouche.utils.deprecation.run_sync", no_thread_hops)
    with override_settings(
        MIDDLEWARE=STACK, ROOT_URLCONF="tests.middleware.stack_urls"
    ):
        yield ASGIHandler()


async def call(
    app: ASGIHandler, path: str, method: str = "GET", headers: Any = ()
) -> tuple[int, dict[str, str], bytes]:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"testserver"), *headers],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    messages: list[dict[str, Any]] = []
    sent_request = False

    async def receive() -> dict[str, Any]:
        nonlocal sent_request
        if not sent_request:
            sent_request = True
            return {"type": "http.request", "body": b"", "more_body": False}
        # Like a server: nothing more until the client goes away (a disconnect
        # here would cancel the request).
        await asyncio.Event().wait()
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        messages.append(message)

    await app(scope, receive, send)
    start = next(m for m in messages if m["type"] == "http.response.start")
    response_headers = {
        k.decode().lower(): v.decode("latin-1") for k, v in start["headers"]
    }
    body = b"".join(
        m.get("body", b"") for m in messages if m["type"] == "http.response.body"
    )
    return start["status"], response_headers, body


@pytest.mark.parametrize("path", ["/async/", "/sync/"])
async def test_security_headers_and_content_length(app: ASGIHandler, path: str) -> None:
    status, headers, body = await call(app, path)
    assert status == 200
    assert body == BODY
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert headers["cross-origin-opener-policy"] == "same-origin"
    assert headers["x-frame-options"] == "DENY"
    assert headers["content-length"] == str(len(BODY))
    assert headers["etag"].startswith('"')


async def test_append_slash_redirect(app: ASGIHandler) -> None:
    status, headers, _ = await call(app, "/async")
    assert status == 301
    assert headers["location"] == "/async/"


async def test_gzip_and_conditional_get(app: ASGIHandler) -> None:
    accept = [(b"accept-encoding", b"gzip")]
    status, headers, body = await call(app, "/async/", headers=accept)
    assert status == 200
    assert gzip.decompress(body) == BODY
    assert headers["content-encoding"] == "gzip"
    assert headers["vary"] == "Accept-Encoding"
    assert headers["etag"].startswith('W/"')
    again = [*accept, (b"if-none-match", headers["etag"].encode())]
    status, headers, body = await call(app, "/async/", headers=again)
    assert status == 304
    assert body == b""


async def test_async_streaming_is_gzipped(app: ASGIHandler) -> None:
    status, headers, body = await call(
        app, "/stream/", headers=[(b"accept-encoding", b"gzip")]
    )
    assert status == 200
    assert gzip.decompress(body) == BODY * 4
    assert "content-length" not in headers


async def test_view_decorators_through_the_stack(app: ASGIHandler) -> None:
    _, headers, _ = await call(app, "/embed/")
    assert "x-frame-options" not in headers
    status, headers, _ = await call(app, "/post-only/")
    assert status == 405
    assert headers["allow"] == "POST"


async def test_class_based_async_view(app: ASGIHandler) -> None:
    status, _, body = await call(app, "/greeting/")
    assert (status, body) == (200, b"hello")
    status, headers, _ = await call(app, "/greeting/", method="DELETE")
    assert status == 405
    assert headers["allow"] == "GET, HEAD, OPTIONS"


async def test_not_found_page_keeps_security_headers(app: ASGIHandler) -> None:
    status, headers, body = await call(app, "/missing/")
    assert status == 404
    assert b"<h1>Not Found</h1>" in body
    assert headers["x-frame-options"] == "DENY"
