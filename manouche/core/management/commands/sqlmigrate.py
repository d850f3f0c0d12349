"""sqlmigrate: print the SQL a migration would run, without running it."""

from __future__ import annotations

from typing import Any

from manouche.apps import apps
from manouche.core.management._migrations import find_migration
from manouche.core.management.base import BaseCommand, CommandError, CommandParser
from manouche.db import DEFAULT_DB_ALIAS, connections
from manouche.db.migrations.loader import MigrationLoader

__all__ = ["Command"]


class Command(BaseCommand):
    """Print the SQL of one migration for the chosen database."""

    help = "Prints the SQL statements for the named migration."
    output_transaction = True

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "app_label", help="App label of the application containing the migration."
        )
        parser.add_argument(
            "migration_name", help="Migration name to print the SQL for."
        )
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help='Nominates a database to create SQL for. Defaults to the "default" '
            "database.",
        )
        parser.add_argument(
            "--backwards",
            action="store_true",
            help="Creates SQL to unapply the migration, rather than to apply it",
        )

    def execute(self, *args: Any, **options: Any) -> str | None:
        # The SQL is meant to be copied: BEGIN/COMMIT are never coloured.
        options["no_color"] = True
        return super().execute(*args, **options)

    def handle(self, *args: Any, **options: Any) -> str:
        database = options["database"]
        if database not in connections:
            raise CommandError(f"The connection '{database}' doesn't exist.")
        connection = connections[database]
        app_label = options["app_label"]
        migration_name = options["migration_name"]
        try:
            apps.get_app_config(app_label)
        except LookupError as exc:
            raise CommandError(str(exc)) from exc
        loader = MigrationLoader(connection, replace_migrations=False)
        if app_label not in loader.migrated_apps:
            raise CommandError(f"App '{app_label}' does not have migrations")
        migration = find_migration(
            loader, app_label, migration_name, hint="Is it in INSTALLED_APPS?"
        )
        target = (app_label, migration.name)
        self.output_transaction = bool(
            migration.atomic and connection.features.can_rollback_ddl
        )
        plan = [(loader.graph.nodes[target], bool(options.get("backwards")))]
        statements = loader.collect_sql(plan)
        if not statements and int(options.get("verbosity", 1)) >= 1:
            self.stderr.write("No operations found.")
        return "\n".join(statements)
