"""MiddlewareMixin: the sync path, the async path and the thread policy."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from manouche.http import HttpResponse
from manouche.utils.asyncio import iscoroutinefunction
from manouche.utils.deprecation import MiddlewareMixin
from tests.middleware.helpers import make_request


class Recorder(MiddlewareMixin):
    """Record which thread each hook ran on."""

    def __init__(self, get_response: Any) -> None:
        super().__init__(get_response)
        self.threads: dict[str, threading.Thread] = {}

    def process_request(self, request: Any) -> None:
        self.threads["request"] = threading.current_thread()

    def process_response(self, request: Any, response: HttpResponse) -> HttpResponse:
        self.threads["response"] = threading.current_thread()
        response["X-Seen"] = "yes"
        return response


class InLoopRecorder(Recorder):
    process_in_loop = True


def sync_view(request: Any) -> HttpResponse:
    return HttpResponse("sync")


async def async_view(request: Any) -> HttpResponse:
    return HttpResponse("async")


def test_get_response_is_required() -> None:
    with pytest.raises(ValueError, match=r"get_response must be provided\."):
        MiddlewareMixin(None)  # type: ignore[arg-type]


def test_capabilities_are_both_sync_and_async() -> None:
    assert MiddlewareMixin.sync_capable is True
    assert MiddlewareMixin.async_capable is True


def test_repr_names_the_get_response() -> None:
    assert repr(MiddlewareMixin(sync_view)) == (
        "<MiddlewareMixin get_response=sync_view>"
    )


def test_sync_get_response_leaves_instance_sync() -> None:
    middleware = Recorder(sync_view)
    assert not iscoroutinefunction(middleware)
    response = middleware(make_request())
    assert response.content == b"sync"
    assert response["X-Seen"] == "yes"
    assert middleware.threads["request"] is threading.current_thread()


def test_async_get_response_marks_instance_as_coroutine_function() -> None:
    assert iscoroutinefunction(Recorder(async_view))


async def test_async_path_runs_sync_hooks_in_a_thread_by_default() -> None:
    middleware = Recorder(async_view)
    response = await middleware(make_request())
    assert response.content == b"async"
    assert response["X-Seen"] == "yes"
    assert middleware.threads["request"] is not threading.current_thread()
    assert middleware.threads["response"] is not threading.current_thread()


async def test_async_path_runs_hooks_on_the_loop_with_process_in_loop() -> None:
    middleware = InLoopRecorder(async_view)
    response = await middleware(make_request())
    assert response["X-Seen"] == "yes"
    assert middleware.threads["request"] is threading.current_thread()
    assert middleware.threads["response"] is threading.current_thread()


async def test_async_hooks_are_awaited_on_the_loop() -> None:
    seen: list[str] = []

    class AsyncHooks(MiddlewareMixin):
        async def process_request(self, request: Any) -> None:
            seen.append(threading.current_thread().name)

        async def process_response(
            self, request: Any, response: HttpResponse
        ) -> HttpResponse:
            seen.append(threading.current_thread().name)
            return response

    await AsyncHooks(async_view)(make_request())
    assert seen == [threading.current_thread().name] * 2


async def test_process_request_response_short_circuits_the_view() -> None:
    called: list[bool] = []

    def tracked_view(request: Any) -> HttpResponse:
        called.append(True)
        return HttpResponse()

    class Refuse(MiddlewareMixin):
        process_in_loop = True

        def process_request(self, request: Any) -> HttpResponse:
            return HttpResponse("refused", status=403)

    middleware = Refuse(tracked_view)
    assert middleware(make_request()).status_code == 403

    async def tracked_async(request: Any) -> HttpResponse:
        called.append(True)
        return HttpResponse()

    response = await Refuse(tracked_async)(make_request())
    assert response.status_code == 403
    assert called == []


async def test_middleware_without_hooks_passes_through() -> None:
    assert MiddlewareMixin(sync_view)(make_request()).content == b"sync"
    assert (await MiddlewareMixin(async_view)(make_request())).content == b"async"
