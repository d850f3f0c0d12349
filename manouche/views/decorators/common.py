"""Decorator opting a view out of CommonMiddleware's APPEND_SLASH redirect."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from manouche.utils.asyncio import iscoroutinefunction

__all__ = ["no_append_slash"]

_View = TypeVar("_View", bound="Callable[..., Any]")


def no_append_slash(view_func: _View) -> _View:
    """Mark a view so CommonMiddleware never redirects to it with a slash."""
    if iscoroutinefunction(view_func):

        async def _view_wrapper(*args: Any, **kwargs: Any) -> Any:
            return await view_func(*args, **kwargs)

    else:

        def _view_wrapper(*args: Any, **kwargs: Any) -> Any:  # type: ignore[misc]
            return view_func(*args, **kwargs)

    _view_wrapper.should_append_slash = False  # type: ignore[attr-defined]
    return cast("_View", wraps(view_func)(_view_wrapper))
