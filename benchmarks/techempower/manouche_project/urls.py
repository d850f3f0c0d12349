"""The six test routes."""

from __future__ import annotations

from manouche_project.hello import views

from manouche.urls import path

__all__ = ["urlpatterns"]

urlpatterns = [
    path("plaintext", views.plaintext),
    path("json", views.json_view),
    path("db", views.db),
    path("queries", views.queries),
    path("fortunes", views.fortunes),
    path("updates", views.updates),
]
