"""``optimizemigration``: fold one migration's operations in place.

Useful after editing a migration by hand or after ``makemigrations`` wrote a
long list of operations that reduce to fewer (a model created then altered).
"""

from __future__ import annotations

import sys
from typing import Any

from manouche.core.management._migrations import find_migration
from manouche.core.management.base import BaseCommand, CommandError, CommandParser
from manouche.core.management.commands.squashmigrations import (
    Command as SquashCommand,
)
from manouche.core.management.commands.squashmigrations import mark_manual_porting
from manouche.db.migrations.optimizer import MigrationOptimizer

__all__ = ["Command"]


class Command(BaseCommand):
    """Rewrite a migration with its operations optimised."""

    help = "Optimizes the operations for the named migration."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("app_label", help="App label of the application.")
        parser.add_argument("migration_name", help="Migration name to optimize.")
        parser.add_argument(
            "--check",
            action="store_true",
            help="Exit with a non-zero status if the migration can be optimized.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        verbosity = int(options.get("verbosity", 1))
        app_label = str(options["app_label"])
        squash = SquashCommand()
        loader = squash._loader(app_label)
        migration = find_migration(loader, app_label, str(options["migration_name"]))
        before = len(migration.operations)
        optimized = MigrationOptimizer().optimize(migration.operations, app_label)
        if len(optimized) == before:
            if verbosity > 0:
                self.stdout.write("No optimizations possible.")
            return
        if verbosity > 0:
            self.stdout.write(
                f"Optimizing from {before} operations to {len(optimized)} operations."
            )
        if options.get("check"):
            sys.exit(1)
        self._rewrite(migration, optimized, verbosity)

    def _rewrite(self, migration: Any, operations: list[Any], verbosity: int) -> None:
        from manouche.db.migrations.writer import MigrationWriter

        migration.operations = operations
        writer = MigrationWriter(migration)
        try:
            source = writer.as_string()
        except ValueError as exc:
            raise CommandError(f"Cannot write the optimized migration: {exc}") from exc
        source, manual = mark_manual_porting(source)
        if manual and migration.replaces:
            raise CommandError(
                "Migration will require manual porting but is already a squashed "
                "migration.\nTransition to a normal migration first: "
                "https://docs.djangoproject.com/en/stable/topics/migrations/"
                "#squashing-migrations"
            )
        with open(writer.path, "w", encoding="utf-8") as handle:
            handle.write(source)
        if verbosity > 0:
            if manual:
                self.stdout.write(
                    self.style.MIGRATE_HEADING("Manual porting required") + "\n"
                    "  Your migrations contained functions that must be manually "
                    "copied over,\n  as we could not safely copy their "
                    "implementation.\n  See the comment at the top of the optimized "
                    "migration for details."
                )
            self.stdout.write(
                self.style.MIGRATE_HEADING(f"Optimized migration {writer.path}")
            )
