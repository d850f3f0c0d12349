"""Serialisation of Python data; the model serialisers arrive with the ORM."""

from __future__ import annotations

__all__: list[str] = []
