"""Model-level change generators of the autodetector: create, delete,
rename, proxies, options, managers and tables.
"""

from __future__ import annotations

from itertools import chain
from typing import Any

from manouche.db.migrations._autodetector_base import (
    ALTER,
    CREATE,
    REMOVE,
    AutodetectorBase,
    ModelKey,
    OperationDependency,
    operations_module,
    relation_target,
    relation_through,
)
from manouche.db.migrations.utils import resolve_relation

__all__ = ["ModelChangesMixin"]

# Options AlterModelOptions owns (no schema effect beyond the model class).
_DEFAULT_ALTER_OPTION_KEYS = [
    "base_manager_name",
    "default_manager_name",
    "default_related_name",
    "get_latest_by",
    "managed",
    "ordering",
    "permissions",
    "default_permissions",
    "select_on_save",
    "verbose_name",
    "verbose_name_plural",
]


class ModelChangesMixin(AutodetectorBase):
    """Generators for whole-model changes."""

    def generate_renamed_models(self) -> None:
        """Ask about added models whose fields match a removed model's."""
        ops = operations_module()
        self.renamed_models = {}
        self.renamed_models_rel = {}
        for app_label, model_name in sorted(self.new_model_keys - self.old_model_keys):
            model_state = self.to_state.models[app_label, model_name]
            fields_def = self.only_relation_agnostic_fields(model_state.fields)
            for rem_app, rem_model in sorted(self.old_model_keys - self.new_model_keys):
                if rem_app != app_label:
                    continue
                rem_state = self.from_state.models[rem_app, rem_model]
                if fields_def != self.only_relation_agnostic_fields(rem_state.fields):
                    continue
                if not self.questioner.ask_rename_model(rem_state, model_state):
                    continue
                dependencies = []
                for field in model_state.fields.values():
                    if relation_target(field) is not None:
                        dependencies.extend(
                            self._get_dependencies_for_foreign_key(
                                app_label, model_name, field
                            )
                        )
                self.add_operation(
                    app_label,
                    ops.RenameModel(old_name=rem_state.name, new_name=model_state.name),
                    dependencies=dependencies,
                )
                self.renamed_models[app_label, model_name] = rem_model
                self.renamed_models_rel[f"{rem_app}.{rem_model}"] = (
                    f"{app_label}.{model_name}"
                )
                self.old_model_keys.remove((rem_app, rem_model))
                self.old_model_keys.add((app_label, model_name))
                break

    def _prepare_field_lists(self) -> None:
        """Compute the models kept on both sides and their field keys."""
        self.kept_model_keys = self.old_model_keys & self.new_model_keys
        self.kept_proxy_keys = self.old_proxy_keys & self.new_proxy_keys
        self.kept_unmanaged_keys = self.old_unmanaged_keys & self.new_unmanaged_keys
        self.through_users = {}
        self.old_field_keys = {
            (app_label, model_name, field_name)
            for app_label, model_name in self.kept_model_keys
            for field_name in self.old_state_of(app_label, model_name).fields
        }
        self.new_field_keys = {
            (app_label, model_name, field_name)
            for app_label, model_name in self.kept_model_keys
            for field_name in self.to_state.models[app_label, model_name].fields
        }

    def _generate_through_model_map(self) -> None:
        """Remember which M2M field uses each explicit through model."""
        for app_label, model_name in sorted(self.old_model_keys):
            old_name = self.renamed_models.get((app_label, model_name), model_name)
            old_state = self.from_state.models[app_label, old_name]
            for field_name, field in old_state.fields.items():
                through = relation_through(field)
                if through is not None:
                    key = resolve_relation(through, app_label, model_name)
                    self.through_users[key] = (app_label, old_name, field_name)

    def generate_created_models(self) -> None:
        """CreateModel for new models; relations are added after every create.

        Relation fields go into separate AddField operations so that models
        pointing at each other can be created; the optimizer folds them back
        into CreateModel when nothing stands in between.
        """
        old_keys = self.old_model_keys | self.old_unmanaged_keys
        added = sorted(self.new_model_keys - old_keys)
        added_unmanaged = sorted(self.new_unmanaged_keys - old_keys)
        for app_label, model_name in chain(added, added_unmanaged):
            self._create_model(app_label, model_name)

    def _create_model(self, app_label: str, model_name: str) -> None:
        ops = operations_module()
        model_state = self.to_state.models[app_label, model_name]
        related_fields: dict[str, Any] = {}
        primary_key_rel = None
        for field_name, field in model_state.fields.items():
            target = relation_target(field)
            if target is not None:
                if field.primary_key:
                    primary_key_rel = target
                elif not getattr(field.remote_field, "parent_link", False):
                    related_fields[field_name] = field
            if relation_through(field) is not None:
                related_fields[field_name] = field
        options = dict(model_state.options)
        indexes = options.pop("indexes", [])
        constraints = options.pop("constraints", [])
        unique_together = options.pop("unique_together", None)
        index_together = options.pop("index_together", None)
        order_with_respect_to = options.pop("order_with_respect_to", None)
        dependencies = [OperationDependency(app_label, model_name, None, REMOVE)]
        dependencies.extend(self._base_dependencies(model_state))
        created = OperationDependency(app_label, model_name, None, CREATE)
        if primary_key_rel is not None:
            pk_app, pk_model = resolve_relation(primary_key_rel, app_label, model_name)
            dependencies.append(OperationDependency(pk_app, pk_model, None, CREATE))
        self.add_operation(
            app_label,
            ops.CreateModel(
                name=model_state.name,
                fields=[
                    item
                    for item in model_state.fields.items()
                    if item[0] not in related_fields
                ],
                options=options,
                bases=model_state.bases,
                managers=model_state.managers,
            ),
            dependencies=dependencies,
            beginning=True,
        )
        if not model_state.options.get("managed", True):
            return
        for name, field in sorted(related_fields.items()):
            field_dependencies = self._get_dependencies_for_foreign_key(
                app_label, model_name, field
            )
            field_dependencies.append(created)
            self.add_operation(
                app_label,
                ops.AddField(model_name=model_name, name=name, field=field),
                dependencies=list(dict.fromkeys(field_dependencies)),
            )
        if order_with_respect_to:
            self.add_operation(
                app_label,
                ops.AlterOrderWithRespectTo(
                    name=model_name, order_with_respect_to=order_with_respect_to
                ),
                dependencies=[
                    OperationDependency(
                        app_label, model_name, order_with_respect_to, CREATE
                    ),
                    created,
                ],
            )
        self._add_model_extras(
            app_label, model_name, related_fields, indexes, constraints,
            unique_together, index_together,
        )  # fmt: skip
        self._repoint_former_proxy(app_label, model_name)

    def _add_model_extras(
        self,
        app_label: str,
        model_name: str,
        related_fields: dict[str, Any],
        indexes: list[Any],
        constraints: list[Any],
        unique_together: Any,
        index_together: Any,
    ) -> None:
        """Indexes, constraints and together-options of a created model."""
        ops = operations_module()
        related_dependencies = [
            OperationDependency(app_label, model_name, name, CREATE)
            for name in sorted(related_fields)
        ]
        related_dependencies.append(
            OperationDependency(app_label, model_name, None, CREATE)
        )
        for index in indexes:
            self.add_operation(
                app_label,
                ops.AddIndex(model_name=model_name, index=index),
                dependencies=related_dependencies,
            )
        for constraint in constraints:
            self.add_operation(
                app_label,
                ops.AddConstraint(model_name=model_name, constraint=constraint),
                dependencies=related_dependencies,
            )
        if unique_together:
            self.add_operation(
                app_label,
                ops.AlterUniqueTogether(model_name, unique_together),
                dependencies=related_dependencies,
            )
        if index_together and hasattr(ops, "AlterIndexTogether"):
            self.add_operation(
                app_label,
                ops.AlterIndexTogether(model_name, index_together),
                dependencies=related_dependencies,
            )

    def _repoint_former_proxy(self, app_label: str, model_name: str) -> None:
        """Alter fields pointing at a model that was a proxy and is now concrete."""
        if (app_label, model_name) not in self.old_proxy_keys:
            return
        ops = operations_module()
        pointing = self.relations(self.to_state).get((app_label, model_name), {})
        for related_key, fields in pointing.items():
            related_state = self.to_state.models[related_key]
            for field_name, field in fields.items():
                self.add_operation(
                    related_state.app_label,
                    ops.AlterField(
                        model_name=related_state.name, name=field_name, field=field
                    ),
                    dependencies=[
                        OperationDependency(app_label, model_name, None, CREATE)
                    ],
                )

    def generate_created_proxies(self) -> None:
        """CreateModel (without fields) for new proxy models."""
        ops = operations_module()
        for app_label, model_name in sorted(self.new_proxy_keys - self.old_proxy_keys):
            model_state = self.to_state.models[app_label, model_name]
            dependencies = [OperationDependency(app_label, model_name, None, REMOVE)]
            dependencies.extend(self._base_dependencies(model_state))
            self.add_operation(
                app_label,
                ops.CreateModel(
                    name=model_state.name,
                    fields=[],
                    options=model_state.options,
                    bases=model_state.bases,
                    managers=model_state.managers,
                ),
                dependencies=dependencies,
            )

    def generate_deleted_models(self) -> None:
        """DeleteModel, after relations to and from the model are gone."""
        new_keys = self.new_model_keys | self.new_unmanaged_keys
        deleted = sorted(self.old_model_keys - new_keys)
        deleted_unmanaged = sorted(self.old_unmanaged_keys - new_keys)
        pointing_at = self.relations(self.from_state)
        for app_label, model_name in chain(deleted, deleted_unmanaged):
            self._delete_model(app_label, model_name, pointing_at)

    def _delete_model(
        self,
        app_label: str,
        model_name: str,
        pointing_at: dict[ModelKey, dict[ModelKey, dict[str, Any]]],
    ) -> None:
        ops = operations_module()
        model_state = self.from_state.models[app_label, model_name]
        related_fields = sorted(
            name
            for name, field in model_state.fields.items()
            if relation_target(field) is not None or relation_through(field) is not None
        )
        if model_state.options.get("unique_together"):
            self.add_operation(
                app_label,
                ops.AlterUniqueTogether(model_name, None),
            )
        if model_state.options.get("index_together") and hasattr(
            ops, "AlterIndexTogether"
        ):
            self.add_operation(app_label, ops.AlterIndexTogether(model_name, None))
        for name in related_fields:
            self.add_operation(
                app_label, ops.RemoveField(model_name=model_name, name=name)
            )
        dependencies: list[OperationDependency] = []
        for (rel_app, rel_model), fields in pointing_at.get(
            (app_label, model_name), {}
        ).items():
            if (rel_app, rel_model) == (app_label, model_name):
                continue
            for field_name, field in fields.items():
                dependencies.append(
                    OperationDependency(rel_app, rel_model, field_name, REMOVE)
                )
                if not getattr(field, "many_to_many", False):
                    dependencies.append(
                        OperationDependency(rel_app, rel_model, field_name, ALTER)
                    )
        dependencies.extend(
            OperationDependency(app_label, model_name, name, REMOVE)
            for name in related_fields
        )
        through_user = self.through_users.get((app_label, model_state.name_lower))
        if through_user is not None:
            dependencies.append(OperationDependency(*through_user, REMOVE))
        self.add_operation(
            app_label,
            ops.DeleteModel(name=model_state.name),
            dependencies=list(dict.fromkeys(dependencies)),
        )

    def generate_deleted_proxies(self) -> None:
        """DeleteModel for proxy models that are gone."""
        ops = operations_module()
        for app_label, model_name in sorted(self.old_proxy_keys - self.new_proxy_keys):
            model_state = self.from_state.models[app_label, model_name]
            self.add_operation(app_label, ops.DeleteModel(name=model_state.name))

    def _models_with_options(self) -> list[ModelKey]:
        return sorted(
            self.kept_model_keys
            | self.kept_proxy_keys
            | self.kept_unmanaged_keys
            | (self.old_unmanaged_keys & self.new_model_keys)
            | (self.old_model_keys & self.new_unmanaged_keys)
        )

    def generate_altered_options(self) -> None:
        """AlterModelOptions when ordering, verbose names, managed... change."""
        ops = operations_module()
        keys = getattr(
            ops.AlterModelOptions, "ALTER_OPTION_KEYS", _DEFAULT_ALTER_OPTION_KEYS
        )
        for app_label, model_name in self._models_with_options():
            old_state = self.old_state_of(app_label, model_name)
            new_state = self.to_state.models[app_label, model_name]
            old = {k: v for k, v in old_state.options.items() if k in keys}
            new = {k: v for k, v in new_state.options.items() if k in keys}
            if old != new:
                self.add_operation(
                    app_label, ops.AlterModelOptions(name=model_name, options=new)
                )

    def generate_altered_managers(self) -> None:
        """AlterModelManagers when the managers used in migrations change."""
        ops = operations_module()
        for app_label, model_name in sorted(
            self.kept_model_keys | self.kept_proxy_keys
        ):
            old_state = self.old_state_of(app_label, model_name)
            new_state = self.to_state.models[app_label, model_name]
            if self._managers_key(old_state) != self._managers_key(new_state):
                self.add_operation(
                    app_label,
                    ops.AlterModelManagers(
                        name=model_name, managers=list(new_state.managers)
                    ),
                )

    def _managers_key(self, model_state: Any) -> list[Any]:
        return [
            (name, type(manager), self.deep_deconstruct(manager))
            for name, manager in model_state.managers
        ]

    def generate_altered_db_table(self) -> None:
        """AlterModelTable when Meta.db_table changes."""
        ops = operations_module()
        for app_label, model_name in sorted(
            self.kept_model_keys | self.kept_unmanaged_keys
        ):
            old = self.old_state_of(app_label, model_name).options.get("db_table")
            new = self.to_state.models[app_label, model_name].options.get("db_table")
            if old != new:
                self.add_operation(
                    app_label, ops.AlterModelTable(name=model_name, table=new)
                )

    def generate_altered_db_table_comment(self) -> None:
        """AlterModelTableComment when Meta.db_table_comment changes."""
        ops = operations_module()
        for app_label, model_name in sorted(
            self.kept_model_keys | self.kept_unmanaged_keys
        ):
            old_state = self.old_state_of(app_label, model_name)
            new_state = self.to_state.models[app_label, model_name]
            old = old_state.options.get("db_table_comment")
            new = new_state.options.get("db_table_comment")
            if old != new:
                self.add_operation(
                    app_label,
                    ops.AlterModelTableComment(name=model_name, table_comment=new),
                )

    def generate_altered_order_with_respect_to(self) -> None:
        """AlterOrderWithRespectTo when Meta.order_with_respect_to changes."""
        ops = operations_module()
        for app_label, model_name in sorted(self.kept_model_keys):
            old = self.old_state_of(app_label, model_name).options.get(
                "order_with_respect_to"
            )
            new = self.to_state.models[app_label, model_name].options.get(
                "order_with_respect_to"
            )
            if old == new:
                continue
            dependencies = []
            if new:
                dependencies.append(
                    OperationDependency(app_label, model_name, new, CREATE)
                )
            self.add_operation(
                app_label,
                ops.AlterOrderWithRespectTo(name=model_name, order_with_respect_to=new),
                dependencies=dependencies,
            )
