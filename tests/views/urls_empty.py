"""A URLconf with no patterns: DEBUG shows the welcome page."""

from __future__ import annotations

urlpatterns: list[object] = []
