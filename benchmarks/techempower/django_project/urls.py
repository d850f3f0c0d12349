"""The six test routes."""

from __future__ import annotations

from django.urls import path
from django_project.hello import views

__all__ = ["urlpatterns"]

urlpatterns = [
    path("plaintext", views.plaintext),
    path("json", views.json_view),
    path("db", views.db),
    path("queries", views.queries),
    path("fortunes", views.fortunes),
    path("updates", views.updates),
]
