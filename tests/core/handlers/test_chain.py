"""The flattened async middleware chain behaves like the nested one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from manouche.core.handlers import _chain
from manouche.core.handlers.asgi import ASGIHandler
from manouche.http import HttpRequest, HttpResponse
from manouche.utils.asyncio import iscoroutinefunction
from tests.core.handlers.asgi_driver import call_asgi, make_scope
from tests.core.handlers.views import events

AppFactory = Callable[..., ASGIHandler]
CM = "tests.core.handlers.chain_middleware."


def _app(make_app: AppFactory, *names: str) -> ASGIHandler:
    return make_app(*(CM + name for name in names))


def test_mixin_layers_become_one_coroutine(make_app: AppFactory) -> None:
    app = _app(make_app, "First", "Second", "Third")
    assert app._middleware_chain is not None
    assert app._middleware_chain.__name__ == "middleware_chain"
    assert iscoroutinefunction(app._middleware_chain)


async def test_hooks_run_outside_in_then_inside_out(make_app: AppFactory) -> None:
    app = _app(make_app, "First", "Second", "Third")
    result = await call_asgi(app, make_scope(path="/async/"))
    assert result.status == 200
    assert events == [
        "first request",
        "second request",
        "third request",
        "async view",
        "third response 200",
        "second response 200",
        "first response 200",
    ]


async def test_early_answer_skips_inner_layers_and_the_view(
    make_app: AppFactory,
) -> None:
    app = _app(make_app, "First", "AnswersEarly", "Third")
    result = await call_asgi(app, make_scope(path="/async/"))
    assert result.status == 202
    assert events == [
        "first request",
        "early request",
        "early response 202",
        "first response 202",
    ]


async def test_raising_process_request_skips_its_own_process_response(
    make_app: AppFactory,
) -> None:
    app = _app(make_app, "First", "RaisesInRequest", "Third")
    result = await call_asgi(app, make_scope(path="/async/"))
    assert result.status == 500
    assert events == [
        "first request",
        "raises-request request",
        "first response 500",
    ]


async def test_raising_process_response_is_answered_to_outer_layers(
    make_app: AppFactory,
) -> None:
    app = _app(make_app, "First", "RaisesInResponse", "Third")
    result = await call_asgi(app, make_scope(path="/async/"))
    assert result.status == 500
    assert events == [
        "first request",
        "raises-response request",
        "third request",
        "async view",
        "third response 200",
        "raises-response response",
        "first response 500",
    ]


async def test_view_errors_reach_every_process_response(
    make_app: AppFactory,
) -> None:
    app = _app(make_app, "First", "Second")
    result = await call_asgi(app, make_scope(path="/async-error/"))
    assert result.status == 500
    assert events[-2:] == ["second response 500", "first response 500"]


async def test_awaited_and_threaded_hooks_keep_their_order(
    make_app: AppFactory,
) -> None:
    app = _app(make_app, "AwaitsHooks", "ThreadHooks", "First")
    result = await call_asgi(app, make_scope(path="/async/"))
    assert result.status == 200
    assert events == [
        "awaited request",
        "thread request",
        "first request",
        "async view",
        "first response 200",
        "thread response",
        "awaited response",
    ]


async def test_overridden_call_ends_the_flat_part(make_app: AppFactory) -> None:
    app = _app(make_app, "First", "OwnCall", "Second")
    result = await call_asgi(app, make_scope(path="/async/"))
    assert result.status == 200
    assert events == [
        "first request",
        "own call",
        "second request",
        "async view",
        "second response 200",
        "first response 200",
    ]


def test_chain_starting_with_a_plain_middleware_is_kept(
    make_app: AppFactory,
) -> None:
    app = make_app("AsyncOnly", CM + "First")
    assert app._middleware_chain is not None
    assert app._middleware_chain.__name__ != "middleware_chain"


async def test_error_from_an_unwrapped_handler_skips_the_innermost_response() -> None:
    """A handler that is not the converting wrapper raises through its layer."""
    from tests.core.handlers.chain_middleware import First, Second

    async def failing(request: Any) -> Any:
        raise RuntimeError("inner failed")

    inner_layer = Second(failing)
    outer_layer = First(inner_layer)
    flat = _chain.compile_chain(
        _chain.plan_flat_chain(
            [(outer_layer, inner_layer, True), (inner_layer, failing, True)],
            outer_layer,
        )
    )
    request = HttpRequest()
    request.method = "GET"
    response = await flat(request)
    assert isinstance(response, HttpResponse)
    assert response.status_code == 500
    assert events == [
        "first request",
        "second request",
        "first response 500",
    ]


def test_sync_layers_are_not_flattened() -> None:
    from tests.core.handlers.chain_middleware import First

    def view(request: Any) -> Any:
        return HttpResponse("ok")

    layer = First(view)
    assert _chain.plan_flat_chain([(layer, view, False)], layer) is None
