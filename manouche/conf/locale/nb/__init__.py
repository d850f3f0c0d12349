"""Locale data for Norwegian Bokmål."""

from __future__ import annotations

__all__: list[str] = []
