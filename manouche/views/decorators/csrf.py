"""Decorators tuning CSRF protection per view.

Only ``csrf_exempt`` lives here for now: it just marks the view, so it needs
nothing from the CSRF middleware. ``csrf_protect``, ``requires_csrf_token``
and ``ensure_csrf_cookie`` arrive with ``manouche.middleware.csrf``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from manouche.utils.asyncio import iscoroutinefunction

__all__ = ["csrf_exempt"]

_View = TypeVar("_View", bound="Callable[..., Any]")


def csrf_exempt(view_func: _View) -> _View:
    """Mark a view so the CSRF middleware lets every request through to it."""
    if iscoroutinefunction(view_func):

        async def _view_wrapper(*args: Any, **kwargs: Any) -> Any:
            return await view_func(*args, **kwargs)

    else:

        def _view_wrapper(*args: Any, **kwargs: Any) -> Any:  # type: ignore[misc]
            return view_func(*args, **kwargs)

    _view_wrapper.csrf_exempt = True  # type: ignore[attr-defined]
    return cast("_View", wraps(view_func)(_view_wrapper))
