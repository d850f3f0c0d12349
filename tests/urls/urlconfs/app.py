"""An application URLconf with an application namespace."""

from __future__ import annotations

from manouche.urls import path, re_path
from tests.urls.views import empty_view, other_view

app_name = "blog"

urlpatterns = [
    path("", empty_view, name="index"),
    path("<int:pk>/", other_view, name="detail"),
    re_path(r"^archive/(?P<year>[0-9]{4})/$", empty_view, name="archive"),
]
