"""URL patterns serving files in development, as ``django.conf.urls.static``."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from manouche.conf import settings
from manouche.core.exceptions import ImproperlyConfigured
from manouche.urls import URLPattern, re_path
from manouche.views.static import serve

__all__ = ["static"]


def static(
    prefix: str, view: Callable[..., Any] = serve, **kwargs: Any
) -> list[URLPattern]:
    """Return a pattern serving ``view`` under ``prefix`` while ``DEBUG`` is on.

    Nothing is served when ``DEBUG`` is off or when ``prefix`` names another
    host (``http://cdn.example.org/``, ``//cdn/``): that is someone else's job.
    ``kwargs`` reach the view, e.g. ``document_root=settings.MEDIA_ROOT``.
    """
    if not prefix:
        raise ImproperlyConfigured("Empty static prefix not permitted")
    if not settings.DEBUG or urlsplit(prefix).netloc:
        return []
    pattern = re_path(
        r"^{}(?P<path>.*)$".format(re.escape(prefix.lstrip("/"))), view, kwargs=kwargs
    )
    return [pattern]
