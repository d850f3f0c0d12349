"""Locale data for German."""

from __future__ import annotations

__all__: list[str] = []
