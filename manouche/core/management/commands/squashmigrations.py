"""``squashmigrations``: replace a range of an app's migrations by one file.

The new migration lists the squashed ones in ``replaces``, so databases that
applied the old files and fresh databases both end up consistent; the old
files stay until every deployment has migrated past them.
"""

from __future__ import annotations

import os
import re
from typing import Any

from manouche.apps import apps
from manouche.conf import settings
from manouche.core.management._migrations import find_migration
from manouche.core.management.base import BaseCommand, CommandError, CommandParser
from manouche.db import DEFAULT_DB_ALIAS, connections
from manouche.db.migrations.migration import Migration, SwappableTuple
from manouche.db.migrations.optimizer import MigrationOptimizer

__all__ = ["Command", "mark_manual_porting"]

# ``import app.migrations.0002_data``: a migration module is not importable by
# an import statement (its name starts with a digit).
_MIGRATION_IMPORT = re.compile(r"^import (\S+\.\d\w*(?:\.\S+)?)$", re.MULTILINE)
_NAME = re.compile(r"\w+")


def mark_manual_porting(source: str) -> tuple[str, bool]:
    """Comment out imports of migration modules and say why at the top.

    Functions used by ``RunPython`` in the squashed migrations live in those
    modules, which the squashed migration cannot import; the developer must
    copy them in. Return the new source and whether anything was marked.
    """
    modules = _MIGRATION_IMPORT.findall(source)
    if not modules:
        return source, False
    source = _MIGRATION_IMPORT.sub(r"# import \1", source)
    listing = "\n".join(f"# {module}" for module in sorted(set(modules)))
    header = (
        "# Functions from the following migrations need manual copying.\n"
        "# Move them and any dependencies into this file, then update the\n"
        "# RunPython operations to refer to the local versions:\n"
        f"{listing}\n\n"
    )
    return header + source, True


class Command(BaseCommand):
    """Squash a range of an app's migrations into one new migration."""

    help = (
        "Squashes an existing set of migrations (from first until specified) "
        "into a single new one."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        """Take the app, an optional first migration and the last one."""
        parser.add_argument("app_label", help="App label of the application.")
        parser.add_argument(
            "start_migration_name",
            nargs="?",
            help="Migrations will be squashed starting from and including this.",
        )
        parser.add_argument(
            "migration_name",
            help="Migrations will be squashed until and including this.",
        )
        parser.add_argument(
            "--no-optimize",
            action="store_true",
            help="Do not try to optimize the squashed operations.",
        )
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Tells manouche to NOT prompt the user for input of any kind.",
        )
        parser.add_argument(
            "--squashed-name", help="Sets the name of the new squashed migration."
        )
        parser.add_argument(
            "--no-header",
            action="store_false",
            dest="include_header",
            help="Do not add a header comment to the new squashed migration.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        """Collect, optimise and write the squashed migration."""
        self.verbosity = int(options.get("verbosity", 1))
        self.interactive = bool(options.get("interactive", True))
        app_label: str = options["app_label"]
        start_name: str | None = options.get("start_migration_name")
        end_name: str = options["migration_name"]
        squashed_name: str | None = options.get("squashed_name")
        if squashed_name is not None and not _NAME.fullmatch(squashed_name):
            raise CommandError(
                f"The squashed name '{squashed_name}' is not a valid migration "
                "name (letters, digits and underscores only)."
            )
        loader = self._loader(app_label)
        end = find_migration(loader, app_label, end_name)
        if _replaced_history_on_disk(loader, end):
            # An earlier squash stands in for migrations whose files are still
            # there: squash the original history instead.
            loader = self._loader(app_label, replace_migrations=False)
        squashed = self._range(loader, end, start_name)
        self._check_outside_dependencies(loader, squashed)
        if not self._confirm(squashed):
            return
        operations, dependencies = self._collect(squashed)
        operations = self._optimize(operations, app_label, options)
        replaces = [(m.app_label, m.name) for m in squashed]
        start = squashed[0] if start_name else None
        name = _squashed_migration_name(start, end, squashed_name)
        subclass = type(
            "Migration",
            (Migration,),
            {
                "dependencies": dependencies,
                "operations": operations,
                "replaces": replaces,
            },
        )
        new_migration = subclass(name, app_label)
        if start is None:
            new_migration.initial = True
        if not all(migration.atomic for migration in squashed):
            # Operations such as AddIndexConcurrently need it to stay so.
            new_migration.atomic = False
        self._write(new_migration, bool(options.get("include_header", True)))

    # Steps.

    def _loader(self, app_label: str, *, replace_migrations: bool = True) -> Any:
        try:
            apps.get_app_config(app_label)
        except LookupError as exc:
            raise CommandError(str(exc)) from exc
        from manouche.db.migrations.loader import MigrationLoader

        loader = MigrationLoader(
            connections[DEFAULT_DB_ALIAS], replace_migrations=replace_migrations
        )
        if app_label not in loader.migrated_apps:
            raise CommandError(
                f"App '{app_label}' does not have migrations (so "
                "squashmigrations on it makes no sense)"
            )
        return loader

    def _range(self, loader: Any, end: Any, start_name: str | None) -> list[Any]:
        """Return the app's migrations up to ``end``, from ``start`` if given."""
        app_label = end.app_label
        chain = [
            loader.get_migration(label, name)
            for label, name in loader.graph.forwards_plan((app_label, end.name))
            if label == app_label
        ]
        if start_name is not None:
            start = find_migration(loader, app_label, start_name)
            if start not in chain:
                raise CommandError(
                    f"The migration '{start}' cannot be found. Maybe it comes "
                    f"after the migration '{end}'?"
                )
            chain = chain[chain.index(start) :]
        for migration in chain:
            if migration.replaces:
                raise CommandError(
                    f"You cannot squash squashed migrations! {migration} replaces "
                    "other migrations; please transition it to a normal migration "
                    "first (remove the migrations it replaces and its replaces "
                    "list)."
                )
        return chain

    def _check_outside_dependencies(self, loader: Any, squashed: list[Any]) -> None:
        """Refuse a range with another app's migration in the middle of it.

        If a migration in the range depends on another app's migration that
        itself depends on one in the range, the squashed migration would
        have to both precede and follow it.
        """
        inside = {(m.app_label, m.name) for m in squashed}
        for migration in squashed[1:]:
            for dependency in migration.dependencies:
                if dependency[0] == migration.app_label:
                    continue
                key = loader.check_key(dependency, migration.app_label)
                if key is None or key not in loader.graph.nodes:
                    continue
                ancestors = set(loader.graph.forwards_plan(key))
                caught = sorted(ancestors & inside)
                if caught:
                    label, name = key
                    raise CommandError(
                        f"Cannot squash {squashed[0]}..{squashed[-1]}: "
                        f"{migration} depends on {label}.{name} from another app, "
                        f"which itself depends on {caught[-1][0]}.{caught[-1][1]} "
                        "inside the range. Squash the migrations before and "
                        "after it separately."
                    )

    def _confirm(self, squashed: list[Any]) -> bool:
        if self.verbosity > 0 or self.interactive:
            self.stdout.write(
                self.style.MIGRATE_HEADING("Will squash the following migrations:")
            )
            for migration in squashed:
                self.stdout.write(f" - {migration.name}")
        if not self.interactive:
            return True
        answer = None
        while not answer or answer not in "yn":
            answer = input("Do you wish to proceed? [yN] ")
            if not answer:
                answer = "n"
                break
            answer = answer[0].lower()
        return answer == "y"

    def _collect(self, squashed: list[Any]) -> tuple[list[Any], list[Any]]:
        """Return the range's operations and the dependencies it keeps."""
        operations: list[Any] = []
        dependencies: set[tuple[str, str]] = set()
        first = squashed[0]
        for migration in squashed:
            operations.extend(migration.operations)
            for dependency in migration.dependencies:
                if isinstance(dependency, SwappableTuple):
                    if dependency.setting == settings.AUTH_USER_MODEL:
                        dependencies.add(("__setting__", "AUTH_USER_MODEL"))
                    else:
                        dependencies.add((dependency[0], dependency[1]))
                elif dependency[0] != migration.app_label or migration is first:
                    dependencies.add((dependency[0], dependency[1]))
        return operations, sorted(dependencies)

    def _optimize(
        self, operations: list[Any], app_label: str, options: dict[str, Any]
    ) -> list[Any]:
        kept = [op for op in operations if not getattr(op, "elidable", False)]
        dropped = len(operations) - len(kept)
        if dropped and self.verbosity > 0:
            self.stdout.write(f"Dropped {dropped} elidable operation(s).")
        if options.get("no_optimize"):
            if self.verbosity > 0:
                self.stdout.write(
                    self.style.MIGRATE_HEADING("(Skipping optimization.)")
                )
            return kept
        if self.verbosity > 0:
            self.stdout.write(self.style.MIGRATE_HEADING("Optimizing..."))
        optimized = MigrationOptimizer().optimize(kept, app_label)
        if self.verbosity > 0:
            if len(optimized) == len(kept):
                self.stdout.write("  No optimizations possible.")
            else:
                self.stdout.write(
                    f"  Optimized from {len(kept)} operations to "
                    f"{len(optimized)} operations."
                )
        return optimized

    def _write(self, migration: Any, include_header: bool) -> None:
        from manouche.db.migrations.writer import MigrationWriter

        writer = MigrationWriter(migration, include_header)
        path = writer.path
        if os.path.exists(path):
            raise CommandError(
                f"Migration {migration.name} already exists. Use a different name."
            )
        try:
            source = writer.as_string()
        except ValueError as exc:
            raise CommandError(f"Cannot write the squashed migration: {exc}") from exc
        source, marked = mark_manual_porting(source)
        manual = marked or bool(getattr(writer, "needs_manual_porting", False))
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(source)
        if self.verbosity > 0:
            self.stdout.write(
                self.style.MIGRATE_HEADING(f"Created new squashed migration {path}")
                + "\n  You should commit this migration but leave the old ones "
                "in place;\n  the new migration will be used for new installs. "
                "Once you are sure\n  all instances of the codebase have applied "
                "the migrations you squashed,\n  you can delete them."
            )
            if manual:
                self.stdout.write(self.style.MIGRATE_HEADING("Manual porting required"))
                self.stdout.write(
                    "  Your migrations contained functions that must be manually "
                    "copied over,\n  as we could not safely copy their "
                    "implementation.\n  See the comment at the top of the "
                    "squashed migration for details."
                )


def _replaced_history_on_disk(loader: Any, end: Any) -> bool:
    """Tell whether the graph up to ``end`` uses a squash of files on disk."""
    key = (end.app_label, end.name)
    if key not in loader.graph.nodes:
        return True
    for label, name in loader.graph.forwards_plan(key):
        replaces = getattr(loader.graph.nodes[label, name], "replaces", None)
        if replaces and all(tuple(item) in loader.disk_migrations for item in replaces):
            return True
    return False


def _squashed_migration_name(start: Any, end: Any, squashed_name: str | None) -> str:
    if start is not None:
        if squashed_name:
            return f"{start.name[:4]}_{squashed_name}"
        return f"{start.name}_squashed_{end.name}"
    if squashed_name:
        return f"0001_{squashed_name}"
    return f"0001_squashed_{end.name}"
