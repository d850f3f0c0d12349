"""Locale data for British English."""

from __future__ import annotations

__all__: list[str] = []
