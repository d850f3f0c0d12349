"""MariaDB and MySQL through PyMySQL (sync) and aiomysql (async).

Both drivers share PyMySQL's converters, so values come back the same from
sync and async code. Connections use utf8mb4, connect within
``connect_timeout`` seconds, run in autocommit mode with explicit BEGIN
and set the session time zone to UTC when USE_TZ is on.
"""

from __future__ import annotations

from typing import Any, ClassVar

import pymysql
from sqlalchemy.engine import URL

from manouche.conf import settings
from manouche.db.backends.base._constraint_checks import QueryConstraintChecks
from manouche.db.backends.base.base import BaseDatabaseWrapper
from manouche.db.backends.mysql.creation import DatabaseCreation
from manouche.db.backends.mysql.features import DatabaseFeatures
from manouche.db.backends.mysql.introspection import DatabaseIntrospection
from manouche.db.backends.mysql.operations import DatabaseOperations
from manouche.db.backends.mysql.schema import DatabaseSchemaEditor
from manouche.db.backends.mysql.validation import DatabaseValidation

__all__ = ["DatabaseWrapper", "server_url"]

Database = pymysql


def server_url(
    settings_dict: dict[str, Any], drivername: str, database: str | None
) -> URL:
    """Build the URL of ``database`` on the server ``settings_dict`` names."""
    port = settings_dict.get("PORT")
    return URL.create(
        drivername,
        username=settings_dict.get("USER") or None,
        password=settings_dict.get("PASSWORD") or None,
        host=settings_dict.get("HOST") or "localhost",
        port=int(port) if port else None,
        database=database,
        query={"charset": "utf8mb4"},
    )


class DatabaseWrapper(QueryConstraintChecks, BaseDatabaseWrapper):
    """A connection to a MariaDB or MySQL database."""

    vendor: ClassVar[str] = "mysql"
    display_name: ClassVar[str] = "MariaDB"
    sa_driver: ClassVar[str] = "mysql+pymysql"
    sa_async_driver: ClassVar[str | None] = "mysql+aiomysql"
    Database = pymysql
    SchemaEditorClass = DatabaseSchemaEditor
    creation_class = DatabaseCreation
    features_class = DatabaseFeatures
    introspection_class = DatabaseIntrospection
    ops_class = DatabaseOperations
    validation_class = DatabaseValidation

    def get_engine_url(self) -> URL:
        """Return the PyMySQL URL with utf8mb4."""
        name = self.settings_dict.get("NAME") or None
        return server_url(self.settings_dict, self.sa_driver, name)

    def get_engine_options(self) -> dict[str, Any]:
        """Connect within ``connect_timeout`` seconds; UTC sessions with USE_TZ."""
        options = super().get_engine_options()
        connect_args = dict(options["connect_args"])
        connect_args.setdefault("connect_timeout", self.connect_timeout)
        if settings.USE_TZ:
            init = "SET time_zone = '+00:00'"
            connect_args.setdefault("init_command", init)
        options["connect_args"] = connect_args
        return options

    def disable_constraint_checking(self) -> bool:
        """SET foreign_key_checks = 0 for this session."""
        with self.cursor() as cursor:
            cursor.execute("SET foreign_key_checks = 0")
        return True

    def enable_constraint_checking(self) -> None:
        """SET foreign_key_checks = 1 for this session.

        A session setting, not data: it is restored even in an atomic block
        that a failed query marked for rollback (loaddata after a bad row).
        """
        needs_rollback, self.needs_rollback = self.needs_rollback, False
        try:
            with self.cursor() as cursor:
                cursor.execute("SET foreign_key_checks = 1")
        finally:
            self.needs_rollback = needs_rollback
