"""Compare two project states and produce the migrations between them.

``MigrationAutodetector(from_state, to_state, questioner).changes(graph)``
returns ``{app_label: [Migration, ...]}``. The per-change generators live in
``_autodetector_models`` and ``_autodetector_fields``; this module owns the
machinery: deconstruction for comparison, dependencies between operations,
ordering, splitting into migrations and naming them after the graph's
leaves. It never writes files or touches a database.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable
from typing import Any

from manouche.conf import settings
from manouche.db.migrations._autodetector_base import (
    OperationDependency,
    operations_module,
)
from manouche.db.migrations._autodetector_fields import FieldChangesMixin
from manouche.db.migrations._autodetector_models import ModelChangesMixin
from manouche.db.migrations.exceptions import CircularDependencyError
from manouche.db.migrations.migration import Migration
from manouche.db.migrations.questioner import MigrationQuestioner
from manouche.db.migrations.utils import COMPILED_REGEX_TYPE, RegexObject

__all__ = ["MigrationAutodetector", "OperationDependency"]

ModelKey = tuple[str, str]


class MigrationAutodetector(ModelChangesMixin, FieldChangesMixin):
    """Work out the operations that turn ``from_state`` into ``to_state``."""

    def __init__(
        self,
        from_state: Any,
        to_state: Any,
        questioner: MigrationQuestioner | None = None,
    ) -> None:
        self.from_state = from_state
        self.to_state = to_state
        self.questioner = questioner or MigrationQuestioner()
        self.existing_apps = {app for app, _ in from_state.models}

    def changes(
        self,
        graph: Any,
        trim_to_apps: Iterable[str] | None = None,
        convert_apps: Iterable[str] | None = None,
        migration_name: str | None = None,
    ) -> dict[str, list[Migration]]:
        """Return ``{app_label: [Migration]}`` named to follow ``graph``."""
        changes = self._detect_changes(convert_apps, graph)
        changes = self.arrange_for_graph(changes, graph, migration_name)
        if trim_to_apps:
            changes = self._trim_to_apps(changes, set(trim_to_apps))
        return changes

    # -- comparison -----------------------------------------------------------
    def deep_deconstruct(self, obj: Any) -> Any:
        """Reduce ``obj`` to plain, comparable data (recursively)."""
        if isinstance(obj, list):
            return [self.deep_deconstruct(value) for value in obj]
        if isinstance(obj, tuple):
            return tuple(self.deep_deconstruct(value) for value in obj)
        if isinstance(obj, dict):
            return {key: self.deep_deconstruct(value) for key, value in obj.items()}
        if isinstance(obj, functools.partial):
            return (
                obj.func,
                self.deep_deconstruct(obj.args),
                self.deep_deconstruct(obj.keywords),
            )
        if isinstance(obj, COMPILED_REGEX_TYPE):
            return RegexObject(obj)
        if isinstance(obj, type):
            # Classes are compared by identity, never deconstructed.
            return obj
        if hasattr(obj, "deconstruct"):
            deconstructed = obj.deconstruct()
            if _is_field(obj):
                deconstructed = deconstructed[1:]
            elif len(deconstructed) == 5:  # managers: (as_manager, path, qs, a, k)
                return (
                    *deconstructed[:3],
                    self.deep_deconstruct(list(deconstructed[3])),
                    self.deep_deconstruct(deconstructed[4]),
                )
            path, args, kwargs = deconstructed
            return (
                path,
                [self.deep_deconstruct(value) for value in args],
                {key: self.deep_deconstruct(value) for key, value in kwargs.items()},
            )
        if _is_plain_object(obj):
            # Constraints and similar without deconstruct(): compare attributes.
            return (type(obj), self.deep_deconstruct(dict(sorted(vars(obj).items()))))
        return obj

    def only_relation_agnostic_fields(self, fields: dict[str, Any]) -> list[Any]:
        """Return field deconstructions without relation targets.

        Used to spot renamed models: two models whose fields match except
        for what their relations point to may be one model renamed.
        """
        result = []
        for name, field in sorted(fields.items()):
            deconstruction = self.deep_deconstruct(field)
            if getattr(field, "remote_field", None) is not None and getattr(
                field.remote_field, "model", None
            ):
                deconstruction[2].pop("to", None)
            result.append((name, deconstruction))
        return result

    # -- detection ------------------------------------------------------------
    def _detect_changes(
        self, convert_apps: Iterable[str] | None = None, graph: Any = None
    ) -> dict[str, list[Migration]]:
        """Return unnamed migrations for every difference between the states."""
        self.generated_operations: dict[str, list[Any]] = {}
        self.altered_indexes: dict[ModelKey, dict[str, list[Any]]] = {}
        self.altered_constraints: dict[ModelKey, dict[str, list[Any]]] = {}
        self.renamed_fields: dict[tuple[str, str, str], str] = {}
        convert = set(convert_apps or ())
        self._classify_models(convert)
        for state in (self.from_state, self.to_state):
            resolve = getattr(state, "resolve_fields_and_relations", None)
            if resolve is not None:
                resolve()
        self.generate_renamed_models()
        self._prepare_field_lists()
        self._generate_through_model_map()
        self.generate_deleted_models()
        self.generate_created_models()
        self.generate_deleted_proxies()
        self.generate_created_proxies()
        self.generate_altered_options()
        self.generate_altered_managers()
        self.generate_altered_db_table_comment()
        self.create_renamed_fields()
        self.create_altered_indexes()
        self.create_altered_constraints()
        self.generate_removed_constraints()
        self.generate_removed_indexes()
        self.generate_renamed_fields()
        self.generate_renamed_indexes()
        self.generate_removed_altered_unique_together()
        self.generate_removed_altered_index_together()
        self.generate_removed_fields()
        self.generate_added_fields()
        self.generate_altered_fields()
        self.generate_altered_order_with_respect_to()
        self.generate_altered_unique_together()
        self.generate_altered_index_together()
        self.generate_added_indexes()
        self.generate_added_constraints()
        self.generate_altered_db_table()
        self._sort_migrations()
        self._build_migration_list(graph)
        self._optimize_migrations()
        return self.migrations

    def _classify_models(self, convert: set[str]) -> None:
        """Sort model keys into concrete, proxy and unmanaged, old and new."""
        self.old_model_keys: set[ModelKey] = set()
        self.old_proxy_keys: set[ModelKey] = set()
        self.old_unmanaged_keys: set[ModelKey] = set()
        self.new_model_keys: set[ModelKey] = set()
        self.new_proxy_keys: set[ModelKey] = set()
        self.new_unmanaged_keys: set[ModelKey] = set()
        real_apps = set(getattr(self.from_state, "real_apps", ()) or ())
        for (app_label, model_name), state in self.from_state.models.items():
            if not state.options.get("managed", True):
                self.old_unmanaged_keys.add((app_label, model_name))
            elif app_label not in real_apps:
                if state.options.get("proxy"):
                    self.old_proxy_keys.add((app_label, model_name))
                else:
                    self.old_model_keys.add((app_label, model_name))
        for (app_label, model_name), state in self.to_state.models.items():
            if not state.options.get("managed", True):
                self.new_unmanaged_keys.add((app_label, model_name))
            elif app_label not in real_apps or app_label in convert:
                if state.options.get("proxy"):
                    self.new_proxy_keys.add((app_label, model_name))
                else:
                    self.new_model_keys.add((app_label, model_name))

    # -- dependencies -----------------------------------------------------------
    def add_operation(
        self,
        app_label: str,
        operation: Any,
        dependencies: Iterable[OperationDependency] | None = None,
        beginning: bool = False,
    ) -> None:
        """Queue ``operation`` for ``app_label`` with what it depends on."""
        operation._auto_deps = list(dependencies or [])
        queue = self.generated_operations.setdefault(app_label, [])
        if beginning:
            queue.insert(0, operation)
        else:
            queue.append(operation)

    def check_dependency(self, operation: Any, dependency: OperationDependency) -> bool:
        """Tell whether ``operation`` is what ``dependency`` waits for."""
        ops = operations_module()
        kind = dependency.type
        model = dependency.model_name_lower
        field = dependency.field_name_lower
        name = _lower(getattr(operation, "name", ""))
        on_model = _lower(getattr(operation, "model_name", "")) == model
        if kind is OperationDependency.Type.CREATE:
            if dependency.field_name is None:
                return isinstance(operation, ops.CreateModel) and name == model
            if isinstance(operation, ops.CreateModel):
                return name == model and any(
                    _lower(field_name) == field for field_name, _ in operation.fields
                )
            return isinstance(operation, ops.AddField) and on_model and name == field
        if kind is OperationDependency.Type.REMOVE:
            if dependency.field_name is None:
                return isinstance(operation, ops.DeleteModel) and name == model
            return isinstance(operation, ops.RemoveField) and on_model and name == field
        if kind is OperationDependency.Type.ALTER:
            return isinstance(operation, ops.AlterField) and on_model and name == field
        if kind is OperationDependency.Type.REMOVE_ORDER_WRT:
            return (
                isinstance(operation, ops.AlterOrderWithRespectTo)
                and name == model
                and _lower(operation.order_with_respect_to or "") != field
            )
        if kind is OperationDependency.Type.ALTER_FOO_TOGETHER:
            together = tuple(
                getattr(ops, cls)
                for cls in ("AlterUniqueTogether", "AlterIndexTogether")
                if hasattr(ops, cls)
            )
            return isinstance(operation, together) and name == model
        if kind is OperationDependency.Type.REMOVE_INDEX_OR_CONSTRAINT:
            return (
                isinstance(operation, (ops.RemoveIndex, ops.RemoveConstraint))
                and on_model
                and name == field
            )
        raise ValueError(f"Can't handle dependency {dependency!r}")

    def _resolve_dependency(
        self, dependency: OperationDependency
    ) -> tuple[OperationDependency, bool]:
        """Turn a ``__setting__`` dependency into the model it names."""
        if dependency.app_label != "__setting__":
            return dependency, False
        value = getattr(settings, dependency.model_name)
        app_label, _, object_name = value.partition(".")
        resolved = OperationDependency(
            app_label, object_name.lower(), dependency.field_name, dependency.type
        )
        return resolved, True

    # -- ordering and splitting ---------------------------------------------------
    def _sort_migrations(self) -> None:
        """Order each app's operations so in-app dependencies come first."""
        for app_label, operations in sorted(self.generated_operations.items()):
            edges: list[set[int]] = []
            for operation in operations:
                needs: set[int] = set()
                for dependency in operation._auto_deps:
                    resolved, _ = self._resolve_dependency(dependency)
                    if resolved.app_label != app_label:
                        continue
                    needs.update(
                        index
                        for index, other in enumerate(operations)
                        if other is not operation
                        and self.check_dependency(other, resolved)
                    )
                edges.append(needs)
            order = _stable_topological_sort(len(operations), edges, app_label)
            self.generated_operations[app_label] = [operations[i] for i in order]

    def _build_migration_list(self, graph: Any = None) -> None:
        """Chop each app's operations into migrations with dependencies.

        Operations are taken while their cross-app dependencies are met; when
        no app can progress, "chop mode" cuts a migration that depends on the
        other app's latest known migration, which breaks cycles (FKs both
        ways) into several migrations.
        """
        self.migrations: dict[str, list[Migration]] = {}
        remaining = sum(len(ops) for ops in self.generated_operations.values())
        chop_mode = False
        while remaining:
            for app_label in sorted(self.generated_operations):
                if self._chop_app(app_label, graph, chop_mode):
                    chop_mode = False
            new_remaining = sum(len(ops) for ops in self.generated_operations.values())
            if new_remaining == remaining:
                if chop_mode:
                    raise ValueError(
                        "Cannot resolve operation dependencies: "
                        f"{self.generated_operations!r}"
                    )
                chop_mode = True
            remaining = new_remaining

    def _chop_app(self, app_label: str, graph: Any, chop_mode: bool) -> bool:
        """Cut the next migration of ``app_label`` if it can; say whether it did.

        Outside chop mode a migration is cut only when every pending
        operation of the app fits, so apps get as few migrations as possible.
        """
        chopped: list[Any] = []
        dependencies: set[tuple[str, str]] = set()
        queue = self.generated_operations[app_label]
        while queue:
            operation = queue[0]
            needed = self._operation_dependencies(
                app_label, operation, graph, chop_mode
            )
            if needed is None:
                break
            chopped.append(operation)
            dependencies.update(needed)
            del queue[0]
        if not chopped:
            return False
        if queue and not chop_mode:
            self.generated_operations[app_label] = chopped + queue
            return False
        existing = self.migrations.setdefault(app_label, [])
        migration = Migration(f"auto_{len(existing) + 1}", app_label)
        migration.dependencies = sorted(dependencies)
        migration.operations = chopped
        migration.initial = app_label not in self.existing_apps
        existing.append(migration)
        return True

    def _operation_dependencies(
        self, app_label: str, operation: Any, graph: Any, chop_mode: bool
    ) -> set[tuple[str, str]] | None:
        """Return the migrations ``operation`` needs, or None if not yet met."""
        needed: set[tuple[str, str]] = set()
        for original in operation._auto_deps:
            dependency, swappable = self._resolve_dependency(original)
            if dependency.app_label == app_label:
                continue
            for other in self.generated_operations.get(dependency.app_label, []):
                if self.check_dependency(other, dependency):
                    return None
            if swappable:
                needed.add((original.app_label, original.model_name))
            elif self.migrations.get(dependency.app_label):
                needed.add(
                    (
                        dependency.app_label,
                        self.migrations[dependency.app_label][-1].name,
                    )
                )
            elif not chop_mode:
                return None
            else:
                leaves = graph.leaf_nodes(dependency.app_label) if graph else []
                needed.add(leaves[0] if leaves else (dependency.app_label, "__first__"))
        return needed

    def _optimize_migrations(self) -> None:
        """Chain each app's migrations and fold their operations."""
        optimizer = _optimizer()
        for app_label, migrations in self.migrations.items():
            for previous, current in itertools.pairwise(migrations):
                current.dependencies.append((app_label, previous.name))
            for migration in migrations:
                migration.dependencies = list(dict.fromkeys(migration.dependencies))
                if optimizer is not None:
                    migration.operations = optimizer.optimize(
                        migration.operations, app_label
                    )

    # -- naming ---------------------------------------------------------------
    def arrange_for_graph(
        self,
        changes: dict[str, list[Migration]],
        graph: Any,
        migration_name: str | None = None,
    ) -> dict[str, list[Migration]]:
        """Number and name new migrations after each app's current leaf."""
        leaves = graph.leaf_nodes() if graph is not None else []
        name_map: dict[tuple[str, str], tuple[str, str]] = {}
        for app_label, migrations in list(changes.items()):
            if not migrations:
                continue
            app_leaf = next((leaf for leaf in leaves if leaf[0] == app_label), None)
            if app_leaf is None and not self.questioner.ask_initial(app_label):
                for migration in migrations:
                    name_map[(app_label, migration.name)] = (app_label, "__first__")
                del changes[app_label]
                continue
            number = (
                1 if app_leaf is None else (self.parse_number(app_leaf[1]) or 0) + 1
            )
            for index, migration in enumerate(migrations):
                if index == 0 and app_leaf is not None:
                    migration.dependencies.append(app_leaf)
                if migration_name:
                    suffix = migration_name
                elif index == 0 and app_leaf is None:
                    suffix = "initial"
                else:
                    suffix = migration.suggest_name()[:100]
                new_name = f"{number:04d}_{suffix}"
                name_map[(app_label, migration.name)] = (app_label, new_name)
                migration.name = new_name
                number += 1
        for migrations in changes.values():
            for migration in migrations:
                migration.dependencies = [
                    name_map.get((dep[0], dep[1]), dep)
                    for dep in migration.dependencies
                ]
        return changes

    def _trim_to_apps(
        self, changes: dict[str, list[Migration]], app_labels: set[str]
    ) -> dict[str, list[Migration]]:
        """Keep the requested apps and the apps their new migrations need."""
        app_dependencies: dict[str, set[str]] = {}
        for app_label, migrations in changes.items():
            for migration in migrations:
                for dep_app, _ in migration.dependencies:
                    app_dependencies.setdefault(app_label, set()).add(dep_app)
        required = set(app_labels)
        pending = list(required)
        while pending:
            for dep_app in app_dependencies.get(pending.pop(), ()):
                if dep_app not in required:
                    required.add(dep_app)
                    pending.append(dep_app)
        return {app: migs for app, migs in changes.items() if app in required}

    @classmethod
    def parse_number(cls, name: str) -> int | None:
        """Return the number a migration name starts with (or was squashed to)."""
        squashed = re.search(r".*_squashed_(\d+)", name)
        if squashed:
            return int(squashed[1])
        match = re.match(r"^\d+", name)
        return int(match[0]) if match else None


def _lower(value: Any) -> str:
    return str(value or "").lower()


def _is_field(obj: Any) -> bool:
    from manouche.db.models import Field

    return isinstance(obj, Field)


def _is_plain_object(obj: Any) -> bool:
    from manouche.db.models.constraints import BaseConstraint

    return isinstance(obj, BaseConstraint)


def _optimizer() -> Any:
    try:
        from manouche.db.migrations.optimizer import MigrationOptimizer
    except ImportError:  # pragma: no cover - the optimizer ships with migrations
        return None
    return MigrationOptimizer()


def _stable_topological_sort(
    count: int, edges: list[set[int]], app_label: str
) -> list[int]:
    """Order ``range(count)`` so each index follows its ``edges``; keep ties."""
    done: set[int] = set()
    order: list[int] = []
    while len(order) < count:
        ready = [
            index
            for index in range(count)
            if index not in done and edges[index] <= done
        ]
        if not ready:
            raise CircularDependencyError(
                f"Operations of app '{app_label}' depend on each other in a cycle."
            )
        for index in ready:
            # Take ready items in their original order, one pass at a time.
            order.append(index)
            done.add(index)
    return order
