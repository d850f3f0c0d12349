"""makemigrations: write migration files for model changes."""

from __future__ import annotations

import sys
import warnings
from typing import Any

from manouche.apps import apps
from manouche.conf import settings
from manouche.core.management.base import BaseCommand, CommandError, CommandParser
from manouche.core.management.commands._migration_files import MigrationFilesMixin
from manouche.db import OperationalError, connections
from manouche.db.migrations import Migration
from manouche.db.migrations.autodetector import MigrationAutodetector
from manouche.db.migrations.questioner import (
    InteractiveMigrationQuestioner,
    MigrationQuestioner,
    NonInteractiveMigrationQuestioner,
)

__all__ = ["Command"]


class Command(MigrationFilesMixin, BaseCommand):
    """Create new migrations from the differences between models and files."""

    help = "Creates new migration(s) for apps."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "args",
            metavar="app_label",
            nargs="*",
            help="Specify the app label(s) to create migrations for.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Just show what migrations would be made; don't actually write them.",
        )
        parser.add_argument(
            "--merge", action="store_true", help="Enable fixing of migration conflicts."
        )
        parser.add_argument(
            "--empty", action="store_true", help="Create an empty migration."
        )
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Tells manouche to NOT prompt the user for input of any kind.",
        )
        parser.add_argument("-n", "--name", help="Use this name for migration file(s).")
        parser.add_argument(
            "--no-header",
            action="store_false",
            dest="include_header",
            help="Do not add header comments to new migration file(s).",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            dest="check_changes",
            help="Exit with a non-zero status if model changes are missing "
            "migrations and don't actually write them. Implies --dry-run.",
        )
        parser.add_argument(
            "--scriptable",
            action="store_true",
            dest="scriptable",
            help="Divert log output and input prompts to stderr, writing only "
            "paths of generated migration files to stdout.",
        )
        parser.add_argument(
            "--update",
            action="store_true",
            dest="update",
            help="Merge model changes into the latest migration and optimize the "
            "resulting operations.",
        )

    @property
    def log_output(self) -> Any:
        """Where progress goes: stderr with --scriptable, else stdout."""
        return self.stderr if self.scriptable else self.stdout

    def log(self, msg: str) -> None:
        """Write progress output."""
        self.log_output.write(msg)

    def handle(self, *app_labels: str, **options: Any) -> None:
        self.written_files: list[str] = []
        self.verbosity = int(options.get("verbosity", 1))
        self.interactive = bool(options.get("interactive", True))
        self.merge = bool(options.get("merge"))
        self.empty = bool(options.get("empty"))
        self.migration_name: str | None = options.get("name")
        self.include_header = bool(options.get("include_header", True))
        check_changes = bool(options.get("check_changes"))
        self.dry_run = bool(options.get("dry_run")) or check_changes
        self.scriptable = bool(options.get("scriptable"))
        self.update = bool(options.get("update"))
        if self.scriptable:
            # Prompts must not pollute the file paths written to stdout.
            self.stderr.style_func = None
        if self.migration_name and not self.migration_name.isidentifier():
            raise CommandError("The migration name must be a valid Python identifier.")
        labels = self._validate_app_labels(app_labels)
        loader = self._loader()
        conflicts = loader.detect_conflicts()
        if labels:
            conflicts = {
                app: names for app, names in conflicts.items() if app in labels
            }
        if conflicts and not self.merge:
            name_str = "; ".join(
                f"{', '.join(names)} in {app}" for app, names in conflicts.items()
            )
            raise CommandError(
                "Conflicting migrations detected; multiple leaf nodes in the "
                f"migration graph: ({name_str}).\nTo fix them run "
                "'manouche makemigrations --merge'"
            )
        if self.merge:
            if not conflicts:
                self.log("No conflicts detected to merge.")
                return
            self.handle_merge(loader, conflicts)
            return
        questioner = self._questioner(labels)
        autodetector = MigrationAutodetector(
            loader.project_state(), _current_state(), questioner
        )
        if self.empty:
            if not labels:
                raise CommandError(
                    "You must supply at least one app label when using --empty."
                )
            changes = {app: [Migration("custom", app)] for app in sorted(labels)}
            changes = autodetector.arrange_for_graph(
                changes=changes, graph=loader.graph, migration_name=self.migration_name
            )
            self.write_migration_files(changes, loader)
            return
        changes = autodetector.changes(
            graph=loader.graph,
            trim_to_apps=labels or None,
            convert_apps=labels or None,
            migration_name=self.migration_name,
        )
        if not changes:
            self._log_no_changes(labels)
            return
        if self.update:
            self.write_to_last_migration_files(changes)
        else:
            self.write_migration_files(changes, loader)
        if check_changes:
            sys.exit(1)

    def _validate_app_labels(self, app_labels: tuple[str, ...]) -> set[str]:
        labels = set(app_labels)
        bad = False
        for app_label in sorted(labels):
            try:
                apps.get_app_config(app_label)
            except LookupError as error:
                self.stderr.write(str(error))
                bad = True
        if bad:
            sys.exit(2)
        return labels

    def _loader(self) -> Any:
        from manouche.db.migrations.exceptions import (
            BadMigrationError,
            NodeNotFoundError,
        )
        from manouche.db.migrations.loader import MigrationLoader

        try:
            loader = MigrationLoader(None, ignore_no_migrations=True)
        except (NodeNotFoundError, BadMigrationError, ImportError) as error:
            raise CommandError(f"Cannot load migrations: {error}") from error
        check = getattr(loader, "check_consistent_history", None)
        for alias in sorted(settings.DATABASES or {}):
            if check is None:
                break
            connection = connections[alias]
            try:
                check(connection)
            except OperationalError as error:
                warnings.warn(
                    "Got an error checking a consistent migration history performed "
                    f"for database connection '{alias}': {error}",
                    RuntimeWarning,
                    stacklevel=2,
                )
        return loader

    def _questioner(self, labels: set[str]) -> MigrationQuestioner:
        if self.interactive:
            return InteractiveMigrationQuestioner(
                specified_apps=labels,
                dry_run=self.dry_run,
                prompt_output=self.log_output,
            )
        return NonInteractiveMigrationQuestioner(
            specified_apps=labels,
            dry_run=self.dry_run,
            verbosity=self.verbosity,
            log=self.log,
        )

    def _log_no_changes(self, labels: set[str]) -> None:
        if self.verbosity < 1:
            return
        if len(labels) == 1:
            self.log(f"No changes detected in app '{next(iter(labels))}'")
        elif labels:
            joined = "', '".join(sorted(labels))
            self.log(f"No changes detected in apps '{joined}'")
        else:
            self.log("No changes detected")


def _current_state() -> Any:
    from manouche.db.migrations.state import ProjectState

    return ProjectState.from_apps(apps)
