"""Decorators restricting HTTP methods and answering conditional requests."""

from __future__ import annotations

import datetime
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar, cast

from manouche.http import HttpResponseNotAllowed
from manouche.utils.asyncio import iscoroutinefunction
from manouche.utils.cache import get_conditional_response
from manouche.utils.http import http_date, quote_etag
from manouche.utils.log import log_response

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from manouche.http import HttpRequest, HttpResponseBase

__all__ = [
    "condition",
    "etag",
    "last_modified",
    "require_GET",
    "require_POST",
    "require_http_methods",
    "require_safe",
]

_View = TypeVar("_View", bound="Callable[..., Any]")


def _not_allowed(request: HttpRequest, allowed: Sequence[str]) -> HttpResponseBase:
    response = HttpResponseNotAllowed(allowed)
    log_response(
        "Method Not Allowed (%s): %s",
        request.method,
        request.path,
        response=response,
        request=request,
    )
    return response


def require_http_methods(
    request_method_list: Sequence[str],
) -> Callable[[_View], _View]:
    """Restrict a view to the listed methods, answering 405 otherwise.

    Usage::

        @require_http_methods(["GET", "POST"])
        def my_view(request): ...

    Method names must be upper case.
    """

    def decorator(func: _View) -> _View:
        if iscoroutinefunction(func):

            async def inner(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
                if request.method not in request_method_list:
                    return _not_allowed(request, request_method_list)
                return await func(request, *args, **kwargs)

        else:

            def inner(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:  # type: ignore[misc]
                if request.method not in request_method_list:
                    return _not_allowed(request, request_method_list)
                return func(request, *args, **kwargs)

        return cast("_View", wraps(func)(inner))

    return decorator


require_GET = require_http_methods(["GET"])
require_GET.__doc__ = "Decorator to require that a view only accepts the GET method."

require_POST = require_http_methods(["POST"])
require_POST.__doc__ = "Decorator to require that a view only accepts the POST method."

require_safe = require_http_methods(["GET", "HEAD"])
require_safe.__doc__ = (
    "Decorator to require that a view only accepts safe methods: GET and HEAD."
)


def _timestamp(value: datetime.datetime) -> int:
    # A naive datetime from last_modified_func is taken as UTC.
    if value.tzinfo is None or value.utcoffset() is None:
        value = value.replace(tzinfo=datetime.UTC)
    return int(value.timestamp())


def condition(
    etag_func: Callable[..., str | None] | None = None,
    last_modified_func: Callable[..., datetime.datetime | None] | None = None,
) -> Callable[[_View], _View]:
    """Answer conditional requests from the resource's ETag and modification time.

    ``etag_func`` and ``last_modified_func`` take the view's arguments and
    return the ETag (quoted or not) and a datetime, or None. When the request's
    preconditions decide, the view is not called: a 304 or 412 is returned.
    Otherwise the view runs and, for GET/HEAD, ETag and Last-Modified are set.
    """

    def decorator(func: _View) -> _View:
        def pre_process(
            request: HttpRequest, args: Any, kwargs: Any
        ) -> tuple[HttpResponseBase | None, str | None, int | None]:
            res_last_modified = None
            if last_modified_func:
                dt = last_modified_func(request, *args, **kwargs)
                if dt:
                    res_last_modified = _timestamp(dt)
            res_etag = etag_func(request, *args, **kwargs) if etag_func else None
            res_etag = quote_etag(res_etag) if res_etag is not None else None
            response = get_conditional_response(
                request, etag=res_etag, last_modified=res_last_modified
            )
            return response, res_etag, res_last_modified

        def post_process(
            request: HttpRequest,
            response: HttpResponseBase,
            res_etag: str | None,
            res_last_modified: int | None,
        ) -> None:
            # Only safe methods describe the resource in their response headers.
            if request.method in ("GET", "HEAD"):
                if res_last_modified and not response.has_header("Last-Modified"):
                    response.headers["Last-Modified"] = http_date(res_last_modified)
                if res_etag:
                    response.headers.setdefault("ETag", res_etag)

        if iscoroutinefunction(func):

            async def inner(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
                response, res_etag, res_last_modified = pre_process(
                    request, args, kwargs
                )
                if response is None:
                    response = await func(request, *args, **kwargs)
                post_process(request, response, res_etag, res_last_modified)
                return response

        else:

            def inner(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:  # type: ignore[misc]
                response, res_etag, res_last_modified = pre_process(
                    request, args, kwargs
                )
                if response is None:
                    response = func(request, *args, **kwargs)
                post_process(request, response, res_etag, res_last_modified)
                return response

        return cast("_View", wraps(func)(inner))

    return decorator


def etag(etag_func: Callable[..., str | None]) -> Callable[[_View], _View]:
    """Shortcut for ``condition(etag_func=etag_func)``."""
    return condition(etag_func=etag_func)


def last_modified(
    last_modified_func: Callable[..., datetime.datetime | None],
) -> Callable[[_View], _View]:
    """Shortcut for ``condition(last_modified_func=last_modified_func)``."""
    return condition(last_modified_func=last_modified_func)
