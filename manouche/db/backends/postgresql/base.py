"""PostgreSQL through psycopg 3: sync engine and a real async engine.

Connections are checked out of SQLAlchemy pools with pre-ping, connect in
at most ``connect_timeout`` seconds and run in autocommit mode with
explicit BEGIN; time zone UTC is set per connection when USE_TZ is on.
"""

from __future__ import annotations

from typing import Any, ClassVar

import psycopg
import sqlalchemy as sa
from sqlalchemy.engine import URL

from manouche.conf import settings
from manouche.db.backends.base._constraint_checks import PostgreSQLConstraintChecks
from manouche.db.backends.base.base import BaseDatabaseWrapper
from manouche.db.backends.postgresql.creation import DatabaseCreation
from manouche.db.backends.postgresql.features import DatabaseFeatures
from manouche.db.backends.postgresql.introspection import DatabaseIntrospection
from manouche.db.backends.postgresql.operations import DatabaseOperations
from manouche.db.backends.postgresql.schema import DatabaseSchemaEditor
from manouche.db.backends.postgresql.validation import DatabaseValidation

__all__ = ["DatabaseWrapper", "server_url"]

Database = psycopg


def server_url(
    settings_dict: dict[str, Any], drivername: str, database: str | None
) -> URL:
    """Build the URL of ``database`` on the server ``settings_dict`` names."""
    port = settings_dict.get("PORT")
    return URL.create(
        drivername,
        username=settings_dict.get("USER") or None,
        password=settings_dict.get("PASSWORD") or None,
        host=settings_dict.get("HOST") or None,
        port=int(port) if port else None,
        database=database,
    )


class DatabaseWrapper(PostgreSQLConstraintChecks, BaseDatabaseWrapper):
    """A connection to a PostgreSQL database."""

    vendor: ClassVar[str] = "postgresql"
    display_name: ClassVar[str] = "PostgreSQL"
    sa_driver: ClassVar[str] = "postgresql+psycopg"
    sa_async_driver: ClassVar[str | None] = "postgresql+psycopg_async"
    Database = psycopg
    SchemaEditorClass = DatabaseSchemaEditor
    creation_class = DatabaseCreation
    features_class = DatabaseFeatures
    introspection_class = DatabaseIntrospection
    ops_class = DatabaseOperations
    validation_class = DatabaseValidation

    def get_engine_url(self) -> URL:
        """Return the psycopg URL (NAME defaults to "postgres")."""
        name = self.settings_dict.get("NAME") or "postgres"
        return server_url(self.settings_dict, self.sa_driver, name)

    def get_engine_options(self) -> dict[str, Any]:
        """Connect within ``connect_timeout`` seconds, UTC sessions with USE_TZ."""
        options = super().get_engine_options()
        connect_args = dict(options["connect_args"])
        connect_args.setdefault("connect_timeout", self.connect_timeout)
        if settings.USE_TZ:
            zone = self.settings_dict.get("TIME_ZONE") or "UTC"
            connect_args.setdefault("options", f"-c TimeZone={zone}")
        connect_args.pop("isolation_level", None)
        connect_args.pop("server_side_binding", None)
        options["connect_args"] = connect_args
        return options

    def _create_engine(self) -> sa.Engine:
        return sa.create_engine(self.get_engine_url(), **self.get_engine_options())

    def disable_constraint_checking(self) -> bool:
        """PostgreSQL cannot turn FK checks off; DROP ... CASCADE is used."""
        return False
