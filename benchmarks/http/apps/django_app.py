"""Django 5.2 with the same middleware and views as ``manouche_app``.

Exposes ``app`` (ASGI handler, for uvicorn) and ``application`` (WSGI handler,
for gunicorn). This module is also the URLconf.
"""

from __future__ import annotations

from typing import Any

import django
from django.conf import settings

__all__ = ["app", "application"]

settings.configure(
    SECRET_KEY="bench" * 10,
    DEBUG=False,
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[
        "django.middleware.security.SecurityMiddleware",
        "django.middleware.common.CommonMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
    ],
)
django.setup()

from django.core.handlers.asgi import ASGIHandler  # noqa: E402
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.urls import path  # noqa: E402


def sync_hello(request: Any) -> HttpResponse:
    """Answer from a plain function view."""
    return HttpResponse(b"Hello, world!", content_type="text/plain")


async def async_hello(request: Any) -> HttpResponse:
    """Answer from a coroutine view."""
    return HttpResponse(b"Hello, world!", content_type="text/plain")


urlpatterns = [path("", sync_hello), path("async", async_hello)]

app = ASGIHandler()
application = WSGIHandler()
