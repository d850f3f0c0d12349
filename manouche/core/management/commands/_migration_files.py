"""Writing, updating and merging migration files for ``makemigrations``."""

from __future__ import annotations

import os
from itertools import takewhile
from typing import Any

from manouche.core.management.base import CommandError
from manouche.db import DEFAULT_DB_ALIAS, connections
from manouche.db.migrations import Migration
from manouche.db.migrations.autodetector import MigrationAutodetector
from manouche.db.migrations.questioner import (
    InteractiveMigrationQuestioner,
    MigrationQuestioner,
)
from manouche.db.migrations.utils import get_migration_name_timestamp
from manouche.db.migrations.writer import MigrationWriter, format_source

__all__ = ["MigrationFilesMixin"]


class MigrationFilesMixin:
    """File output of makemigrations; the command supplies the options."""

    dry_run: bool
    verbosity: int
    interactive: bool
    include_header: bool
    scriptable: bool
    migration_name: str | None
    written_files: list[str]
    stdout: Any
    style: Any

    def log(self, msg: str) -> None:
        """Write progress output (implemented by the command)."""
        raise NotImplementedError

    def write_migration_files(
        self,
        changes: dict[str, list[Any]],
        loader: Any = None,
        update_previous_migration_paths: dict[str, str] | None = None,
    ) -> None:
        """Write (or with --dry-run describe) each new migration."""
        for app_label, app_migrations in changes.items():
            if self.verbosity >= 1:
                self.log(self.style.MIGRATE_HEADING(f"Migrations for '{app_label}':"))
            for migration in app_migrations:
                writer = MigrationWriter(migration, self.include_header)
                self._describe(writer, migration)
                if not self.dry_run:
                    self._write(writer, app_label, update_previous_migration_paths)
                elif self.verbosity == 3:
                    self.log(
                        self.style.MIGRATE_HEADING(
                            f"Full migrations file '{writer.filename}':"
                        )
                    )
                    self.log(_source(writer))
        self._lint(changes, loader)

    def _describe(self, writer: MigrationWriter, migration: Any) -> None:
        if self.verbosity < 1:
            return
        path = _relative_path(writer.path)
        self.log(f"  {self.style.MIGRATE_LABEL(path)}")
        for operation in migration.operations:
            self.log(f"    - {operation.describe()}")
        if self.scriptable:
            self.stdout.write(path)

    def _write(
        self,
        writer: MigrationWriter,
        app_label: str,
        previous_paths: dict[str, str] | None,
    ) -> None:
        source = _source(writer)
        directory = writer.basedir
        os.makedirs(directory, exist_ok=True)
        init_path = os.path.join(directory, "__init__.py")
        if not os.path.isfile(init_path):
            with open(init_path, "w", encoding="utf-8"):
                pass
        with open(writer.path, "w", encoding="utf-8") as handle:
            handle.write(source)
        self.written_files.append(writer.path)
        previous = (previous_paths or {}).get(app_label)
        if previous and os.path.abspath(previous) != os.path.abspath(writer.path):
            os.remove(previous)
            if self.verbosity >= 1:
                self.log(f"Deleted {_relative_path(previous)}")

    def _lint(self, changes: dict[str, list[Any]], loader: Any) -> None:
        """Print the migration linter's warnings when the linter is installed."""
        try:
            from manouche.db.migrations.lint import format_finding, lint_migration
        except ImportError:
            return
        state = _safe(lambda: loader.project_state()) if loader is not None else None
        for app_migrations in changes.values():
            for migration in app_migrations:
                findings = _safe(
                    lambda migration=migration, state=state: lint_migration(
                        migration, project_state=state
                    )
                )
                for finding in findings or []:
                    self.log(self.style.WARNING(format_finding(finding)))
                if state is not None:
                    state = _safe(
                        lambda migration=migration, state=state: migration.mutate_state(
                            state
                        )
                    )

    # -- --update ----------------------------------------------------------------
    def write_to_last_migration_files(self, changes: dict[str, list[Any]]) -> None:
        """Fold the changes into each app's latest migration (--update)."""
        from manouche.db.migrations.loader import MigrationLoader
        from manouche.db.migrations.optimizer import MigrationOptimizer

        loader = MigrationLoader(connections[DEFAULT_DB_ALIAS])
        new_changes: dict[str, list[Any]] = {}
        previous_paths: dict[str, str] = {}
        for app_label, app_migrations in changes.items():
            leaf = self._updatable_leaf(loader, app_label)
            leaf_migration = loader.graph.nodes[leaf]
            for migration in app_migrations:
                leaf_migration.operations.extend(migration.operations)
                for dependency in migration.dependencies:
                    if (
                        dependency[0] != app_label
                        and dependency not in leaf_migration.dependencies
                    ):
                        leaf_migration.dependencies.append(dependency)
            leaf_migration.operations = MigrationOptimizer().optimize(
                leaf_migration.operations, app_label
            )
            previous_paths[app_label] = MigrationWriter(leaf_migration).path
            fragment = self.migration_name or leaf_migration.suggest_name()
            suggested = f"{leaf_migration.name[:4]}_{fragment}"
            leaf_migration.name = (
                f"{suggested}_updated"
                if leaf_migration.name == suggested
                else suggested
            )
            new_changes[app_label] = [leaf_migration]
        self.write_migration_files(new_changes, loader, previous_paths)

    def _updatable_leaf(self, loader: Any, app_label: str) -> tuple[str, str]:
        leaves = loader.graph.leaf_nodes(app_label)
        if len(leaves) != 1:
            raise CommandError(
                f"App {app_label} has {len(leaves) or 'no'} leaf migrations; "
                "--update needs exactly one (run makemigrations --merge first)."
            )
        leaf: tuple[str, str] = leaves[0]
        migration = loader.graph.nodes[leaf]
        if migration.replaces:
            raise CommandError(
                f"Cannot update squash migration '{migration}'. Run "
                "makemigrations without --update."
            )
        applied = getattr(loader, "applied_migrations", None) or {}
        if leaf in applied:
            raise CommandError(
                f"Cannot update applied migration '{migration}'. Unapply it first "
                "or run makemigrations without --update."
            )
        dependents = [
            str(other)
            for other in loader.disk_migrations.values()
            if leaf in [tuple(dep) for dep in other.dependencies]
        ]
        if dependents:
            raise CommandError(
                f"Cannot update migration '{migration}' that migrations "
                f"'{', '.join(sorted(dependents))}' depend on."
            )
        return leaf

    # -- --merge -----------------------------------------------------------------
    def handle_merge(self, loader: Any, conflicts: dict[str, list[str]]) -> None:
        """Write a migration that depends on each conflicting leaf."""
        questioner: MigrationQuestioner
        if self.interactive:
            questioner = InteractiveMigrationQuestioner(
                prompt_output=getattr(self, "log_output", None)
            )
        else:
            questioner = MigrationQuestioner(defaults={"ask_merge": True})
        for app_label, names in conflicts.items():
            branches = self._merge_branches(loader, app_label, names)
            if self.verbosity > 0:
                self.log(self.style.MIGRATE_HEADING(f"Merging {app_label}"))
                for migration, operations in branches:
                    self.log(self.style.MIGRATE_LABEL(f"  Branch {migration.name}"))
                    for operation in operations:
                        self.log(f"    - {operation.describe()}")
            if questioner.ask_merge(app_label):
                self._write_merge(app_label, [migration for migration, _ in branches])

    def _merge_branches(
        self, loader: Any, app_label: str, names: list[str]
    ) -> list[tuple[Any, list[Any]]]:
        migrations = [loader.get_migration(app_label, name) for name in names]
        ancestries = [
            [
                node
                for node in loader.graph.forwards_plan((app_label, migration.name))
                if node[0] == app_label
            ]
            for migration in migrations
        ]
        common = sum(
            1
            for _ in takewhile(
                lambda generation: all(node == generation[0] for node in generation),
                zip(*ancestries, strict=False),
            )
        )
        if not common:
            raise CommandError(f"Could not find common ancestor of {names}")
        branches = []
        for migration, ancestry in zip(migrations, ancestries, strict=True):
            operations: list[Any] = []
            for node in ancestry[common:]:
                operations.extend(loader.get_migration(*node).operations)
            branches.append((migration, operations))
        return branches

    def _write_merge(self, app_label: str, leaves: list[Any]) -> None:
        numbers = [MigrationAutodetector.parse_number(leaf.name) for leaf in leaves]
        biggest = max((number for number in numbers if number is not None), default=1)
        if self.migration_name:
            suffix = self.migration_name
        else:
            leaf_names = "_".join(sorted(leaf.name for leaf in leaves))
            if len(leaf_names) > 47:
                leaf_names = get_migration_name_timestamp()
            suffix = f"merge_{leaf_names}"
        merge = Migration(f"{biggest + 1:04d}_{suffix}", app_label)
        merge.dependencies = [(app_label, leaf.name) for leaf in leaves]
        writer = MigrationWriter(merge, self.include_header)
        if not self.dry_run:
            with open(writer.path, "w", encoding="utf-8") as handle:
                handle.write(_source(writer))
            self.written_files.append(writer.path)
            if self.verbosity > 0:
                self.log(f"\nCreated new merge migration {writer.path}")
                if self.scriptable:
                    self.stdout.write(writer.path)
        elif self.verbosity == 3:
            self.log(
                self.style.MIGRATE_HEADING(
                    f"Full merge migrations file '{writer.filename}':"
                )
            )
            self.log(_source(writer))


def _source(writer: MigrationWriter) -> str:
    """Render the file, turning values that cannot be written into a clear error."""
    migration = writer.migration
    try:
        return format_source(writer.as_string())
    except ValueError as error:
        raise CommandError(
            f"Cannot write migration {migration.app_label}.{migration.name}: {error}"
        ) from error


def _relative_path(path: str) -> str:
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return path
    return path if relative.startswith("..") else relative


def _safe(function: Any) -> Any:
    """Run a best-effort helper; linting must never break makemigrations."""
    try:
        return function()
    except Exception:  # advisory output only: never fail the command
        return None
