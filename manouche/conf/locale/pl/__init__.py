"""Locale data for Polish."""

from __future__ import annotations

__all__: list[str] = []
