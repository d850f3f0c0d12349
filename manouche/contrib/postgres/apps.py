"""The app config of ``manouche.contrib.postgres``."""

from __future__ import annotations

from manouche.apps.config import AppConfig

__all__ = ["PostgresConfig"]


class PostgresConfig(AppConfig):
    """PostgreSQL extras (installing the app is optional for the operations)."""

    name = "manouche.contrib.postgres"
    verbose_name = "PostgreSQL extensions"
