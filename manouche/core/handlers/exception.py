"""Turn exceptions raised by views and middleware into responses.

Every layer of the middleware chain is wrapped by ``convert_exception_to_response``
so that an exception never escapes to the server: it becomes a 4xx or 5xx
response, logged once. This module decides status codes and bodies; it does
no I/O of its own beyond logging and the ``got_request_exception`` signal.
"""

from __future__ import annotations

import inspect
import logging
import sys
from collections.abc import Awaitable, Callable
from functools import wraps
from types import TracebackType
from typing import Any

from manouche.conf import settings
from manouche.core import signals
from manouche.core.exceptions import (
    BadRequest,
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from manouche.utils.asyncio import async_to_sync, iscoroutinefunction, run_sync
from manouche.utils.log import log_response

__all__ = [
    "convert_exception_to_response",
    "get_exception_response",
    "handle_uncaught_exception",
    "plain_error_response",
    "response_for_exception",
]

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]

#: Short reasons sent for the limits a client can hit; never anything it sent.
PLAIN_REASONS = {
    400: "Bad Request",
    405: "Method Not Allowed",
    413: "Request body too large",
    414: "Request line too long",
    431: "Request header fields too large",
}


def plain_error_response(status: int, reason: str | None = None) -> Any:
    """Build a short ``text/plain`` response for a refused request."""
    from manouche.http import HttpResponse

    text = reason or PLAIN_REASONS.get(status, "Bad Request")
    return HttpResponse(
        f"{status} {text}\n", status=status, content_type="text/plain; charset=utf-8"
    )


def convert_exception_to_response(get_response: Any) -> Any:
    """Wrap ``get_response`` so that any exception becomes a response.

    The wrapper keeps the sync or async nature of ``get_response``.
    """
    if iscoroutinefunction(get_response):

        @wraps(get_response)
        async def async_inner(request: Any) -> Any:
            try:
                return await get_response(request)
            except Exception as exc:
                return await run_sync(_response_for_raised, request, exc)

        # Lets a flattened middleware chain do this conversion itself.
        async_inner._manouche_converts = get_response  # type: ignore[attr-defined]
        return async_inner

    @wraps(get_response)
    def inner(request: Any) -> Any:
        try:
            return get_response(request)
        except Exception as exc:
            return response_for_exception(request, exc)

    return inner


def _response_for_raised(request: Any, exc: Exception) -> Any:
    """Answer ``exc`` with ``sys.exc_info()`` set again in this worker thread.

    got_request_exception receivers (the test client) read sys.exc_info().
    """
    if sys.exception() is exc:  # run_sync carried it over already
        return response_for_exception(request, exc)
    traceback = exc.__traceback__
    try:
        raise exc
    except Exception:
        exc.__traceback__ = traceback  # no frame of ours in front of the view's
        return response_for_exception(request, exc)


def _current_resolver() -> Any:
    from manouche.urls import get_resolver, get_urlconf

    return get_resolver(get_urlconf())


def _technical_500(request: Any, status_code: int = 500) -> Any:
    from manouche.views import debug

    exc_type, exc_value, tb = sys.exc_info()
    return debug.technical_500_response(
        request, exc_type, exc_value, tb, status_code=status_code
    )


def _suspicious_response(request: Any, exc: SuspiciousOperation) -> Any:
    if isinstance(exc, RequestDataTooBig | TooManyFieldsSent | TooManyFilesSent):
        # POST could not be parsed: let later access to it stay empty, not retry.
        mark = getattr(request, "_mark_post_parse_error", None)
        if mark is not None:
            mark()
    security_logger = logging.getLogger(f"manouche.security.{type(exc).__name__}")
    status = getattr(exc, "status_code", None)
    security_logger.error(
        "%s",
        str(exc).encode("unicode_escape").decode("ascii"),
        exc_info=exc,
        extra={"status_code": status or 400, "request": request},
    )
    if isinstance(status, int):
        return plain_error_response(status)
    if settings.DEBUG:
        return _technical_500(request, status_code=400)
    return get_exception_response(request, _current_resolver(), 400, exc)


def response_for_exception(request: Any, exc: Exception) -> Any:
    """Return the response for ``exc`` raised while handling ``request``."""
    from manouche.http import Http404
    from manouche.http.multipartparser import MultiPartParserError

    path = getattr(request, "path", "")
    response: Any
    if isinstance(exc, Http404):
        if settings.DEBUG:
            from manouche.views import debug

            response = debug.technical_404_response(request, exc)
        else:
            response = get_exception_response(request, _current_resolver(), 404, exc)
        # Not logged here: the handler logs the final response, which a
        # middleware may have turned into a redirect (LocaleMiddleware does).
    elif isinstance(exc, PermissionDenied):
        response = get_exception_response(request, _current_resolver(), 403, exc)
        log_response(
            "Forbidden (Permission denied): %s",
            path,
            response=response,
            request=request,
            exception=exc,
        )
    elif isinstance(exc, MultiPartParserError):
        response = get_exception_response(request, _current_resolver(), 400, exc)
        log_response(
            "Bad request (Unable to parse request body): %s",
            path,
            response=response,
            request=request,
            exception=exc,
        )
    elif isinstance(exc, BadRequest):
        if settings.DEBUG:
            response = _technical_500(request, status_code=400)
        else:
            response = get_exception_response(request, _current_resolver(), 400, exc)
        # As Django: the exception's own message says what was malformed.
        log_response(
            "%s: %s", str(exc), path, response=response, request=request, exception=exc
        )
    elif isinstance(exc, SuspiciousOperation):
        response = _suspicious_response(request, exc)
        # The security logger said it all: the 4xx is not logged again.
        response._has_been_logged = True
    else:
        signals.got_request_exception.send(sender=None, request=request)
        response = handle_uncaught_exception(
            request, _current_resolver(), _exc_info(exc)
        )
        log_response(
            "%s: %s",
            response.reason_phrase,
            path,
            response=response,
            request=request,
            exception=exc,
        )
    # A TemplateResponse from an error handler must be rendered before it leaves.
    if not getattr(response, "is_rendered", True) and callable(
        getattr(response, "render", None)
    ):
        response = response.render()
    return response


def _exc_info(exc: BaseException) -> ExcInfo:
    return (type(exc), exc, exc.__traceback__)


def _call_handler(callback: Callable[..., Any], request: Any, **kwargs: Any) -> Any:
    result = callback(request, **kwargs)
    if inspect.isawaitable(result):
        awaitable: Awaitable[Any] = result

        async def wait() -> Any:
            return await awaitable

        result = async_to_sync(wait)()
    return result


def get_exception_response(
    request: Any, resolver: Any, status_code: int, exception: Exception
) -> Any:
    """Call the URLconf's handler for ``status_code``; a failing handler gives 500."""
    try:
        callback = resolver.resolve_error_handler(status_code)
        return _call_handler(callback, request, exception=exception)
    except Exception as exc:
        signals.got_request_exception.send(sender=None, request=request)
        return handle_uncaught_exception(request, resolver, _exc_info(exc))


def handle_uncaught_exception(request: Any, resolver: Any, exc_info: ExcInfo) -> Any:
    """Build the 500 response: the debug page when DEBUG, else ``handler500``."""
    if settings.DEBUG_PROPAGATE_EXCEPTIONS:
        raise exc_info[1]
    if settings.DEBUG:
        from manouche.views import debug

        return debug.technical_500_response(request, *exc_info)
    callback = resolver.resolve_error_handler(500)
    return _call_handler(callback, request)
