"""Locale data for Korean."""

from __future__ import annotations

__all__: list[str] = []
