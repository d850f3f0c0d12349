"""Locale data for Czech."""

from __future__ import annotations

__all__: list[str] = []
