"""Locale data for Arabic."""

from __future__ import annotations

__all__: list[str] = []
