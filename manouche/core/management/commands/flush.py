"""flush: empty every table of the installed models, after confirmation."""

from __future__ import annotations

from typing import Any

from manouche.core.management.base import BaseCommand, CommandError, CommandParser
from manouche.core.management.sql import emit_post_migrate_signal
from manouche.db import DEFAULT_DB_ALIAS, connections

__all__ = ["Command"]


class Command(BaseCommand):
    """Delete all rows of the installed models' tables (sequences restart)."""

    help = (
        "Removes ALL DATA from the database, including data added during "
        'migrations. Does not achieve a "fresh install" state.'
    )
    stealth_options = ("reset_sequences", "allow_cascade", "inhibit_post_migrate")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Tells Manouche to NOT prompt the user for input of any kind.",
        )
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help='Nominates a database to flush. Defaults to the "default" database.',
        )

    def handle(self, **options: Any) -> None:
        database = options["database"]
        if database not in connections:
            raise CommandError(f"The database '{database}' is not configured.")
        connection = connections[database]
        verbosity = options["verbosity"]
        interactive = options["interactive"]
        reset_sequences = options.get("reset_sequences", True)
        allow_cascade = options.get("allow_cascade", False)
        inhibit_post_migrate = options.get("inhibit_post_migrate", False)
        tables = connection.introspection.manouche_table_names(
            only_existing=True, include_views=False
        )
        sql_list = connection.ops.sql_flush(
            self.style,
            tables,
            reset_sequences=reset_sequences,
            allow_cascade=allow_cascade,
        )
        if interactive:
            confirm = input(
                "You have requested a flush of the database.\n"
                "This will IRREVERSIBLY DESTROY all data currently in the "
                f"{connection.settings_dict['NAME']!r} database,\n"
                "and return each table to an empty state.\n"
                "Are you sure you want to do this?\n\n"
                "    Type 'yes' to continue, or 'no' to cancel: "
            )
        else:
            confirm = "yes"
        if confirm != "yes":
            self.stdout.write("Flush cancelled.")
            return
        try:
            with connection.constraint_checks_disabled():
                connection.ops.execute_sql_flush(sql_list)
        except Exception as exc:
            raise CommandError(
                f"Database {connection.settings_dict['NAME']} couldn't be flushed. "
                "Possible reasons:\n"
                "  * The database isn't running or isn't configured correctly.\n"
                "  * At least one of the expected database tables doesn't exist.\n"
                "  * The SQL was invalid.\n"
                "Hint: Look at the output of 'manouche sqlflush'. That's the SQL "
                "this command wasn't able to run.\n"
                f"The full error: {exc}"
            ) from exc
        # Empty tables miss the rows post_migrate handlers create.
        if tables and not inhibit_post_migrate:
            emit_post_migrate_signal(verbosity, interactive, database)
