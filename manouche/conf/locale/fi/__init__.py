"""Locale data for Finnish."""

from __future__ import annotations

__all__: list[str] = []
