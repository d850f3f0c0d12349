"""Locale data for Dutch."""

from __future__ import annotations

__all__: list[str] = []
