"""Find migration files on disk and build the graph of them.

Each installed app's ``migrations`` package (or the module named for it in
``settings.MIGRATION_MODULES``; ``None`` there means "no migrations, build
the tables directly") is scanned for modules holding a ``Migration`` class.
Squashed migrations (``replaces``) stand in for the migrations they replace
when all or none of those are applied; with only some applied, the
originals are used until the rest are.
"""

from __future__ import annotations

import pkgutil
import sys
from importlib import import_module, reload
from typing import Any

from manouche.db.migrations.exceptions import (
    AmbiguityError,
    BadMigrationError,
    InconsistentMigrationHistory,
    NodeNotFoundError,
)
from manouche.db.migrations.graph import MigrationGraph
from manouche.db.migrations.recorder import MigrationRecorder

__all__ = ["MIGRATIONS_MODULE_NAME", "MigrationLoader"]

MIGRATIONS_MODULE_NAME = "migrations"

Key = tuple[str, str]


class MigrationLoader:
    """Load migrations from disk and applied ones from ``connection``.

    ``connection`` may be None to work from the files alone (everything is
    then unapplied). ``replace_migrations=False`` keeps squashed migrations
    out of the graph, so the replaced ones are always used.
    """

    def __init__(
        self,
        connection: Any,
        load: bool = True,
        ignore_no_migrations: bool = False,
        replace_migrations: bool = True,
    ) -> None:
        self.connection = connection
        self.disk_migrations: dict[Key, Any] = {}
        self.applied_migrations: dict[Key, Any] = {}
        self.ignore_no_migrations = ignore_no_migrations
        self.replace_migrations = replace_migrations
        self.unmigrated_apps: set[str] = set()
        self.migrated_apps: set[str] = set()
        self.replacements: dict[Key, Any] = {}
        self.graph = MigrationGraph()
        if load:
            self.build_graph()

    @classmethod
    def migrations_module(cls, app_label: str) -> tuple[str | None, bool]:
        """``(module path or None, whether it was set explicitly)`` for an app."""
        from manouche.apps import apps
        from manouche.conf import settings

        modules = getattr(settings, "MIGRATION_MODULES", None) or {}
        if app_label in modules:
            return modules[app_label], True
        package = apps.get_app_config(app_label).name
        return f"{package}.{MIGRATIONS_MODULE_NAME}", False

    def load_disk(self) -> None:
        """Import every app's migration modules into ``disk_migrations``."""
        from manouche.apps import apps

        self.disk_migrations = {}
        self.unmigrated_apps = set()
        self.migrated_apps = set()
        for app_config in apps.get_app_configs():
            label = app_config.label
            module = self._import_migrations_package(label)
            if module is None:
                self.unmigrated_apps.add(label)
                continue
            self.migrated_apps.add(label)
            names = sorted(
                name
                for _, name, is_pkg in pkgutil.iter_modules(module.__path__)
                if not is_pkg and name[0] not in "_~"
            )
            for name in names:
                path = f"{module.__name__}.{name}"
                migration_module = import_module(path)
                migration_class = getattr(migration_module, "Migration", None)
                if not isinstance(migration_class, type):
                    raise BadMigrationError(
                        f"Migration {name} in app {label} has no Migration class "
                        f"(module {path})."
                    )
                self.disk_migrations[label, name] = migration_class(name, label)

    def _import_migrations_package(self, label: str) -> Any:
        """The app's migrations package, or None if it has none."""
        module_name, explicit = self.migrations_module(label)
        if module_name is None:
            return None
        was_loaded = module_name in sys.modules
        try:
            module = import_module(module_name)
        except ModuleNotFoundError as exc:
            missing = (exc.name or "").split(".")
            if (explicit and self.ignore_no_migrations) or (
                not explicit and MIGRATIONS_MODULE_NAME in missing
            ):
                return None
            raise
        # A plain module (migrations.py) or an empty namespace directory is
        # not a migrations package.
        if not hasattr(module, "__path__"):
            return None
        if getattr(module, "__file__", None) is None and not isinstance(
            module.__path__, list
        ):
            return None
        if was_loaded:
            module = reload(module)
        return module

    def get_migration(self, app_label: str, name_prefix: str) -> Any:
        """The migration ``app_label.name_prefix`` (exact name) in the graph."""
        return self.graph.nodes[app_label, name_prefix]

    def get_migration_by_prefix(self, app_label: str, name_prefix: str) -> Any:
        """The one migration of ``app_label`` whose name starts with the prefix."""
        if (app_label, name_prefix) in self.disk_migrations:
            return self.disk_migrations[app_label, name_prefix]
        matches = [
            key
            for key in self.disk_migrations
            if key[0] == app_label and key[1].startswith(name_prefix)
        ]
        if len(matches) > 1:
            raise AmbiguityError(
                f"There is more than one migration for '{app_label}' with the "
                f"prefix '{name_prefix}'"
            )
        if not matches:
            raise KeyError(
                f"There is no migration for '{app_label}' with the prefix "
                f"'{name_prefix}'"
            )
        return self.disk_migrations[matches[0]]

    def check_key(self, key: Key, current_app: str) -> Key | None:
        """Resolve ``__first__``/``__latest__`` in a cross-app reference."""
        if key[1] not in ("__first__", "__latest__") or key in self.graph:
            return key
        if key[0] == current_app:
            # An app's own __first__ is just its first migration's ordering.
            return None
        if key[0] in self.unmigrated_apps:
            return None
        if key[0] in self.migrated_apps:
            if key[1] == "__first__":
                candidates = self.graph.root_nodes(key[0])
            else:
                candidates = self.graph.leaf_nodes(key[0])
            if candidates:
                return candidates[0]
            if self.ignore_no_migrations:
                return None
            raise ValueError(f"Dependency on app with no migrations: {key[0]}")
        raise ValueError(f"Dependency on unknown app: {key[0]}")

    def add_internal_dependencies(self, key: Key, migration: Any) -> None:
        """Link ``migration`` to the dependencies inside its own app."""
        for parent in migration.dependencies:
            if parent[0] == key[0] and parent[1] != "__first__":
                self.graph.add_dependency(migration, key, parent, skip_validation=True)

    def add_external_dependencies(self, key: Key, migration: Any) -> None:
        """Link ``migration`` to other apps' migrations (and ``run_before``)."""
        for parent in migration.dependencies:
            if parent[0] == key[0]:
                continue
            resolved = self.check_key(parent, key[0])
            if resolved is not None:
                self.graph.add_dependency(
                    migration, key, resolved, skip_validation=True
                )
        for child in migration.run_before:
            resolved = self.check_key(child, key[0])
            if resolved is not None:
                self.graph.add_dependency(
                    migration, resolved, key, skip_validation=True
                )

    def build_graph(self) -> None:
        """Load from disk and database and build ``graph`` (idempotent)."""
        self.load_disk()
        if self.connection is None:
            self.applied_migrations = {}
        else:
            recorder = MigrationRecorder(self.connection)
            self.applied_migrations = recorder.applied_migrations()
        self.graph = MigrationGraph()
        self.replacements = {}
        for key, migration in self.disk_migrations.items():
            self.graph.add_node(key, migration)
            if migration.replaces:
                self.replacements[key] = migration
        for key, migration in self.disk_migrations.items():
            self.add_internal_dependencies(key, migration)
        for key, migration in self.disk_migrations.items():
            self.add_external_dependencies(key, migration)
        if self.replace_migrations:
            self._apply_replacements()
        try:
            self.graph.validate_consistency()
        except NodeNotFoundError as exc:
            self._explain_missing_replaced(exc)
            raise
        self.graph.ensure_not_cyclic()

    def _apply_replacements(self) -> None:
        """Keep either each squashed migration or the ones it replaces."""
        for key, migration in self.replacements.items():
            statuses = [
                target in self.applied_migrations for target in migration.replaces
            ]
            if all(statuses):
                self.applied_migrations[key] = migration
            else:
                self.applied_migrations.pop(key, None)
            if all(statuses) or not any(statuses):
                self.graph.remove_replaced_nodes(key, migration.replaces)
            else:
                # Partly applied: go on with the originals until all are.
                self.graph.remove_replacement_node(key, migration.replaces)

    def _explain_missing_replaced(self, exc: NodeNotFoundError) -> None:
        """Raise a clearer error when the missing node is a replaced one."""
        candidates = {
            key
            for key, migration in self.replacements.items()
            if exc.node in migration.replaces
        }
        if not candidates or any(key in self.graph.nodes for key in candidates):
            return
        tried = ", ".join(f"{app}.{name}" for app, name in sorted(candidates))
        app, name = exc.node
        raise NodeNotFoundError(
            f"Migration {exc.origin} depends on nonexistent node ('{app}', "
            f"'{name}'). manouche tried to replace migration {app}.{name} with "
            f"any of [{tried}] but wasn't able to because some of the replaced "
            "migrations are already applied.",
            exc.node,
        ) from exc

    def check_consistent_history(self, connection: Any) -> None:
        """Raise if an applied migration has an unapplied dependency."""
        applied = MigrationRecorder(connection).applied_migrations()
        for key in applied:
            if key not in self.graph.nodes:
                continue
            for parent in self.graph.node_map[key].parents:
                if parent.key in applied:
                    continue
                replacement = self.replacements.get(parent.key)
                if replacement is not None and all(
                    target in applied for target in replacement.replaces
                ):
                    continue
                raise InconsistentMigrationHistory(
                    f"Migration {key[0]}.{key[1]} is applied before its "
                    f"dependency {parent.key[0]}.{parent.key[1]} on database "
                    f"'{connection.alias}'."
                )

    def detect_conflicts(self) -> dict[str, list[str]]:
        """``{app_label: [leaf names]}`` for apps with more than one leaf."""
        leaves: dict[str, list[str]] = {}
        for app_label, name in self.graph.leaf_nodes():
            leaves.setdefault(app_label, []).append(name)
        return {app: sorted(names) for app, names in leaves.items() if len(names) > 1}

    def project_state(
        self, nodes: Key | list[Key] | None = None, at_end: bool = True
    ) -> Any:
        """The ProjectState at ``nodes`` (all leaves by default)."""
        return self.graph.make_state(
            nodes=nodes, at_end=at_end, real_apps=self.unmigrated_apps
        )

    def collect_sql(self, plan: list[tuple[Any, bool]]) -> list[str]:
        """The SQL that running ``plan`` would execute, without running it."""
        statements: list[str] = []
        state = None
        for migration, backwards in plan:
            with self.connection.schema_editor(
                collect_sql=True, atomic=migration.atomic
            ) as schema_editor:
                if state is None:
                    state = self.project_state(
                        (migration.app_label, migration.name), at_end=False
                    )
                if backwards:
                    state = migration.unapply(state, schema_editor, collect_sql=True)
                else:
                    state = migration.apply(state, schema_editor, collect_sql=True)
            statements.extend(schema_editor.collected_sql)
        return statements
