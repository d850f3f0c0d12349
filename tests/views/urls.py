"""URLconf for the view and shortcut tests."""

from __future__ import annotations

from typing import Any

from manouche.http import HttpResponse
from manouche.urls import path


def article(request: Any, pk: int) -> HttpResponse:
    return HttpResponse()


def home(request: Any) -> HttpResponse:
    return HttpResponse()


urlpatterns = [
    path("articles/<int:pk>/", article, name="article"),
    path("", home, name="home"),
]
