"""The generated serve coroutine answers exactly as ``ASGIHandler.handle``.

Each case runs one request through two handlers built alike: one serving
through the generated coroutine, one with it switched off so that ``handle``
runs. The messages sent, the signals and the recorded events must match.
"""

from __future__ import annotations

import asyncio
import inspect
import sys
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from manouche.core import signals
from manouche.core.handlers.asgi import ASGIHandler
from manouche.dispatch.dispatcher import idle_when, loop_safe
from manouche.test.utils import override_settings
from manouche.utils.asyncio import iscoroutinefunction
from tests.core.handlers.asgi_driver import ASGIResult, call_asgi, make_scope
from tests.core.handlers.views import events, stream_state

STOCK = (
    "manouche.middleware.security.SecurityMiddleware",
    "manouche.middleware.common.CommonMiddleware",
    "manouche.middleware.clickjacking.XFrameOptionsMiddleware",
)
CM = "tests.core.handlers.chain_middleware."

AppFactory = Callable[..., ASGIHandler]

_BOUNDARY = b"serve-boundary"
_UPLOAD = (
    b"--serve-boundary\r\n"
    b'Content-Disposition: form-data; name="file"; filename="a.txt"\r\n'
    b"Content-Type: text/plain\r\n\r\n" + b"z" * 3000 + b"\r\n--serve-boundary--\r\n"
)
_UPLOAD_HEADERS = [
    (b"content-type", b"multipart/form-data; boundary=" + _BOUNDARY),
    (b"content-length", str(len(_UPLOAD)).encode()),
]

CASES = {
    "sync view": (make_scope(path="/"), b""),
    "async view": (make_scope(path="/async/"), b""),
    "head": (make_scope("HEAD", path="/async/"), b""),
    "script name": (make_scope(path="/app/meta/", root_path="/app"), b""),
    "slash redirect": (make_scope(path="/async"), b""),
    "not found": (make_scope(path="/nowhere"), b""),
    "view raises": (make_scope(path="/error/"), b""),
    "async view raises": (make_scope(path="/async-error/"), b""),
    "permission denied": (make_scope(path="/forbidden/"), b""),
    "view returns None": (make_scope(path="/async-none/"), b""),
    "template response": (make_scope(path="/template/"), b""),
    "failing render": (make_scope(path="/failing-render/"), b""),
    "cookie": (make_scope(path="/cookie/"), b""),
    "streaming": (make_scope(path="/stream/"), b""),
    "async streaming": (make_scope(path="/stream-async/"), b""),
    "file": (make_scope(path="/file/"), b""),
    "form post": (
        make_scope(
            "POST",
            path="/post/",
            headers=[
                (b"content-type", b"application/x-www-form-urlencoded"),
                (b"content-length", b"7"),
            ],
        ),
        b"a=1&b=2",
    ),
    "upload": (make_scope("POST", path="/upload/", headers=_UPLOAD_HEADERS), _UPLOAD),
    "body in pieces": (make_scope("POST", path="/body/"), [b"x" * 10, b"y" * 20]),
    "malformed length": (
        make_scope("POST", path="/body/", headers=[(b"content-length", b"12x")]),
        b"",
    ),
    "disallowed host": (make_scope(path="/async/", host=b"evil.example"), b""),
    "no host": (make_scope(path="/async/", host=None), b""),
    "trace": (make_scope("TRACE", path="/async/"), b""),
    "bad query": (make_scope(path="/async/", query_string=b"a=\xff"), b""),
    "header with newline": (
        make_scope(path="/async/", headers=[(b"x-evil", b"a\nb")]),
        b"",
    ),
}


@pytest.fixture
def finished_senders() -> Iterator[list[Any]]:
    seen: list[Any] = []

    def record(sender: Any, **kwargs: Any) -> None:
        seen.append(sender)

    signals.request_finished.connect(record)
    yield seen
    signals.request_finished.disconnect(record)


async def _both(
    make_app: AppFactory, case: str, *middleware: str, **overrides: Any
) -> tuple[ASGIResult, ASGIResult, list[str], list[str]]:
    scope, body = CASES[case]
    served = make_app(*middleware, ALLOWED_HOSTS=["testserver"], **overrides)
    assert served._serve is not None
    handled = make_app(*middleware, ALLOWED_HOSTS=["testserver"], **overrides)
    handled._serve = None
    first = await call_asgi(served, dict(scope), body)
    first_events = list(events)
    events.clear()
    second = await call_asgi(handled, dict(scope), body)
    return first, second, first_events, list(events)


@pytest.mark.parametrize("case", sorted(CASES))
async def test_stock_stack_answers_as_handle(
    make_app: AppFactory, case: str, finished_senders: list[Any]
) -> None:
    served, handled, _, _ = await _both(make_app, case, *STOCK)
    assert served.messages == handled.messages
    # request_finished went out once per request, from the same sender.
    assert len(finished_senders) == 2
    assert finished_senders[0] is finished_senders[1]


@pytest.mark.parametrize(
    "case", ["async view", "not found", "view raises", "form post"]
)
async def test_hook_middleware_run_as_in_handle(
    make_app: AppFactory, case: str
) -> None:
    served, handled, served_events, handled_events = await _both(
        make_app, case, CM + "First", *STOCK, CM + "Second"
    )
    assert served.messages == handled.messages
    assert served_events == handled_events


async def test_hsts_and_redirects_take_the_hooks(make_app: AppFactory) -> None:
    served, handled, _, _ = await _both(
        make_app,
        "async view",
        *STOCK,
        SECURE_HSTS_SECONDS=3600,
        SECURE_SSL_REDIRECT=True,
    )
    assert served.status == 301
    assert served.messages == handled.messages


def test_subclasses_and_partial_chains_keep_handle(make_app: AppFactory) -> None:
    class Traced(ASGIHandler):
        async def send_response(self, *args: Any, **kwargs: Any) -> None:
            await super().send_response(*args, **kwargs)

    with override_settings(MIDDLEWARE=list(STOCK)):
        assert Traced()._serve is None
    assert make_app("AsyncOnly", *STOCK)._serve is None
    assert make_app()._serve is not None


async def test_stock_headers_are_stored_as_the_hooks_store_them(
    make_app: AppFactory,
) -> None:
    app = make_app(*STOCK)
    with override_settings(X_FRAME_OPTIONS="sameorigin"):
        result = await call_asgi(app, make_scope(path="/async/"))
    assert result.header_list("X-Frame-Options") == ["SAMEORIGIN"]
    assert result.header_list("X-Content-Type-Options") == ["nosniff"]
    assert result.header_list("Referrer-Policy") == ["same-origin"]
    assert result.header_list("Cross-Origin-Opener-Policy") == ["same-origin"]
    assert result.header_list("Content-Length") == [str(len(result.body))]


@pytest.mark.parametrize("memory_size", [100, 1 << 20])
async def test_uploads_are_closed_once_answered(
    make_app: AppFactory, memory_size: int
) -> None:
    """In memory or spooled to disk, the request's files close with the response."""
    app = make_app(*STOCK, FILE_UPLOAD_MAX_MEMORY_SIZE=memory_size)
    assert app._serve is not None
    with override_settings(FILE_UPLOAD_MAX_MEMORY_SIZE=memory_size):
        result = await call_asgi(
            app, make_scope("POST", path="/upload/", headers=_UPLOAD_HEADERS), _UPLOAD
        )
    assert result.body == b"3000"
    assert stream_state["upload"].closed


async def test_an_entry_that_raises_answers_as_its_hook(make_app: AppFactory) -> None:
    """A header value the entries refuse gives the hooks' 500, outer headers on."""
    results = []
    for generated in (True, False):
        app = make_app(*STOCK)
        if not generated:
            app._serve = None
        with override_settings(X_FRAME_OPTIONS="DENY\r\nSet-Cookie: x=1"):
            results.append(await call_asgi(app, make_scope(path="/async/")))
    served, handled = results
    assert served.status == 500
    assert "set-cookie" not in served.headers
    assert served.header_list("X-Content-Type-Options") == ["nosniff"]
    assert served.messages == handled.messages


async def test_request_class_is_read_per_request(make_app: AppFactory) -> None:
    from manouche.core.handlers.asgi import ASGIRequest

    seen: list[str] = []

    class Traced(ASGIRequest):
        def __init__(self, *args: Any) -> None:
            super().__init__(*args)
            seen.append(self.path)

    app = make_app(*STOCK)
    app.request_class = Traced
    result = await call_asgi(app, make_scope(path="/async/"))
    assert result.status == 200
    assert seen == ["/async/"]


@pytest.fixture
def housekeeping() -> Iterator[dict[str, Any]]:
    """An idle_when receiver on both request signals, idle while ``state["idle"]``."""
    state: dict[str, Any] = {"idle": True, "calls": []}

    def is_idle() -> bool:
        return bool(state["idle"])

    @loop_safe
    @idle_when(is_idle)
    def tidy(signal: Any, sender: Any, **kwargs: Any) -> None:
        name = "started" if signal is signals.request_started else "finished"
        state["calls"].append((name, sender, sorted(kwargs)))

    for signal in (signals.request_started, signals.request_finished):
        signal.connect(tidy)
    yield state
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(tidy)


async def test_idle_receivers_are_skipped_and_busy_ones_called(
    make_app: AppFactory, housekeeping: dict[str, Any]
) -> None:
    """The coroutine asks the idle predicates itself, as send_inline would."""
    app = make_app(*STOCK)
    scope = make_scope(path="/async/")
    for _ in range(3):  # the first request plans, the next ones ask directly
        assert (await call_asgi(app, dict(scope))).status == 200
    assert housekeeping["calls"] == []
    housekeeping["idle"] = False
    assert (await call_asgi(app, dict(scope))).status == 200
    assert housekeeping["calls"] == [
        ("started", ASGIHandler, ["scope"]),
        ("finished", ASGIHandler, []),
    ]


async def test_a_receiver_connected_between_requests_is_called(
    make_app: AppFactory, housekeeping: dict[str, Any]
) -> None:
    app = make_app(*STOCK)
    scope = make_scope(path="/async/")
    for _ in range(2):
        await call_asgi(app, dict(scope))
    seen: list[Any] = []

    @loop_safe
    def late(sender: Any, **kwargs: Any) -> None:
        seen.append(sender)

    signals.request_started.connect(late)
    try:
        await call_asgi(app, dict(scope))
        # Changed in place behind connect(): noticed by the length.
        signals.request_started.receivers.pop()
        await call_asgi(app, dict(scope))
    finally:
        signals.request_started.disconnect(late)
    assert seen == [ASGIHandler]


def test_the_handler_is_a_coroutine_function_to_servers(make_app: AppFactory) -> None:
    """``__call__`` returns the coroutine it serves with; servers see ASGI 3."""
    app = make_app(*STOCK)
    assert iscoroutinefunction(app.__call__)
    assert asyncio.iscoroutinefunction(app.__call__)  # uvicorn's own test
    if sys.version_info >= (3, 12):
        assert inspect.iscoroutinefunction(app.__call__)


async def test_atomic_requests_flipped_in_place_is_read_per_request(
    make_app: AppFactory,
) -> None:
    """As Django's own tests do it: the flag changed inside DATABASES."""
    app = make_app(*STOCK)
    wrapped: list[Any] = []

    def make_view_atomic(view: Any) -> Any:
        wrapped.append(view)
        return view

    app.make_view_atomic = make_view_atomic  # type: ignore[method-assign]
    scope = make_scope(path="/")
    config = {"ENGINE": "manouche.db.backends.sqlite3", "NAME": ":memory:"}
    with override_settings(DATABASES={"default": config}):
        assert (await call_asgi(app, dict(scope))).status == 200
        assert wrapped == []  # the view was called directly
        config["ATOMIC_REQUESTS"] = True
        assert (await call_asgi(app, dict(scope))).status == 200
    assert len(wrapped) == 1
