"""Locale data for French."""

from __future__ import annotations

__all__: list[str] = []
