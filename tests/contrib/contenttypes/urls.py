"""URLconf of the shortcut view tests."""

from __future__ import annotations

from manouche.contrib.contenttypes import views
from manouche.urls import re_path

urlpatterns = [
    re_path(r"^r/([0-9]+)/(.+)/$", views.shortcut),
]
