"""An included URLconf without app_name."""

from __future__ import annotations

from manouche.urls import path
from tests.urls.views import empty_view

urlpatterns = [
    path("inner/<slug:slug>/", empty_view, name="plain-inner"),
    path("extra/", empty_view, {"extra": "yes"}, name="plain-extra"),
]
