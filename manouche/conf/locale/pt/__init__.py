"""Locale data for Portuguese."""

from __future__ import annotations

__all__: list[str] = []
