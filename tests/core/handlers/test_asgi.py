"""ASGIHandler at the protocol edge: limits, hostile input, streaming, lifespan."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from manouche.core import asgi as core_asgi
from manouche.core.handlers.asgi import ASGIHandler, ASGIRequest
from manouche.core.signals import request_finished, request_started
from manouche.test.utils import override_settings
from tests.core.handlers.asgi_driver import call_asgi, make_scope
from tests.core.handlers.views import stream_state

AppFactory = Callable[..., ASGIHandler]


def many_headers(count: int, size: int = 10) -> list[tuple[bytes, bytes]]:
    return [(f"x-h{i}".encode(), b"v" * size) for i in range(count)]


# Request line and header limits -------------------------------------------


@override_settings(REQUEST_LINE_MAX_SIZE=100)
async def test_long_request_target_is_refused_with_414(
    make_app: AppFactory, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="manouche.request"):
        result = await call_asgi(
            make_app(), make_scope(path="/", query_string=b"q=" + b"a" * 200)
        )
    assert result.status == 414
    assert result.body == b"414 Request line too long\n"
    assert result.headers["content-type"] == "text/plain; charset=utf-8"
    assert len(caplog.records) == 1
    assert caplog.records[0].getMessage() == (
        "Request-URI Too Long (Request target is over 100 bytes): /"
    )


async def test_request_target_at_the_limit_is_served(make_app: AppFactory) -> None:
    with override_settings(REQUEST_LINE_MAX_SIZE=20):
        result = await call_asgi(
            make_app(), make_scope(path="/", query_string=b"a" * 19)
        )
    assert result.status == 200


async def test_oversized_header_field_gives_431(make_app: AppFactory) -> None:
    scope = make_scope(headers=[(b"x-big", b"a" * 9000)])
    result = await call_asgi(make_app(), scope)
    assert result.status == 431
    assert result.body == b"431 Request header fields too large\n"


async def test_header_block_over_the_total_gives_431(make_app: AppFactory) -> None:
    scope = make_scope(headers=many_headers(90, size=800))
    result = await call_asgi(make_app(), scope)
    assert result.status == 431


async def test_too_many_header_fields_give_431(make_app: AppFactory) -> None:
    result = await call_asgi(make_app(), make_scope(headers=many_headers(120)))
    assert result.status == 431


async def test_duplicate_headers_count_towards_the_limit(make_app: AppFactory) -> None:
    headers = [(b"accept", b"*/*")] * 100
    result = await call_asgi(make_app(), make_scope(headers=headers))
    assert result.status == 431


async def test_headers_just_under_the_limits_are_served(make_app: AppFactory) -> None:
    result = await call_asgi(make_app(), make_scope(headers=many_headers(99)))
    assert result.status == 200


async def test_second_host_header_gives_400(make_app: AppFactory) -> None:
    scope = make_scope(headers=[(b"host", b"evil.example")])
    result = await call_asgi(make_app(), scope)
    assert result.status == 400
    assert result.body == b"400 Bad Request\n"


async def test_http11_without_host_gives_400(make_app: AppFactory) -> None:
    result = await call_asgi(make_app(), make_scope(host=None))
    assert result.status == 400


async def test_http10_without_host_is_served(make_app: AppFactory) -> None:
    result = await call_asgi(make_app(), make_scope(host=None, http_version="1.0"))
    assert result.status == 200


def test_request_built_directly_without_host_falls_back_to_server_name() -> None:
    # Only the handler refuses a missing Host; the request class, used alone
    # (tools, tests), behaves as Django's and answers from SERVER_NAME.
    request = ASGIRequest(make_scope(host=None, method="POST"), None)
    assert "HTTP_HOST" not in request.META
    assert request.get_host() == "testserver"


async def test_async_request_factory_scope_is_served(make_app: AppFactory) -> None:
    from manouche.test import AsyncRequestFactory

    scope = AsyncRequestFactory()._base_scope(method="GET", path="/")
    result = await call_asgi(make_app(), scope)
    assert result.status == 200


@pytest.mark.parametrize("value", [b"a\x00b", b"a\rb", b"a\nb", b"a\r\nX-Injected: 1"])
async def test_control_characters_in_header_values_give_400(
    make_app: AppFactory, value: bytes
) -> None:
    result = await call_asgi(make_app(), make_scope(headers=[(b"x-note", value)]))
    assert result.status == 400


async def test_header_names_with_underscores_are_dropped(make_app: AppFactory) -> None:
    scope = make_scope(
        path="/meta/",
        headers=[
            (b"x_forwarded_proto", b"https"),
            (b"remote_user", b"admin"),
            (b"x-forwarded-for", b"10.0.0.1"),
        ],
    )
    result = await call_asgi(make_app(), scope)
    assert result.status == 200
    assert "HTTP_X_FORWARDED_PROTO" not in result.text
    assert "REMOTE_USER" not in result.text
    assert "HTTP_X_FORWARDED_FOR=10.0.0.1" in result.text


async def test_repeated_headers_are_joined_and_cookies_merged(
    make_app: AppFactory,
) -> None:
    scope = make_scope(
        path="/meta/",
        headers=[
            (b"x-list", b"a"),
            (b"x-list", b"b"),
            (b"cookie", b"one=1; "),
            (b"cookie", b"two=2"),
        ],
    )
    result = await call_asgi(make_app(), scope)
    assert "HTTP_X_LIST=a,b" in result.text
    assert "HTTP_COOKIE=one=1; two=2" in result.text
    assert "COOKIES=[('one', '1'), ('two', '2')]" in result.text


@pytest.mark.parametrize("method", ["TRACE", "TRACK", "trace"])
async def test_trace_and_track_give_405_without_echo(
    make_app: AppFactory, method: str
) -> None:
    scope = make_scope(method=method, headers=[(b"x-secret", b"echo-me")])
    result = await call_asgi(make_app(), scope)
    assert result.status == 405
    assert b"echo-me" not in result.body
    assert "TRACE" not in result.headers["allow"]


# Bodies ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "declared", [b"-1", b"0x10", b"1e3", b"+5", b" 5", b"\xd9\xa3"]
)
async def test_malformed_content_length_gives_400(
    make_app: AppFactory, declared: bytes
) -> None:
    scope = make_scope(
        method="POST", path="/body/", headers=[(b"content-length", declared)]
    )
    result = await call_asgi(make_app(), scope, b"abc")
    assert result.status == 400


async def test_declared_oversized_body_gives_413_before_reading(
    make_app: AppFactory,
) -> None:
    received: list[Any] = []

    async def receive() -> dict[str, Any]:
        received.append(1)
        return {"type": "http.request", "body": b"x" * 10, "more_body": True}

    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = make_scope(
        method="POST", path="/body/", headers=[(b"content-length", b"11000000")]
    )
    await make_app()(scope, receive, send)
    assert received == []
    assert sent[0]["status"] == 413
    assert sent[1]["body"] == b"413 Request body too large\n"


@override_settings(DATA_UPLOAD_MAX_REQUEST_SIZE=1000)
async def test_lying_content_length_is_caught_while_reading(
    make_app: AppFactory,
) -> None:
    calls = 0

    async def receive() -> dict[str, Any]:
        nonlocal calls
        calls += 1
        return {"type": "http.request", "body": b"x" * 300, "more_body": True}

    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = make_scope(
        method="POST", path="/body/", headers=[(b"content-length", b"10")]
    )
    await asyncio.wait_for(make_app()(scope, receive, send), 5)
    assert sent[0]["status"] == 413
    # Stopped reading as soon as the limit was crossed: 4 x 300 > 1000.
    assert calls == 4


@override_settings(DATA_UPLOAD_MAX_REQUEST_SIZE=1000)
async def test_chunked_body_over_the_limit_gives_413(make_app: AppFactory) -> None:
    scope = make_scope(method="POST", path="/body/")
    result = await call_asgi(make_app(), scope, [b"y" * 400] * 5)
    assert result.status == 413


@override_settings(DATA_UPLOAD_MAX_REQUEST_SIZE=1000)
async def test_body_at_the_limit_is_accepted(make_app: AppFactory) -> None:
    scope = make_scope(method="POST", path="/body/")
    result = await call_asgi(make_app(), scope, [b"y" * 500, b"y" * 500])
    assert result.status == 200
    assert result.body == b"1000"


@override_settings(FILE_UPLOAD_MAX_MEMORY_SIZE=100)
async def test_large_body_spools_to_disk_and_is_read_whole(
    make_app: AppFactory,
) -> None:
    app = make_app()
    scope = make_scope(method="POST", path="/body/")
    result = await call_asgi(app, scope, [b"z" * 150] * 4)
    assert result.body == b"600"


async def test_read_body_returns_a_rewound_spooled_file(make_app: AppFactory) -> None:
    messages = [
        {"type": "http.request", "body": b"abc", "more_body": True},
        {"type": "http.request", "body": b"def", "more_body": False},
    ]

    async def receive() -> dict[str, Any]:
        return messages.pop(0)

    body_file = await make_app().read_body(receive)
    try:
        assert body_file.read() == b"abcdef"
    finally:
        body_file.close()


async def test_disconnect_while_reading_sends_nothing(make_app: AppFactory) -> None:
    messages = [
        {"type": "http.request", "body": b"abc", "more_body": True},
        {"type": "http.disconnect"},
    ]

    async def receive() -> dict[str, Any]:
        return messages.pop(0)

    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await make_app()(make_scope(method="POST", path="/body/"), receive, send)
    assert sent == []


async def test_urlencoded_form_is_parsed(make_app: AppFactory) -> None:
    scope = make_scope(
        method="POST",
        path="/post/",
        headers=[(b"content-type", b"application/x-www-form-urlencoded")],
    )
    result = await call_asgi(make_app(), scope, b"b=2&a=1")
    assert result.body == b"a,b"


@override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=1000)
async def test_too_many_form_fields_give_400(make_app: AppFactory) -> None:
    scope = make_scope(
        method="POST",
        path="/post/",
        headers=[(b"content-type", b"application/x-www-form-urlencoded")],
    )
    body = "&".join(f"f{i}=1" for i in range(100_000)).encode()
    result = await call_asgi(make_app(), scope, body)
    assert result.status == 400


async def test_malformed_multipart_gives_400(make_app: AppFactory) -> None:
    scope = make_scope(
        method="POST",
        path="/post/",
        headers=[(b"content-type", b"multipart/form-data; boundary=" + b"b" * 200)],
    )
    result = await call_asgi(make_app(), scope, b"--xx\r\n\r\ngarbage")
    assert result.status == 400


# Paths, query strings, cookies ---------------------------------------------------


async def test_invalid_utf8_in_path_gives_404(make_app: AppFactory) -> None:
    scope = make_scope(path="/\ufffd\ufffd/", raw_path=b"/%ff%fe/")
    result = await call_asgi(make_app(), scope)
    assert result.status == 404


async def test_surrogates_in_path_give_404(make_app: AppFactory) -> None:
    scope = make_scope(path="/\udcff/", raw_path=b"")
    result = await call_asgi(make_app(), scope)
    assert result.status == 404


async def test_percent_encoded_invalid_utf8_and_raw_cookie_are_served(
    make_app: AppFactory,
) -> None:
    scope = make_scope(
        path="/meta/",
        query_string=b"q=%ff&r=%fe",
        headers=[(b"cookie", b"name=\xff\xfe")],
    )
    result = await call_asgi(make_app(), scope)
    assert result.status == 200
    assert "GET=[('q', '\ufffd'), ('r', '\ufffd')]" in result.text


async def test_raw_invalid_utf8_in_query_string_is_400_without_body(
    make_app: AppFactory, caplog: pytest.LogCaptureFixture
) -> None:
    scope = make_scope(path="/meta/", query_string=b"r=\xfe")
    result = await call_asgi(make_app(), scope)
    assert result.status == 400
    assert result.body == b""
    assert "Bad Request" in caplog.text


async def test_root_path_becomes_the_script_name(make_app: AppFactory) -> None:
    scope = make_scope(path="/prefix/meta/", root_path="/prefix")
    result = await call_asgi(make_app(), scope)
    assert "path=/prefix/meta/" in result.text
    assert "path_info=/meta/" in result.text
    assert "script_name=/prefix" in result.text


@override_settings(FORCE_SCRIPT_NAME="/forced")
async def test_force_script_name_wins_over_root_path(make_app: AppFactory) -> None:
    scope = make_scope(path="/forced/meta/", root_path="/other")
    result = await call_asgi(make_app(), scope)
    assert "script_name=/forced" in result.text
    assert "path_info=/meta/" in result.text


async def test_request_exposes_the_scope_and_meta() -> None:
    scope = make_scope(
        method="post",
        path="/meta/",
        query_string=b"a=1",
        headers=[
            (b"content-type", b"text/plain; charset=latin-1"),
            (b"content-length", b"3"),
        ],
    )
    request = ASGIRequest(scope, None)
    assert request.scope is scope
    assert request.method == "POST"
    assert request.META["QUERY_STRING"] == "a=1"
    assert request.META["CONTENT_TYPE"] == "text/plain; charset=latin-1"
    assert request.META["CONTENT_LENGTH"] == "3"
    assert request.META["REMOTE_ADDR"] == "127.0.0.1"
    assert request.META["REMOTE_PORT"] == 50000
    assert request.META["SERVER_NAME"] == "testserver"
    assert request.META["SERVER_PORT"] == "80"
    assert request.encoding == "latin-1"
    assert request.scheme == "http"
    assert request.get_host() == "testserver"


# Responses ----------------------------------------------------------------------


async def test_cookies_are_sent_as_set_cookie_headers(make_app: AppFactory) -> None:
    result = await call_asgi(make_app(), make_scope(path="/cookie/"))
    cookies = result.header_list("set-cookie")
    assert len(cookies) == 2
    assert any(c.startswith("flavour=chocolate") and "HttpOnly" in c for c in cookies)
    assert any(c.startswith("size=large") for c in cookies)


async def test_sync_streaming_response_is_sent_in_chunks(make_app: AppFactory) -> None:
    result = await call_asgi(make_app(), make_scope(path="/stream/"))
    assert result.body == b"part0;part1;part2;part3;part4;"
    assert result.messages[-1] == {"type": "http.response.body", "body": b""}
    assert stream_state["sync_closed"] is True


async def test_async_streaming_response_is_sent_as_it_comes(
    make_app: AppFactory,
) -> None:
    result = await call_asgi(make_app(), make_scope(path="/stream-async/"))
    assert result.body.startswith(b"chunk0;chunk1;")
    assert result.body.endswith(b"chunk999;")
    assert stream_state["response_closed"] is True


async def test_disconnect_during_streaming_stops_and_closes(
    make_app: AppFactory,
) -> None:
    result = await call_asgi(
        make_app(), make_scope(path="/stream-async/"), disconnect_after=5
    )
    body_messages = [m for m in result.messages if m["type"] == "http.response.body"]
    assert len(body_messages) < 100
    assert body_messages[-1].get("more_body") is True
    assert stream_state["response_closed"] is True


async def test_file_response_is_sent_in_chunks(
    make_app: AppFactory, tmp_path: Path
) -> None:
    target = tmp_path / "data.bin"
    payload = bytes(range(256)) * 1024  # 256 KiB
    target.write_bytes(payload)
    scope = make_scope(path="/file/", query_string=b"path=" + str(target).encode())
    result = await call_asgi(make_app(), scope)
    assert result.status == 200
    assert result.body == payload
    assert result.headers["content-length"] == str(len(payload))
    chunks = [m for m in result.messages if m["type"] == "http.response.body"]
    assert len(chunks) >= 4


async def test_file_response_uses_pathsend_when_offered(
    make_app: AppFactory, tmp_path: Path
) -> None:
    target = tmp_path / "data.txt"
    target.write_bytes(b"served by the server")
    scope = make_scope(
        path="/file/",
        query_string=b"path=" + str(target).encode(),
        extensions={"http.response.pathsend": {}},
    )
    result = await call_asgi(make_app(), scope)
    assert result.messages[-1] == {
        "type": "http.response.pathsend",
        "path": str(target),
    }


async def test_request_started_and_finished_signals_are_sent(
    make_app: AppFactory,
) -> None:
    seen: list[str] = []

    def started(sender: Any, **kwargs: Any) -> None:
        seen.append(f"started {kwargs['scope']['path']}")

    def finished(sender: Any, **kwargs: Any) -> None:
        seen.append("finished")

    request_started.connect(started)
    request_finished.connect(finished)
    try:
        await call_asgi(make_app(), make_scope())
    finally:
        request_started.disconnect(started)
        request_finished.disconnect(finished)
    assert seen == ["started /", "finished"]


# Lifespan, websockets, other scopes -------------------------------------------


async def test_lifespan_runs_startup_and_shutdown_hooks(make_app: AppFactory) -> None:
    ran: list[str] = []

    async def async_hook() -> None:
        ran.append("async startup")

    core_asgi.startup_handlers.extend([lambda: ran.append("sync startup"), async_hook])
    core_asgi.shutdown_handlers.append(lambda: ran.append("shutdown"))
    messages = [{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return messages.pop(0)

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    try:
        await make_app()({"type": "lifespan"}, receive, send)
    finally:
        core_asgi.startup_handlers.clear()
        core_asgi.shutdown_handlers.clear()
    assert ran == ["sync startup", "async startup", "shutdown"]
    assert sent == [
        {"type": "lifespan.startup.complete"},
        {"type": "lifespan.shutdown.complete"},
    ]


async def test_failing_startup_hook_reports_startup_failed(
    make_app: AppFactory, caplog: pytest.LogCaptureFixture
) -> None:
    def broken() -> None:
        raise RuntimeError("database unreachable")

    core_asgi.startup_handlers.append(broken)
    messages = [{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return messages.pop(0)

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    try:
        with caplog.at_level(logging.ERROR, logger="manouche.request"):
            await make_app()({"type": "lifespan"}, receive, send)
    finally:
        core_asgi.startup_handlers.clear()
    assert sent[0] == {
        "type": "lifespan.startup.failed",
        "message": "RuntimeError('database unreachable')",
    }
    assert caplog.records[0].getMessage() == "ASGI startup hook failed"


async def test_websocket_connections_are_closed(make_app: AppFactory) -> None:
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "websocket.connect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await make_app()({"type": "websocket", "path": "/"}, receive, send)
    assert sent == [{"type": "websocket.close", "code": 1000}]


async def test_unknown_scope_type_is_refused(make_app: AppFactory) -> None:
    async def receive() -> dict[str, Any]:
        raise AssertionError("not called")

    async def send(message: dict[str, Any]) -> None:
        raise AssertionError("not called")

    with pytest.raises(ValueError) as excinfo:
        await make_app()({"type": "other"}, receive, send)
    assert str(excinfo.value) == (
        "manouche can only handle ASGI/HTTP connections, not other."
    )


def test_get_asgi_application_returns_a_ready_handler() -> None:
    app = core_asgi.get_asgi_application()
    assert isinstance(app, ASGIHandler)
    assert app._middleware_chain is not None


async def test_refusals_log_one_escaped_line(
    make_app: AppFactory, caplog: pytest.LogCaptureFixture
) -> None:
    scope = make_scope(path="/a\nfake-line", headers=[(b"host", b"x")])
    with caplog.at_level(logging.INFO, logger="manouche"):
        result = await call_asgi(make_app(), scope)
    assert result.status == 400
    assert len(caplog.records) == 1
    message = caplog.records[0].getMessage()
    assert "\n" not in message
    assert message == "Bad Request (More than one Host header): /a\\nfake-line"


def test_meta_follows_each_connection_in_turn():
    """Requests of connections taking turns each get their own client's META."""
    first = make_scope(path="/meta/")
    second = dict(first, client=("10.0.0.2", 4000), server=("example.org", 443))
    for scope in (first, second, first, second):
        meta = ASGIRequest(scope, None).META
        assert meta["REMOTE_ADDR"] == scope["client"][0]
        assert meta["REMOTE_PORT"] == scope["client"][1]
        assert meta["SERVER_PORT"] == str(scope["server"][1])
    listed = dict(first, client=["10.0.0.3", 5000])  # lists: never remembered
    assert ASGIRequest(listed, None).META["REMOTE_ADDR"] == "10.0.0.3"
