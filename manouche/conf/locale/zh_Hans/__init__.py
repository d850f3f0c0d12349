"""Locale data for Simplified Chinese."""

from __future__ import annotations

__all__: list[str] = []
