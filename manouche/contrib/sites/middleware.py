"""CurrentSiteMiddleware: set ``request.site`` for every request."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from manouche.contrib.sites.shortcuts import aget_current_site, get_current_site
from manouche.utils.deprecation import MiddlewareMixin

if TYPE_CHECKING:
    from manouche.http import HttpRequest

__all__ = ["CurrentSiteMiddleware"]


class CurrentSiteMiddleware(MiddlewareMixin):
    """Attach the current site (``get_current_site()``) as ``request.site``.

    In an async chain the lookup is awaited (no thread hop), and a cached
    site costs no query either way.
    """

    def process_request(self, request: HttpRequest) -> None:
        """Set ``request.site``."""
        request.site = get_current_site(request)  # type: ignore[attr-defined]

    async def __acall__(self, request: HttpRequest) -> Any:
        """Set ``request.site`` with the async lookup, then continue the chain."""
        request.site = await aget_current_site(request)  # type: ignore[attr-defined]
        return await self.get_response(request)
