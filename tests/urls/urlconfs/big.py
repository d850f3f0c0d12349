"""A 500-pattern URLconf: static, int and slug routes and namespaced includes."""

from __future__ import annotations

from typing import Any

from manouche.urls import include, path, re_path
from tests.urls.views import empty_view


def build_app(prefix: str, count: int) -> list[Any]:
    """Return ``count`` patterns for one application."""
    patterns: list[Any] = []
    for number in range(count // 4):
        patterns += [
            path(f"{prefix}{number}/", empty_view, name=f"static-{number}"),
            path(f"{prefix}{number}/<int:pk>/", empty_view, name=f"int-{number}"),
            path(f"{prefix}{number}/<slug:slug>/", empty_view, name=f"slug-{number}"),
            re_path(
                rf"^{prefix}{number}/re/(?P<code>[a-z]{{3}})/$",
                empty_view,
                name=f"re-{number}",
            ),
        ]
    return patterns


urlpatterns: list[Any] = [
    *build_app("top", 100),
    path("shop/", include((build_app("item", 100), "shop"), namespace="shop")),
    path(
        "api/",
        include(
            [
                path("v1/", include((build_app("res", 100), "api"), namespace="v1")),
                path("v2/", include((build_app("res", 100), "api"), namespace="v2")),
            ]
        ),
    ),
    *build_app("tail", 100),
]
