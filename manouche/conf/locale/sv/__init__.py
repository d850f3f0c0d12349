"""Locale data for Swedish."""

from __future__ import annotations

__all__: list[str] = []
