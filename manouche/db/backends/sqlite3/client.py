"""dbshell for SQLite: the sqlite3 program on the database file."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from manouche.db.backends.base.client import BaseDatabaseClient

__all__ = ["DatabaseClient"]


class DatabaseClient(BaseDatabaseClient):
    """Run ``sqlite3 NAME [parameters]``."""

    executable_name: ClassVar[str | None] = "sqlite3"

    @classmethod
    def settings_to_cmd_args_env(
        cls, settings_dict: dict[str, Any], parameters: Sequence[str]
    ) -> tuple[list[str], dict[str, str] | None]:
        """Return the argv (no extra environment)."""
        return ["sqlite3", str(settings_dict["NAME"]), *parameters], None
