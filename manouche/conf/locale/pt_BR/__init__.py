"""Locale data for Brazilian Portuguese."""

from __future__ import annotations

__all__: list[str] = []
