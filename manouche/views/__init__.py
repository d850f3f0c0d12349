"""Views: the base View class, decorators, default error views."""

from __future__ import annotations

from manouche.views.generic.base import View

__all__ = ["View"]
