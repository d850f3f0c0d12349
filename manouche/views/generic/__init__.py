"""Generic class-based views (the base views; more arrive with models and forms)."""

from __future__ import annotations

from manouche.views.generic.base import RedirectView, TemplateView, View

__all__ = ["GenericViewError", "RedirectView", "TemplateView", "View"]


class GenericViewError(Exception):
    """A problem in a generic view."""
