"""Locale data for Russian."""

from __future__ import annotations

__all__: list[str] = []
