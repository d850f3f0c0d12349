"""The request hot path's shortcuts give the same answers as the long way."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from manouche.core.handlers import asgi as handlers_asgi
from manouche.core.handlers.asgi import ASGIHandler
from manouche.core.signals import request_finished, request_started
from manouche.http import HttpResponse
from manouche.test.utils import override_settings
from tests.core.handlers.asgi_driver import call_asgi, make_scope

AppFactory = Callable[..., ASGIHandler]


class _Sink:
    def __init__(self) -> None:
        self.messages: list[dict[str, Any]] = []

    async def __call__(self, message: dict[str, Any]) -> None:
        self.messages.append(message)


async def _headers_sent(response: HttpResponse) -> list[tuple[bytes, bytes]]:
    sink = _Sink()
    await ASGIHandler.send_response(ASGIHandler.__new__(ASGIHandler), response, sink)
    headers: list[tuple[bytes, bytes]] = sink.messages[0]["headers"]
    return headers


async def test_repeated_header_sets_are_sent_in_fresh_equal_lists() -> None:
    first = await _headers_sent(HttpResponse(b"abc", content_type="text/plain"))
    second = await _headers_sent(HttpResponse(b"abc", content_type="text/plain"))
    assert (
        first
        == second
        == [
            (b"Content-Type", b"text/plain"),
            (b"content-length", b"3"),
        ]
    )
    assert first is not second


async def test_added_content_length_does_not_stick_to_the_remembered_set() -> None:
    await _headers_sent(HttpResponse(b"abc", content_type="text/plain"))
    response = HttpResponse(b"abcdef", content_type="text/plain")
    assert (b"content-length", b"6") in await _headers_sent(response)
    for block in handlers_asgi._ENCODED_BLOCKS.values():
        assert all(name != b"content-length" for name, _value in block)


async def test_latin1_header_values_are_encoded_as_latin1() -> None:
    response = HttpResponse(b"", content_type="text/plain")
    response["X-Name"] = "café"
    assert (b"X-Name", "café".encode("latin-1")) in await _headers_sent(response)


async def test_header_set_memo_is_emptied_when_full(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(handlers_asgi, "_ENCODED_BLOCKS", {})
    monkeypatch.setattr(handlers_asgi, "_ENCODED_BLOCKS_MAX", 2)
    for number in range(3):
        response = HttpResponse(b"", content_type="text/plain")
        response["X-N"] = str(number)
        assert (b"X-N", str(number).encode()) in await _headers_sent(response)
    assert len(handlers_asgi._ENCODED_BLOCKS) == 1


async def test_request_signals_reach_their_loop_safe_receivers(
    make_app: AppFactory,
) -> None:
    seen: list[tuple[str, Any]] = []

    def started(sender: Any, **kwargs: Any) -> None:
        seen.append(("started", kwargs["scope"]["path"]))

    def finished(sender: Any, **kwargs: Any) -> None:
        seen.append(("finished", sender))

    # Not marked loop_safe: asend runs them, in a thread.
    request_started.connect(started)
    request_finished.connect(finished)
    try:
        app = make_app()
        result = await call_asgi(app, make_scope(path="/"))
    finally:
        request_started.disconnect(started)
        request_finished.disconnect(finished)
    assert result.status == 200
    assert seen == [("started", "/"), ("finished", type(app))]


async def test_overridden_get_response_async_is_still_called() -> None:
    calls: list[str] = []

    class Handler(ASGIHandler):
        async def get_response_async(self, request: Any) -> Any:
            calls.append(request.path)
            return await super().get_response_async(request)

    with override_settings(MIDDLEWARE=[]):
        app = Handler()
    result = await call_asgi(app, make_scope(path="/"))
    assert result.status == 200
    assert result.body == b"Hello, world"
    assert calls == ["/"]


async def test_resolve_request_returning_a_tuple_still_works() -> None:
    from tests.core.handlers import views

    class Handler(ASGIHandler):
        def resolve_request(self, request: Any) -> Any:
            return views.hello, (), {}

    with override_settings(MIDDLEWARE=[]):
        app = Handler()
    result = await call_asgi(app, make_scope(path="/no-such-page/"))
    assert result.status == 200
    assert result.body == b"Hello, world"
