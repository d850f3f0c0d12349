"""URLconf for the CommonMiddleware tests."""

from __future__ import annotations

from typing import Any

from manouche.http import HttpResponse
from manouche.urls import path, re_path
from manouche.views.decorators.common import no_append_slash


def empty_view(request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
    return HttpResponse()


@no_append_slash
def sensitive_fbv(request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
    return HttpResponse()


urlpatterns = [
    path("noslash", empty_view),
    path("slash/", empty_view),
    path("needsquoting#/", empty_view),
    path("sensitive_fbv/", sensitive_fbv),
    re_path(r"^(?P<name>[a-z]+)/end/$", empty_view),
]
