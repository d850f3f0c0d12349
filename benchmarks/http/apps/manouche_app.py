"""manouche's ASGI handler with the middleware ``startproject`` generates.

Same settings as ``benchmarks/micro/hello_world.py``: Security, Common and
XFrameOptions middleware, ``/`` served by a sync view and ``/async`` by an
async view. This module is also the URLconf.
"""

from __future__ import annotations

from typing import Any

import manouche
from manouche.conf import settings

__all__ = ["app"]

settings.configure(
    SECRET_KEY="bench" * 10,
    DEBUG=False,
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[
        "manouche.middleware.security.SecurityMiddleware",
        "manouche.middleware.common.CommonMiddleware",
        "manouche.middleware.clickjacking.XFrameOptionsMiddleware",
    ],
)
manouche.setup()

from manouche.core.handlers.asgi import ASGIHandler  # noqa: E402
from manouche.http import HttpResponse  # noqa: E402
from manouche.urls import path  # noqa: E402


def sync_hello(request: Any) -> HttpResponse:
    """Answer from a plain function view (runs on the handler's thread)."""
    return HttpResponse(b"Hello, world!", content_type="text/plain")


async def async_hello(request: Any) -> HttpResponse:
    """Answer from a coroutine view (stays on the event loop)."""
    return HttpResponse(b"Hello, world!", content_type="text/plain")


urlpatterns = [path("", sync_hello), path("async", async_hello)]

app = ASGIHandler()
