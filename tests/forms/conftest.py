"""Reuse the database fixtures of tests/db for the ModelForm tests."""

from __future__ import annotations

from tests.db.conftest import _server_databases, database

__all__ = ["_server_databases", "database"]
