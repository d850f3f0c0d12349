"""An application URLconf that itself includes another application."""

from __future__ import annotations

from manouche.urls import include, path
from tests.urls.views import empty_view

app_name = "outer"

urlpatterns = [
    path("", empty_view, name="index"),
    path("blog/", include("tests.urls.urlconfs.app")),
    path("<int:section>/blog/", include("tests.urls.urlconfs.app", namespace="sec")),
]
