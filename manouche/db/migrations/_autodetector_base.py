"""Shared pieces of the autodetector: dependencies between operations and
the helpers every change generator uses.
"""

from __future__ import annotations

import enum
from typing import Any, NamedTuple

from manouche.conf import settings
from manouche.db.migrations.utils import resolve_relation

__all__ = [
    "ALTER",
    "CREATE",
    "REMOVE",
    "AutodetectorBase",
    "DependencyType",
    "ModelKey",
    "OperationDependency",
    "model_label",
    "operations_module",
    "relation_target",
    "relation_through",
]

ModelKey = tuple[str, str]


class DependencyType(enum.Enum):
    """The kind of change an operation depends upon."""

    CREATE = 0
    REMOVE = 1
    ALTER = 2
    REMOVE_ORDER_WRT = 3
    ALTER_FOO_TOGETHER = 4
    REMOVE_INDEX_OR_CONSTRAINT = 5


class _Dependency(NamedTuple):
    app_label: str
    model_name: str
    field_name: str | None
    type: DependencyType


class OperationDependency(_Dependency):
    """What an operation needs done first, in its own or another app."""

    Type = DependencyType

    @property
    def model_name_lower(self) -> str:
        """Return the model name lower-cased."""
        return self.model_name.lower()

    @property
    def field_name_lower(self) -> str:
        """Return the field name lower-cased ("" when there is none)."""
        return (self.field_name or "").lower()


CREATE = OperationDependency.Type.CREATE
REMOVE = OperationDependency.Type.REMOVE
ALTER = OperationDependency.Type.ALTER


def operations_module() -> Any:
    """Return ``manouche.db.migrations.operations`` (imported late)."""
    from manouche.db.migrations import operations

    return operations


def relation_target(field: Any) -> Any:
    """Return what a relation field points at, or None for plain fields."""
    remote = getattr(field, "remote_field", None)
    return getattr(remote, "model", None) if remote is not None else None


def relation_through(field: Any) -> Any:
    """Return an explicit (not auto-created) through model of an M2M field."""
    remote = getattr(field, "remote_field", None)
    through = getattr(remote, "through", None) if remote is not None else None
    if through is None:
        return None
    if not isinstance(through, str) and getattr(through._meta, "auto_created", False):
        return None
    return through


def model_label(model: Any, app_label: str, model_name: str) -> str:
    """Return "app.model" (lower-cased) for a relation target."""
    return "{}.{}".format(*resolve_relation(model, app_label, model_name))


class AutodetectorBase:
    """State and helpers the change generators share."""

    from_state: Any
    to_state: Any
    questioner: Any
    generated_operations: dict[str, list[Any]]
    renamed_fields: dict[tuple[str, str, str], str]
    renamed_models: dict[ModelKey, str]
    renamed_models_rel: dict[str, str]
    old_model_keys: set[ModelKey]
    old_proxy_keys: set[ModelKey]
    old_unmanaged_keys: set[ModelKey]
    new_model_keys: set[ModelKey]
    new_proxy_keys: set[ModelKey]
    new_unmanaged_keys: set[ModelKey]
    kept_model_keys: set[ModelKey]
    kept_proxy_keys: set[ModelKey]
    kept_unmanaged_keys: set[ModelKey]
    through_users: dict[ModelKey, tuple[str, str, str]]

    def add_operation(
        self,
        app_label: str,
        operation: Any,
        dependencies: Any = None,
        beginning: bool = False,
    ) -> None:
        """Queue an operation (implemented by MigrationAutodetector)."""
        raise NotImplementedError

    def deep_deconstruct(self, obj: Any) -> Any:
        """Reduce ``obj`` to comparable data (implemented by the detector)."""
        raise NotImplementedError

    def only_relation_agnostic_fields(self, fields: dict[str, Any]) -> list[Any]:
        """Field deconstructions without targets (implemented by the detector)."""
        raise NotImplementedError

    def old_state_of(self, app_label: str, model_name: str) -> Any:
        """Return the old model state of a kept (possibly renamed) model."""
        old_name = self.renamed_models.get((app_label, model_name), model_name)
        return self.from_state.models[app_label, old_name]

    @staticmethod
    def relations(state: Any) -> dict[ModelKey, dict[ModelKey, dict[str, Any]]]:
        """Map each model to the fields of other models that point at it."""
        result: dict[ModelKey, dict[ModelKey, dict[str, Any]]] = {}
        for (app_label, model_name), model_state in state.models.items():
            for field_name, field in model_state.fields.items():
                for target in (relation_target(field), relation_through(field)):
                    if target is None:
                        continue
                    key = resolve_relation(target, app_label, model_name)
                    result.setdefault(key, {}).setdefault((app_label, model_name), {})[
                        field_name
                    ] = field
        return result

    @staticmethod
    def _swappable_setting(field: Any, app_label: str, model_name: str) -> str | None:
        """Return "AUTH_USER_MODEL" when the field points at the user model."""
        setting = getattr(field, "swappable_setting", None)
        if setting is not None:
            return str(setting)
        target = relation_target(field)
        user_model = getattr(settings, "AUTH_USER_MODEL", None)
        if target is None or not user_model or not getattr(field, "swappable", True):
            return None
        if model_label(target, app_label, model_name) == user_model.lower():
            return "AUTH_USER_MODEL"
        return None

    def _get_dependencies_for_foreign_key(
        self, app_label: str, model_name: str, field: Any
    ) -> list[OperationDependency]:
        """Depend on the target (and through) models being created first."""
        swappable = self._swappable_setting(field, app_label, model_name)
        if swappable is not None:
            dep_app, dep_model = "__setting__", swappable
        else:
            dep_app, dep_model = resolve_relation(
                relation_target(field), app_label, model_name
            )
        dependencies = [OperationDependency(dep_app, dep_model, None, CREATE)]
        through = relation_through(field)
        if through is not None:
            through_app, through_model = resolve_relation(
                through, app_label, model_name
            )
            dependencies.append(
                OperationDependency(through_app, through_model, None, CREATE)
            )
        return dependencies

    def _base_dependencies(self, model_state: Any) -> list[OperationDependency]:
        """Depend on the model's bases, and on removing clashing base fields."""
        dependencies = []
        for base in model_state.bases:
            if not (isinstance(base, str) and "." in base):
                continue
            base_app, base_name = base.split(".", 1)
            base_name = base_name.lower()
            dependencies.append(OperationDependency(base_app, base_name, None, CREATE))
            old_base = self.from_state.models.get((base_app, base_name))
            new_base = self.to_state.models.get((base_app, base_name))
            if old_base is not None and new_base is not None:
                removed = (set(old_base.fields) - set(new_base.fields)) & set(
                    model_state.fields
                )
                dependencies.extend(
                    OperationDependency(base_app, base_name, name, REMOVE)
                    for name in sorted(removed)
                )
        return dependencies
