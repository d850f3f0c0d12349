"""Decorators setting or waiving X-Frame-Options for one view."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from manouche.utils.asyncio import iscoroutinefunction

__all__ = ["xframe_options_deny", "xframe_options_exempt", "xframe_options_sameorigin"]

_View = TypeVar("_View", bound="Callable[..., Any]")


def _set_header_decorator(value: str) -> Callable[[_View], _View]:
    def decorator(view_func: _View) -> _View:
        if iscoroutinefunction(view_func):

            async def _view_wrapper(*args: Any, **kwargs: Any) -> Any:
                response = await view_func(*args, **kwargs)
                if response.get("X-Frame-Options") is None:
                    response["X-Frame-Options"] = value
                return response

        else:

            def _view_wrapper(*args: Any, **kwargs: Any) -> Any:  # type: ignore[misc]
                response = view_func(*args, **kwargs)
                if response.get("X-Frame-Options") is None:
                    response["X-Frame-Options"] = value
                return response

        return cast("_View", wraps(view_func)(_view_wrapper))

    return decorator


def xframe_options_deny(view_func: _View) -> _View:
    """Set X-Frame-Options: DENY unless the response already sets it."""
    return _set_header_decorator("DENY")(view_func)


def xframe_options_sameorigin(view_func: _View) -> _View:
    """Set X-Frame-Options: SAMEORIGIN unless the response already sets it."""
    return _set_header_decorator("SAMEORIGIN")(view_func)


def xframe_options_exempt(view_func: _View) -> _View:
    """Tell XFrameOptionsMiddleware not to add the header to this view."""
    if iscoroutinefunction(view_func):

        async def _view_wrapper(*args: Any, **kwargs: Any) -> Any:
            response = await view_func(*args, **kwargs)
            response.xframe_options_exempt = True
            return response

    else:

        def _view_wrapper(*args: Any, **kwargs: Any) -> Any:  # type: ignore[misc]
            response = view_func(*args, **kwargs)
            response.xframe_options_exempt = True
            return response

    return cast("_View", wraps(view_func)(_view_wrapper))
