"""RequestSite: a Site-like object built from the request's host."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from manouche.http import HttpRequest

__all__ = ["RequestSite"]


class RequestSite:
    """Stand in for a Site when the sites framework is not installed.

    ``domain`` and ``name`` are both the request's host; it is never stored.
    """

    def __init__(self, request: HttpRequest) -> None:
        self.domain = self.name = request.get_host()

    def __str__(self) -> str:
        return self.domain

    def save(self, force_insert: bool = False, force_update: bool = False) -> None:
        """Refuse: a RequestSite has no row to save."""
        raise NotImplementedError("RequestSite cannot be saved.")

    def delete(self, *args: Any, **kwargs: Any) -> None:
        """Refuse: a RequestSite has no row to delete."""
        raise NotImplementedError("RequestSite cannot be deleted.")
