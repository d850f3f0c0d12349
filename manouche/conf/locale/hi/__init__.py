"""Locale data for Hindi (Indian conventions)."""

from __future__ import annotations

__all__: list[str] = []
