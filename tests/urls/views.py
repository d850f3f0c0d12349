"""Stand-in views for the URL tests: they are resolved and reversed, never run."""

from __future__ import annotations

from typing import Any


def empty_view(request: Any, *args: Any, **kwargs: Any) -> None:
    """Accept anything."""


def other_view(request: Any, *args: Any, **kwargs: Any) -> None:
    """A second view, to tell matches apart."""


class ViewClass:
    """A callable instance used as a view."""

    def __call__(self, request: Any, *args: Any, **kwargs: Any) -> None:
        """Accept anything."""


view_instance = ViewClass()


def bad_request(request: Any, exception: Any) -> None:
    """A custom 400 handler."""


def server_error(request: Any) -> None:
    """A custom 500 handler."""
