"""Helpers shared by the template tests (fixtures live in conftest.py)."""

from __future__ import annotations

from typing import Any

from manouche.template import Context, Engine

LIBRARIES = {
    "humanize": "manouche.contrib.humanize.templatetags.humanize",
    "i18n": "manouche.templatetags.i18n",
    "static": "manouche.templatetags.static",
    "tz": "manouche.templatetags.tz",
}


def render(source: str, context: dict[str, Any] | None = None, **options: Any) -> str:
    """Render ``source`` with a fresh engine that knows the built-in libraries."""
    options.setdefault("libraries", LIBRARIES)
    return str(Engine(**options).from_string(source).render(Context(context or {})))
