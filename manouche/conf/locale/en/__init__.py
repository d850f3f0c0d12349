"""Locale data for English (United States conventions)."""

from __future__ import annotations

__all__: list[str] = []
