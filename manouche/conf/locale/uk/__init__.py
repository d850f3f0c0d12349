"""Locale data for Ukrainian."""

from __future__ import annotations

__all__: list[str] = []
