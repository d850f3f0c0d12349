"""Middleware used by the handler tests; each records what it did in ``events``."""

from __future__ import annotations

import threading
from typing import Any

from manouche.core.exceptions import MiddlewareNotUsed
from manouche.http import HttpResponse, HttpResponseRedirect
from manouche.utils.asyncio import markcoroutinefunction
from tests.core.handlers.views import events

#: Thread idents seen by sync middleware, to compare with the view's thread.
threads: dict[str, int] = {}


class SyncOnly:
    sync_capable = True
    async_capable = False

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        threads["sync-only"] = threading.get_ident()
        events.append("sync-only in")
        response = self.get_response(request)
        events.append("sync-only out")
        return response


class SecondSyncOnly(SyncOnly):
    def __call__(self, request: Any) -> Any:
        threads["second-sync-only"] = threading.get_ident()
        events.append("second-sync-only in")
        response = self.get_response(request)
        events.append("second-sync-only out")
        return response


class AsyncOnly:
    sync_capable = False
    async_capable = True

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response
        markcoroutinefunction(self)

    async def __call__(self, request: Any) -> Any:
        events.append("async-only in")
        response = await self.get_response(request)
        events.append("async-only out")
        return response


class NeitherCapable:
    sync_capable = False
    async_capable = False

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response


class NotUsed:
    def __init__(self, get_response: Any) -> None:
        raise MiddlewareNotUsed("not today")


class NotUsedSilently:
    def __init__(self, get_response: Any) -> None:
        raise MiddlewareNotUsed


def none_factory(get_response: Any) -> None:
    return None


class ShortCircuitView(SyncOnly):
    def __call__(self, request: Any) -> Any:
        return self.get_response(request)

    def process_view(self, request: Any, view: Any, args: Any, kwargs: Any) -> Any:
        events.append(f"process_view {view.__name__}")
        return HttpResponse("short-circuited")


class RecordView(SyncOnly):
    def __call__(self, request: Any) -> Any:
        return self.get_response(request)

    def process_view(self, request: Any, view: Any, args: Any, kwargs: Any) -> Any:
        events.append(f"record process_view {view.__name__}")
        return None


class HandleException(SyncOnly):
    def __call__(self, request: Any) -> Any:
        return self.get_response(request)

    def process_exception(self, request: Any, exception: Exception) -> Any:
        events.append(f"process_exception {type(exception).__name__}")
        return HttpResponse(f"handled: {exception}", status=503)


class IgnoreException(SyncOnly):
    def __call__(self, request: Any) -> Any:
        return self.get_response(request)

    def process_exception(self, request: Any, exception: Exception) -> Any:
        events.append("ignore exception")
        return None


class ChangeTemplate(SyncOnly):
    def __call__(self, request: Any) -> Any:
        return self.get_response(request)

    def process_template_response(self, request: Any, response: Any) -> Any:
        events.append("process_template_response")
        response.text = response.text.upper()
        return response


class TemplateReturnsNone(SyncOnly):
    def __call__(self, request: Any) -> Any:
        return self.get_response(request)

    def process_template_response(self, request: Any, response: Any) -> Any:
        return None


class UseCustomUrlconf(SyncOnly):
    def __call__(self, request: Any) -> Any:
        request.urlconf = "tests.core.handlers.urls_custom"
        return self.get_response(request)


class RaiseInMiddleware(SyncOnly):
    def __call__(self, request: Any) -> Any:
        raise RuntimeError("middleware blew up")


class RedirectNotFound(SyncOnly):
    """Answer a 404 from below with a redirect, as LocaleMiddleware may."""

    def __call__(self, request: Any) -> Any:
        response = self.get_response(request)
        if response.status_code == 404:
            return HttpResponseRedirect("/elsewhere/")
        return response
