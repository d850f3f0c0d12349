"""Strings marked safe for HTML output, so autoescaping leaves them alone."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

__all__ = ["SafeData", "SafeString", "SafeText", "mark_safe"]


class SafeData:
    """Mixin for data that needs no further HTML escaping."""

    __slots__ = ()

    def __html__(self) -> Any:
        """Return the value itself: it is already safe."""
        return self


class SafeString(str, SafeData):
    """A str subclass whose content is safe to output as HTML."""

    __slots__ = ()

    def __add__(self, rhs: str) -> str:
        """Stay safe when adding safe text, become a plain str otherwise."""
        concatenated = super().__add__(rhs)
        if isinstance(rhs, SafeData):
            return SafeString(concatenated)
        return concatenated

    def __str__(self) -> str:
        return self


SafeText = SafeString


def _safety_decorator(
    safety_marker: Callable[[Any], Any], func: Callable[..., Any]
) -> Callable[..., Any]:
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return safety_marker(func(*args, **kwargs))

    return wrapper


def mark_safe(s: Any) -> Any:
    """Mark ``s`` safe for HTML output; a callable is decorated instead."""
    if hasattr(s, "__html__"):
        return s
    if callable(s):
        return _safety_decorator(mark_safe, s)
    return SafeString(s)
