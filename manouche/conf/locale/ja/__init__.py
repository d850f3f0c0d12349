"""Locale data for Japanese."""

from __future__ import annotations

__all__: list[str] = []
