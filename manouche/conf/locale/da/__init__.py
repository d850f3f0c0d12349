"""Locale data for Danish."""

from __future__ import annotations

__all__: list[str] = []
