"""A URLconf with custom error handlers."""

from __future__ import annotations

from typing import Any

from manouche.http import HttpResponse
from manouche.urls import path
from tests.core.handlers import views


def custom_404(request: Any, exception: Exception) -> HttpResponse:
    return HttpResponse("custom not found", status=404)


def custom_500(request: Any) -> HttpResponse:
    return HttpResponse("custom server error", status=500)


def broken_403(request: Any, exception: Exception) -> HttpResponse:
    raise RuntimeError("the 403 handler itself broke")


handler404 = custom_404
handler500 = custom_500
handler403 = broken_403

urlpatterns = [
    path("error/", views.raises_error),
    path("not-found/", views.raises_404),
    path("forbidden/", views.raises_permission_denied),
]
