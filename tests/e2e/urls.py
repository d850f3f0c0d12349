"""URLconf of the end-to-end application."""

from __future__ import annotations

from typing import Any

from manouche.http import HttpResponse
from manouche.urls import path


def hello(request: Any) -> HttpResponse:
    return HttpResponse("Hello from manouche")


def fields(request: Any) -> HttpResponse:
    return HttpResponse(str(len(request.POST)))


def body_length(request: Any) -> HttpResponse:
    return HttpResponse(str(len(request.body)))


urlpatterns = [
    path("", hello),
    path("fields/", fields),
    path("body/", body_length),
]
