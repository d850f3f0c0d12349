"""``get_current_site()``: the current Site, or a RequestSite without the app."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from manouche.apps import apps
from manouche.contrib.sites.requests import RequestSite

if TYPE_CHECKING:
    from manouche.http import HttpRequest

__all__ = ["aget_current_site", "get_current_site"]

_APP = "manouche.contrib.sites"


def get_current_site(request: HttpRequest) -> Any:
    """Return the current Site, or a RequestSite if the sites app is not installed.

    Code that works with or without the framework calls this rather than
    ``Site.objects.get_current()``.
    """
    if apps.is_installed(_APP):
        from manouche.contrib.sites.models import Site

        return Site.objects.get_current(request)
    return RequestSite(request)


async def aget_current_site(request: HttpRequest) -> Any:
    """Return the current Site or a RequestSite (async ``get_current_site()``)."""
    if apps.is_installed(_APP):
        from manouche.contrib.sites.models import Site

        return await Site.objects.aget_current(request)
    return RequestSite(request)
