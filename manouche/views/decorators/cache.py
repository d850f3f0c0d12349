"""Decorators setting Cache-Control on a view's responses."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from manouche.utils.asyncio import iscoroutinefunction
from manouche.utils.cache import add_never_cache_headers, patch_cache_control

__all__ = ["cache_control", "never_cache"]

_View = TypeVar("_View", bound="Callable[..., Any]")


def _check_request(request: Any, decorator_name: str) -> None:
    # A method decorated without method_decorator gets ``self`` here.
    if not hasattr(request, "META"):
        raise TypeError(
            f"{decorator_name} didn't receive an HttpRequest. If you are "
            "decorating a classmethod, be sure to use @method_decorator."
        )


def cache_control(**kwargs: Any) -> Callable[[_View], _View]:
    """Patch the response's Cache-Control with ``kwargs`` (see patch_cache_control)."""

    def _cache_controller(viewfunc: _View) -> _View:
        if iscoroutinefunction(viewfunc):

            async def _view_wrapper(request: Any, *args: Any, **kw: Any) -> Any:
                _check_request(request, "cache_control")
                response = await viewfunc(request, *args, **kw)
                patch_cache_control(response, **kwargs)
                return response

        else:

            def _view_wrapper(request: Any, *args: Any, **kw: Any) -> Any:  # type: ignore[misc]
                _check_request(request, "cache_control")
                response = viewfunc(request, *args, **kw)
                patch_cache_control(response, **kwargs)
                return response

        return cast("_View", wraps(viewfunc)(_view_wrapper))

    return _cache_controller


def never_cache(view_func: _View) -> _View:
    """Add headers so the view's responses are never cached."""
    if iscoroutinefunction(view_func):

        async def _view_wrapper(request: Any, *args: Any, **kwargs: Any) -> Any:
            _check_request(request, "never_cache")
            response = await view_func(request, *args, **kwargs)
            add_never_cache_headers(response)
            return response

    else:

        def _view_wrapper(request: Any, *args: Any, **kwargs: Any) -> Any:  # type: ignore[misc]
            _check_request(request, "never_cache")
            response = view_func(request, *args, **kwargs)
            add_never_cache_headers(response)
            return response

    return cast("_View", wraps(view_func)(_view_wrapper))
