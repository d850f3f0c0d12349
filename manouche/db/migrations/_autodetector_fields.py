"""Field-level change generators of the autodetector: fields, renames,
together-options, indexes and constraints.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from manouche.db.migrations._autodetector_base import (
    ALTER,
    CREATE,
    REMOVE,
    AutodetectorBase,
    OperationDependency,
    model_label,
    operations_module,
    relation_target,
)

__all__ = ["FieldChangesMixin"]

_TIME_FIELDS = ("DateField", "DateTimeField", "TimeField")


def _is_time_field(field: Any) -> bool:
    return any(cls.__name__ in _TIME_FIELDS for cls in type(field).__mro__)


def _has_db_default(field: Any) -> bool:
    from manouche.db.models import NOT_PROVIDED

    return getattr(field, "db_default", NOT_PROVIDED) is not NOT_PROVIDED


class FieldChangesMixin(AutodetectorBase):
    """Generators for changes inside kept models."""

    old_field_keys: set[tuple[str, str, str]]
    new_field_keys: set[tuple[str, str, str]]
    renamed_operations: list[tuple[Any, ...]]
    altered_indexes: dict[tuple[str, str], dict[str, list[Any]]]
    altered_constraints: dict[tuple[str, str], dict[str, list[Any]]]

    # -- comparison helpers ---------------------------------------------------
    def comparable_field(
        self, field: Any, app_label: str, model_name: str, old: bool = False
    ) -> Any:
        """Deconstruct ``field`` with relation targets as "app.model" labels.

        Targets of the old side are mapped through renamed models, so a
        RenameModel alone does not make pointing fields look altered.
        """
        deconstruction = self.deep_deconstruct(field)
        kwargs = deconstruction[2]
        for key in ("to", "through"):
            value = kwargs.get(key)
            if value is None or (key == "to" and relation_target(field) is None):
                continue
            try:
                label = model_label(value, app_label, model_name)
            except (TypeError, ValueError, AttributeError):
                continue
            if old:
                label = self.renamed_models_rel.get(label, label)
            kwargs[key] = label
        return deconstruction

    # -- renamed fields ---------------------------------------------------------
    def create_renamed_fields(self) -> None:
        """Ask about added fields that match a removed field of the same model.

        A match is an equal deconstruction, or one that differs only by the
        new field's ``db_column`` keeping the old column name.
        """
        self.renamed_operations = []
        old_field_keys = set(self.old_field_keys)
        for app_label, model_name, field_name in sorted(
            self.new_field_keys - old_field_keys
        ):
            old_state = self.old_state_of(app_label, model_name)
            field = self.to_state.models[app_label, model_name].get_field(field_name)
            field_dec = self.comparable_field(field, app_label, model_name)
            for rem_app, rem_model, rem_name in sorted(
                old_field_keys - self.new_field_keys
            ):
                if (rem_app, rem_model) != (app_label, model_name):
                    continue
                old_field = old_state.get_field(rem_name).clone()
                old_field.set_attributes_from_name(rem_name)
                old_dec = self.comparable_field(
                    old_field, app_label, model_name, old=True
                )
                old_column = old_field.db_column or old_field.get_attname_column()[1]
                if not (
                    old_dec == field_dec
                    or (
                        old_dec[:2] == field_dec[:2]
                        and dict(old_dec[2], db_column=old_column) == field_dec[2]
                    )
                ):
                    continue
                if self.questioner.ask_rename(model_name, rem_name, field_name, field):
                    self.renamed_operations.append(
                        (rem_name, old_field.db_column, app_label, model_name, field,
                         field_name)
                    )  # fmt: skip
                    old_field_keys.discard((rem_app, rem_model, rem_name))
                    old_field_keys.add((app_label, model_name, field_name))
                    self.renamed_fields[app_label, model_name, field_name] = rem_name
                    break

    def generate_renamed_fields(self) -> None:
        """RenameField (after an AlterField when only db_column changed)."""
        ops = operations_module()
        for (
            rem_name,
            rem_db_column,
            app_label,
            model_name,
            field,
            field_name,
        ) in self.renamed_operations:
            if rem_db_column != field.db_column:
                # Keep the column: alter first so the rename is a no-op in SQL.
                altered = field.clone()
                altered.name = rem_name
                self.add_operation(
                    app_label,
                    ops.AlterField(model_name=model_name, name=rem_name, field=altered),
                )
            self.add_operation(
                app_label,
                ops.RenameField(
                    model_name=model_name, old_name=rem_name, new_name=field_name
                ),
            )
            self.old_field_keys.remove((app_label, model_name, rem_name))
            self.old_field_keys.add((app_label, model_name, field_name))

    # -- added, removed, altered ------------------------------------------------
    def generate_added_fields(self) -> None:
        """AddField for new fields, asking for defaults where rows need one."""
        for app_label, model_name, field_name in sorted(
            self.new_field_keys - self.old_field_keys
        ):
            self._generate_added_field(app_label, model_name, field_name)

    def _generate_added_field(
        self, app_label: str, model_name: str, field_name: str
    ) -> None:
        ops = operations_module()
        field = self.to_state.models[app_label, model_name].get_field(field_name)
        dependencies = [OperationDependency(app_label, model_name, field_name, REMOVE)]
        if relation_target(field) is not None:
            dependencies.extend(
                self._get_dependencies_for_foreign_key(app_label, model_name, field)
            )
        preserve_default = (
            field.null
            or field.has_default()
            or _has_db_default(field)
            or getattr(field, "many_to_many", False)
            or (field.blank and getattr(field, "empty_strings_allowed", False))
            or (_is_time_field(field) and getattr(field, "auto_now", False))
        )
        if not preserve_default:
            field = field.clone()
            if _is_time_field(field) and getattr(field, "auto_now_add", False):
                field.default = self.questioner.ask_auto_now_add_addition(
                    field_name, model_name
                )
            else:
                field.default = self.questioner.ask_not_null_addition(
                    field_name, model_name
                )
        if field.unique and field.has_default() and callable(field.default):
            self.questioner.ask_unique_callable_default_addition(field_name, model_name)
        self.add_operation(
            app_label,
            ops.AddField(
                model_name=model_name,
                name=field_name,
                field=field,
                preserve_default=preserve_default,
            ),
            dependencies=dependencies,
        )

    def generate_removed_fields(self) -> None:
        """RemoveField, after order_with_respect_to and together-options drop it."""
        for app_label, model_name, field_name in sorted(
            self.old_field_keys - self.new_field_keys
        ):
            self._generate_removed_field(app_label, model_name, field_name)

    def _generate_removed_field(
        self, app_label: str, model_name: str, field_name: str
    ) -> None:
        ops = operations_module()
        kinds = OperationDependency.Type
        self.add_operation(
            app_label,
            ops.RemoveField(model_name=model_name, name=field_name),
            dependencies=[
                OperationDependency(
                    app_label, model_name, field_name, kinds.REMOVE_ORDER_WRT
                ),
                OperationDependency(
                    app_label, model_name, field_name, kinds.ALTER_FOO_TOGETHER
                ),
            ],
        )

    def generate_altered_fields(self) -> None:
        """AlterField for changed definitions; M2M <-> concrete is remove+add."""
        for app_label, model_name, field_name in sorted(
            self.old_field_keys & self.new_field_keys
        ):
            old_name = self.renamed_fields.get((app_label, model_name, field_name))
            if old_name is not None:
                # A confirmed rename may only have changed db_column, which
                # generate_renamed_fields() already handled.
                continue
            old_field = self.old_state_of(app_label, model_name).get_field(field_name)
            new_field = self.to_state.models[app_label, model_name].get_field(
                field_name
            )
            old_dec = self.comparable_field(old_field, app_label, model_name, old=True)
            new_dec = self.comparable_field(new_field, app_label, model_name)
            if old_dec != new_dec:
                self._alter_field(
                    app_label, model_name, field_name, old_field, new_field
                )

    def _alter_field(
        self,
        app_label: str,
        model_name: str,
        field_name: str,
        old_field: Any,
        new_field: Any,
    ) -> None:
        from manouche.db.models import NOT_PROVIDED

        ops = operations_module()
        old_m2m = bool(getattr(old_field, "many_to_many", False))
        new_m2m = bool(getattr(new_field, "many_to_many", False))
        if old_m2m != new_m2m:
            self._generate_removed_field(app_label, model_name, field_name)
            self._generate_added_field(app_label, model_name, field_name)
            return
        dependencies = []
        if relation_target(new_field) is not None:
            dependencies.extend(
                self._get_dependencies_for_foreign_key(app_label, model_name, new_field)
            )
        field = new_field
        preserve_default = True
        if (
            old_field.null
            and not new_field.null
            and not new_field.has_default()
            and not _has_db_default(new_field)
            and not new_m2m
        ):
            new_default = self.questioner.ask_not_null_alteration(
                field_name, model_name
            )
            if new_default is not NOT_PROVIDED and new_default is not None:
                field = new_field.clone()
                field.default = new_default
                preserve_default = False
        self.add_operation(
            app_label,
            ops.AlterField(
                model_name=model_name,
                name=field_name,
                field=field,
                preserve_default=preserve_default,
            ),
            dependencies=dependencies,
        )

    # -- unique_together / index_together ---------------------------------------
    def _altered_together(
        self, option_name: str
    ) -> Iterator[tuple[set[Any], set[Any], str, str, list[Any]]]:
        for app_label, model_name in sorted(self.kept_model_keys):
            old_state = self.old_state_of(app_label, model_name)
            new_state = self.to_state.models[app_label, model_name]
            old_value = {
                tuple(
                    self.renamed_fields.get((app_label, model_name, name), name)
                    for name in together
                )
                for together in old_state.options.get(option_name) or ()
            }
            new_value = {
                tuple(together) for together in new_state.options.get(option_name) or ()
            }
            if old_value == new_value:
                continue
            dependencies = []
            for together in new_value:
                for field_name in together:
                    field = new_state.get_field(field_name)
                    if relation_target(field) is not None:
                        dependencies.extend(
                            self._get_dependencies_for_foreign_key(
                                app_label, model_name, field
                            )
                        )
            yield old_value, new_value, app_label, model_name, dependencies

    def _removed_altered_together(self, operation_name: str, option_name: str) -> None:
        operation = getattr(operations_module(), operation_name, None)
        if operation is None:
            return
        for old_value, new_value, app_label, model_name, deps in self._altered_together(
            option_name
        ):
            kept = new_value & old_value
            if kept or old_value:
                self.add_operation(
                    app_label,
                    operation(model_name, sorted(kept)),
                    dependencies=deps,
                )

    def _altered_together_operations(
        self, operation_name: str, option_name: str
    ) -> None:
        operation = getattr(operations_module(), operation_name, None)
        if operation is None:
            return
        for old_value, new_value, app_label, model_name, deps in self._altered_together(
            option_name
        ):
            if new_value != new_value & old_value:
                self.add_operation(
                    app_label,
                    operation(model_name, sorted(new_value)),
                    dependencies=deps,
                )

    def generate_removed_altered_unique_together(self) -> None:
        """Drop unique_together entries first, so fields in them can go."""
        self._removed_altered_together("AlterUniqueTogether", "unique_together")

    def generate_removed_altered_index_together(self) -> None:
        """Drop index_together entries first (legacy option)."""
        self._removed_altered_together("AlterIndexTogether", "index_together")

    def generate_altered_unique_together(self) -> None:
        """Set the new unique_together once the fields exist."""
        self._altered_together_operations("AlterUniqueTogether", "unique_together")

    def generate_altered_index_together(self) -> None:
        """Set the new index_together once the fields exist (legacy option)."""
        self._altered_together_operations("AlterIndexTogether", "index_together")

    # -- indexes and constraints ------------------------------------------------
    def _changed_options(
        self, option_name: str
    ) -> Iterator[tuple[str, str, list[Any], list[Any]]]:
        """Yield (app, model, added, removed) for Meta.indexes/constraints."""
        for app_label, model_name in sorted(self.kept_model_keys):
            old_items = list(
                self.old_state_of(app_label, model_name).options.get(option_name) or []
            )
            new_items = list(
                self.to_state.models[app_label, model_name].options.get(option_name)
                or []
            )
            old_keys = [self.deep_deconstruct(item) for item in old_items]
            new_keys = [self.deep_deconstruct(item) for item in new_items]
            added = [
                item for item, key in zip(new_items, new_keys, strict=True)
                if key not in old_keys
            ]  # fmt: skip
            removed = [
                item for item, key in zip(old_items, old_keys, strict=True)
                if key not in new_keys
            ]  # fmt: skip
            yield app_label, model_name, added, removed

    def create_altered_indexes(self) -> None:
        """Find added, removed and renamed (same definition) indexes."""
        for app_label, model_name, added, removed in self._changed_options("indexes"):
            renamed = []
            for new_index in list(added):
                new_key = self._unnamed(new_index)
                for old_index in removed:
                    if self._unnamed(old_index) == new_key and (
                        old_index.name != new_index.name
                    ):
                        renamed.append((old_index.name, new_index.name, None))
                        added.remove(new_index)
                        removed.remove(old_index)
                        break
            self.altered_indexes[app_label, model_name] = {
                "added_indexes": added,
                "removed_indexes": removed,
                "renamed_indexes": renamed,
            }

    def _unnamed(self, item: Any) -> Any:
        path, args, kwargs = self.deep_deconstruct(item)
        return path, args, {k: v for k, v in kwargs.items() if k != "name"}

    def create_altered_constraints(self) -> None:
        """Find added and removed constraints (a change is remove + add)."""
        for app_label, model_name, added, removed in self._changed_options(
            "constraints"
        ):
            self.altered_constraints[app_label, model_name] = {
                "added_constraints": added,
                "removed_constraints": removed,
            }

    def _field_dependencies(
        self, app_label: str, model_name: str, item: Any
    ) -> list[OperationDependency]:
        """Depend on the fields an index or constraint names being added."""
        names = [name.lstrip("-") for name in getattr(item, "fields", None) or ()]
        dependencies = [
            OperationDependency(app_label, model_name, name, CREATE) for name in names
        ]
        dependencies.extend(
            OperationDependency(app_label, model_name, name, ALTER) for name in names
        )
        return dependencies

    def generate_added_indexes(self) -> None:
        """AddIndex for new Meta.indexes entries."""
        ops = operations_module()
        for (app_label, model_name), altered in self.altered_indexes.items():
            for index in altered["added_indexes"]:
                self.add_operation(
                    app_label,
                    ops.AddIndex(model_name=model_name, index=index),
                    dependencies=self._field_dependencies(app_label, model_name, index),
                )

    def generate_removed_indexes(self) -> None:
        """RemoveIndex for dropped Meta.indexes entries."""
        ops = operations_module()
        for (app_label, model_name), altered in self.altered_indexes.items():
            for index in altered["removed_indexes"]:
                self.add_operation(
                    app_label, ops.RemoveIndex(model_name=model_name, name=index.name)
                )

    def generate_renamed_indexes(self) -> None:
        """RenameIndex for indexes whose definition is unchanged but name is."""
        ops = operations_module()
        for (app_label, model_name), altered in self.altered_indexes.items():
            for old_name, new_name, old_fields in altered["renamed_indexes"]:
                self.add_operation(
                    app_label,
                    ops.RenameIndex(
                        model_name=model_name,
                        new_name=new_name,
                        old_name=old_name,
                        old_fields=old_fields,
                    ),
                )

    def generate_added_constraints(self) -> None:
        """AddConstraint for new Meta.constraints entries."""
        ops = operations_module()
        for (app_label, model_name), altered in self.altered_constraints.items():
            for constraint in altered["added_constraints"]:
                self.add_operation(
                    app_label,
                    ops.AddConstraint(model_name=model_name, constraint=constraint),
                    dependencies=self._field_dependencies(
                        app_label, model_name, constraint
                    ),
                )

    def generate_removed_constraints(self) -> None:
        """RemoveConstraint for dropped (or changed) Meta.constraints entries."""
        ops = operations_module()
        for (app_label, model_name), altered in self.altered_constraints.items():
            for constraint in altered["removed_constraints"]:
                self.add_operation(
                    app_label,
                    ops.RemoveConstraint(model_name=model_name, name=constraint.name),
                )
