"""The middleware chain, view calling and response checks of BaseHandler."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

import pytest

from manouche.core.exceptions import ImproperlyConfigured
from manouche.core.handlers.asgi import ASGIHandler
from manouche.core.handlers.base import BaseHandler
from manouche.test.utils import override_settings
from manouche.utils.asyncio import iscoroutinefunction
from tests.core.handlers import middleware
from tests.core.handlers.asgi_driver import call_asgi, make_scope
from tests.core.handlers.views import events

AppFactory = Callable[..., ASGIHandler]


async def test_sync_view_through_no_middleware(make_app: AppFactory) -> None:
    result = await call_asgi(make_app(), make_scope())
    assert result.status == 200
    assert result.body == b"Hello, world"
    assert result.headers["content-type"] == "text/html; charset=utf-8"


async def test_async_view_is_awaited_on_the_loop(make_app: AppFactory) -> None:
    result = await call_asgi(make_app(), make_scope(path="/async/"))
    assert result.body == b"Hello, async world"
    assert events == ["async view"]


async def test_middleware_runs_outside_in_then_inside_out(make_app: AppFactory) -> None:
    app = make_app("SyncOnly", "AsyncOnly", "SecondSyncOnly")
    result = await call_asgi(app, make_scope())
    assert result.status == 200
    assert events == [
        "sync-only in",
        "async-only in",
        "second-sync-only in",
        "view",
        "second-sync-only out",
        "async-only out",
        "sync-only out",
    ]


async def test_sync_only_middleware_and_sync_view_share_one_thread(
    make_app: AppFactory,
) -> None:
    app = make_app("SyncOnly", "SecondSyncOnly")
    result = await call_asgi(app, make_scope(path="/thread/"))
    view_thread = int(result.body)
    assert middleware.threads["sync-only"] == view_thread
    assert middleware.threads["second-sync-only"] == view_thread
    assert view_thread != threading.get_ident()


async def test_sync_view_reuses_worker_threads_across_requests(
    make_app: AppFactory,
) -> None:
    app = make_app()
    await call_asgi(app, make_scope(path="/thread/"))
    before = {t.ident for t in threading.enumerate()}
    idents = set()
    for _ in range(30):
        result = await call_asgi(app, make_scope(path="/thread/"))
        idents.add(int(result.body))
    after = {t.ident for t in threading.enumerate()}
    # Every request ran on a thread that already existed: no thread per request.
    assert idents <= before
    assert after - before == set()
    names = {t.name for t in threading.enumerate() if t.ident in idents}
    assert all(name.startswith("manouche-sync") for name in names)


async def test_async_only_middleware_keeps_the_chain_async(
    make_app: AppFactory,
) -> None:
    app = make_app("AsyncOnly")
    assert iscoroutinefunction(app._middleware_chain)
    await call_asgi(app, make_scope(path="/async/"))
    assert events == ["async-only in", "async view", "async-only out"]


def test_sync_chain_adapts_async_only_middleware() -> None:
    with override_settings(
        MIDDLEWARE=["tests.core.handlers.middleware.AsyncOnly"],
        ROOT_URLCONF="tests.core.handlers.urls",
    ):
        handler = BaseHandler()
        handler.load_middleware(is_async=False)
    assert handler._middleware_chain is not None
    assert not iscoroutinefunction(handler._middleware_chain)


def test_middleware_that_is_neither_sync_nor_async_capable_is_refused() -> None:
    with (
        override_settings(MIDDLEWARE=["tests.core.handlers.middleware.NeitherCapable"]),
        pytest.raises(RuntimeError) as excinfo,
    ):
        ASGIHandler()
    assert str(excinfo.value) == (
        "Middleware tests.core.handlers.middleware.NeitherCapable must have at "
        "least one of sync_capable/async_capable set to True."
    )


def test_middleware_factory_returning_none_is_improperly_configured() -> None:
    with (
        override_settings(MIDDLEWARE=["tests.core.handlers.middleware.none_factory"]),
        pytest.raises(ImproperlyConfigured) as excinfo,
    ):
        ASGIHandler()
    assert str(excinfo.value) == (
        "Middleware factory tests.core.handlers.middleware.none_factory returned None."
    )


def test_adaptations_are_logged_only_for_middleware_in_use(
    make_app: AppFactory, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG, logger="manouche.request"):
        make_app("NotUsed", "AsyncOnly", "SyncOnly", DEBUG=True)
    adapted = [r.getMessage() for r in caplog.records if "adapted" in r.getMessage()]
    # Built from the inside: SyncOnly gets a sync adapter of the async view
    # layer, AsyncOnly an async adapter of SyncOnly. NotUsed declined an
    # adapter of AsyncOnly, so nothing is said of it.
    assert adapted == [
        "Asynchronous handler adapted for middleware "
        "tests.core.handlers.middleware.SyncOnly.",
        "Synchronous handler adapted for middleware "
        "tests.core.handlers.middleware.AsyncOnly.",
    ]


async def test_middleware_not_used_is_skipped_and_logged_in_debug(
    make_app: AppFactory, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG, logger="manouche.request"):
        app = make_app("NotUsed", "NotUsedSilently", "SyncOnly", DEBUG=True)
    messages = [r.getMessage() for r in caplog.records]
    assert (
        "MiddlewareNotUsed('tests.core.handlers.middleware.NotUsed'): not today"
        in messages
    )
    assert "MiddlewareNotUsed: 'tests.core.handlers.middleware.NotUsedSilently'" in (
        messages
    )
    result = await call_asgi(app, make_scope())
    assert result.status == 200
    assert events == ["sync-only in", "view", "sync-only out"]


async def test_process_view_can_short_circuit_the_view(make_app: AppFactory) -> None:
    app = make_app("RecordView", "ShortCircuitView")
    result = await call_asgi(app, make_scope())
    assert result.body == b"short-circuited"
    assert events == ["record process_view hello", "process_view hello"]


async def test_process_exception_turns_a_view_error_into_a_response(
    make_app: AppFactory,
) -> None:
    app = make_app("HandleException", "IgnoreException")
    result = await call_asgi(app, make_scope(path="/error/"))
    assert result.status == 503
    assert result.body == b"handled: Something broke <b>here</b>"
    # Exception middleware runs inside-out: the inner one first.
    assert events == ["ignore exception", "process_exception ValueError"]


async def test_process_exception_handles_async_view_errors(
    make_app: AppFactory,
) -> None:
    result = await call_asgi(
        make_app("HandleException"), make_scope(path="/async-error/")
    )
    assert result.status == 503
    assert result.body == b"handled: async breakage"


async def test_template_response_is_processed_then_rendered(
    make_app: AppFactory,
) -> None:
    result = await call_asgi(make_app("ChangeTemplate"), make_scope(path="/template/"))
    assert result.body == b"RENDERED LATE"
    assert events == ["process_template_response", "render"]


async def test_process_template_response_returning_none_is_an_error(
    make_app: AppFactory, caplog: pytest.LogCaptureFixture
) -> None:
    app = make_app("TemplateReturnsNone")
    with caplog.at_level(logging.ERROR, logger="manouche.request"):
        result = await call_asgi(app, make_scope(path="/template/"))
    assert result.status == 500
    record = caplog.records[-1]
    assert record.exc_info is not None
    assert str(record.exc_info[1]) == (
        "TemplateReturnsNone.process_template_response didn't return an "
        "HttpResponse object. It returned None instead."
    )


async def test_render_failure_goes_to_exception_middleware(
    make_app: AppFactory,
) -> None:
    result = await call_asgi(
        make_app("HandleException"), make_scope(path="/failing-render/")
    )
    assert result.status == 503
    assert result.body == b"handled: render failed"


@pytest.mark.parametrize(
    ("path", "message"),
    [
        (
            "/none/",
            "The view tests.core.handlers.views.returns_none didn't return an "
            "HttpResponse object. It returned None instead.",
        ),
        (
            "/async-none/",
            "The view tests.core.handlers.views.async_returns_none didn't return "
            "an HttpResponse object. It returned None instead.",
        ),
        (
            "/coroutine/",
            "The view tests.core.handlers.views.returns_coroutine didn't return an "
            "HttpResponse object. It returned an unawaited coroutine instead. You "
            "may need to add an 'await' into your view.",
        ),
    ],
)
async def test_view_without_a_response_gives_500_with_a_clear_message(
    make_app: AppFactory, caplog: pytest.LogCaptureFixture, path: str, message: str
) -> None:
    with caplog.at_level(logging.ERROR, logger="manouche.request"):
        result = await call_asgi(make_app(), make_scope(path=path))
    assert result.status == 500
    assert caplog.records[-1].exc_info is not None
    assert str(caplog.records[-1].exc_info[1]) == message


async def test_middleware_may_choose_the_urlconf_per_request(
    make_app: AppFactory,
) -> None:
    result = await call_asgi(make_app("UseCustomUrlconf"), make_scope())
    assert result.body == b"from the custom urlconf"
    # The next request without that middleware uses ROOT_URLCONF again.
    result = await call_asgi(make_app(), make_scope())
    assert result.body == b"Hello, world"


async def test_exception_in_middleware_becomes_a_500(
    make_app: AppFactory, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="manouche.request"):
        result = await call_asgi(make_app("RaiseInMiddleware"), make_scope())
    assert result.status == 500
    assert b"middleware blew up" not in result.body
    assert caplog.records[-1].getMessage() == "Internal Server Error: /"


def test_sync_get_response_runs_the_whole_chain() -> None:
    from manouche.http import HttpRequest

    with override_settings(
        MIDDLEWARE=[
            "tests.core.handlers.middleware.SyncOnly",
            "tests.core.handlers.middleware.AsyncOnly",
        ]
    ):
        handler = BaseHandler()
        handler.load_middleware()
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = "/"
    response = handler.get_response(request)
    assert response.content == b"Hello, world"
    assert events == [
        "sync-only in",
        "async-only in",
        "view",
        "async-only out",
        "sync-only out",
    ]


def test_adapt_method_mode_leaves_matching_callables_alone() -> None:
    handler = BaseHandler()

    def sync_method() -> None:
        return None

    async def async_method() -> None:
        return None

    assert handler.adapt_method_mode(False, sync_method) is sync_method
    assert handler.adapt_method_mode(True, async_method) is async_method
    assert iscoroutinefunction(handler.adapt_method_mode(True, sync_method))
    assert not iscoroutinefunction(handler.adapt_method_mode(False, async_method))
