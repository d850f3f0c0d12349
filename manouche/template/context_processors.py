"""Built-in context processors: each takes the request and returns a dict."""

from __future__ import annotations

import itertools
from importlib import import_module
from typing import Any

from manouche.utils.functional import SimpleLazyObject, lazy

__all__ = [
    "csrf",
    "debug",
    "get_csrf_token",
    "i18n",
    "media",
    "request",
    "static",
    "tz",
]


def get_csrf_token(request: Any) -> str | None:
    """Return the request's CSRF token, or None without the CSRF middleware.

    The middleware module is imported by name so that the template layer works
    (and type-checks) whether or not the CSRF layer is installed.
    """
    try:
        module = import_module("manouche.middleware.csrf")
    except ImportError:
        return None
    token = module.get_token(request)
    return None if token is None else str(token)


def csrf(request: Any) -> dict[str, Any]:
    """Provide ``csrf_token`` lazily (NOTPROVIDED without the CSRF layer)."""

    def _get_val() -> str:
        token = get_csrf_token(request)
        return "NOTPROVIDED" if token is None else token

    return {"csrf_token": SimpleLazyObject(_get_val)}


def debug(request: Any) -> dict[str, Any]:
    """``debug`` and ``sql_queries`` for requests from INTERNAL_IPS when DEBUG."""
    from manouche.conf import settings

    context_extras: dict[str, Any] = {}
    if settings.DEBUG and request.META.get("REMOTE_ADDR") in settings.INTERNAL_IPS:
        context_extras["debug"] = True

        def queries() -> list[Any]:
            try:
                from manouche.db import connections
            except ImportError:
                return []
            return list(
                itertools.chain.from_iterable(
                    getattr(connections[x], "queries", []) for x in connections
                )
            )

        context_extras["sql_queries"] = lazy(queries, list)()
    return context_extras


def i18n(request: Any) -> dict[str, Any]:
    """LANGUAGES, LANGUAGE_CODE and LANGUAGE_BIDI."""
    from manouche.conf import settings
    from manouche.utils import translation

    return {
        "LANGUAGES": settings.LANGUAGES,
        "LANGUAGE_CODE": translation.get_language(),
        "LANGUAGE_BIDI": translation.get_language_bidi(),
    }


def tz(request: Any) -> dict[str, Any]:
    """TIME_ZONE: the current time zone's name."""
    from manouche.utils import timezone

    return {"TIME_ZONE": timezone.get_current_timezone_name()}


def static(request: Any) -> dict[str, Any]:
    """STATIC_URL."""
    from manouche.conf import settings

    return {"STATIC_URL": settings.STATIC_URL}


def media(request: Any) -> dict[str, Any]:
    """MEDIA_URL."""
    from manouche.conf import settings

    return {"MEDIA_URL": settings.MEDIA_URL}


def request(request: Any) -> dict[str, Any]:
    """The request itself."""
    return {"request": request}
