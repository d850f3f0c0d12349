"""Decorators adding headers to a view's Vary header."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from manouche.utils.asyncio import iscoroutinefunction
from manouche.utils.cache import patch_vary_headers

__all__ = ["vary_on_cookie", "vary_on_headers"]

_View = TypeVar("_View", bound="Callable[..., Any]")


def vary_on_headers(*headers: str) -> Callable[[_View], _View]:
    """Add ``headers`` to the Vary header of the view's responses.

    Usage: ``@vary_on_headers("Cookie", "Accept-language")``; names are
    case-insensitive.
    """

    def decorator(func: _View) -> _View:
        if iscoroutinefunction(func):

            async def _view_wrapper(request: Any, *args: Any, **kwargs: Any) -> Any:
                response = await func(request, *args, **kwargs)
                patch_vary_headers(response, headers)
                return response

        else:

            def _view_wrapper(request: Any, *args: Any, **kwargs: Any) -> Any:  # type: ignore[misc]
                response = func(request, *args, **kwargs)
                patch_vary_headers(response, headers)
                return response

        return cast("_View", wraps(func)(_view_wrapper))

    return decorator


def vary_on_cookie(func: _View) -> _View:
    """Add Cookie to the Vary header of the view's responses."""
    return vary_on_headers("Cookie")(func)
