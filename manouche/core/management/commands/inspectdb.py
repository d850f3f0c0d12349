"""inspectdb: write models.py source for the tables of an existing database.

Tables, columns, keys and unique constraints are read with SQLAlchemy's
inspector; the column types are mapped to model fields in
``manouche.core.management._inspect``. The output is plain Python that
imports and declares unmanaged models.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

import sqlalchemy as sa

from manouche.core.management._inspect import TableModel, model_source
from manouche.core.management.base import BaseCommand, CommandError, CommandParser
from manouche.db import DEFAULT_DB_ALIAS, connections

__all__ = ["Command"]

HEADER = """\
# This is an auto-generated Manouche model module.
# You'll have to do the following manually to clean this up:
#   * Rearrange models' order
#   * Make sure each model has one field with primary_key=True
#   * Make sure each ForeignKey and OneToOneField has `on_delete` set to the \
desired behavior
#   * Remove `managed = False` lines if you wish to allow Manouche to create, \
modify, and delete the table
# Feel free to rename the models, but don't rename db_table values or field names.
from manouche.db import models"""


class Command(BaseCommand):
    """Print models for the database's tables (all, or the ones named)."""

    help = (
        "Introspects the database tables in the given database and outputs a "
        "Manouche model module."
    )
    requires_system_checks: ClassVar[Any] = []
    stealth_options = ("table_name_filter",)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "table",
            nargs="*",
            type=str,
            help="Selects what tables or views should be introspected.",
        )
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help='Nominates a database to introspect. Defaults to using the "default" '
            "database.",
        )
        parser.add_argument(
            "--include-views",
            action="store_true",
            help="Also output models for database views.",
        )

    def handle(self, **options: Any) -> None:
        try:
            for line in self.handle_inspection(options):
                self.stdout.write(line)
        except NotImplementedError:
            raise CommandError(
                "Database inspection isn't supported for the currently selected "
                "database backend."
            ) from None

    def handle_inspection(self, options: dict[str, Any]) -> Iterator[str]:
        """Yield the lines of the generated module."""
        database = options["database"]
        if database not in connections:
            raise CommandError(f"The database '{database}' is not configured.")
        connection = connections[database]
        table_name_filter = options.get("table_name_filter")
        yield HEADER
        with connection.sa_engine.connect() as sa_connection:
            inspector = sa.inspect(sa_connection)
            tables = sorted(inspector.get_table_names())
            views: set[str] = set()
            if options["include_views"]:
                views = set(inspector.get_view_names())
                tables += sorted(views)
            wanted = options["table"]
            if wanted:
                missing = [name for name in wanted if name not in tables]
                for name in missing:
                    yield f"# Unable to inspect table '{name}'"
                    yield "# The error was: the table does not exist."
                tables = [name for name in tables if name in wanted]
            known: set[str] = set()
            for table_name in tables:
                if table_name_filter is not None and not table_name_filter(table_name):
                    continue
                try:
                    table = TableModel.read(
                        inspector, table_name, is_view=table_name in views
                    )
                except sa.exc.SQLAlchemyError as exc:
                    yield f"# Unable to inspect table '{table_name}'"
                    yield f"# The error was: {exc}"
                    continue
                yield ""
                yield ""
                yield from model_source(table, known)
                known.add(table.model_name)
