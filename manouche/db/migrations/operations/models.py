"""Operations on whole models: create, delete, rename, table and Meta options.

Index and constraint operations live in ``_indexes`` and are re-exported
here, where Django keeps them.
"""

from __future__ import annotations

from typing import Any

from manouche.db.migrations.operations._indexes import (
    AddConstraint,
    AddIndex,
    IndexOperation,
    RemoveConstraint,
    RemoveIndex,
    RenameIndex,
)
from manouche.db.migrations.operations.base import Operation, OperationCategory
from manouche.db.migrations.operations.fields import (
    AddField,
    AlterField,
    FieldOperation,
    RemoveField,
    RenameField,
)
from manouche.db.migrations.state import ModelState
from manouche.db.migrations.utils import field_references, resolve_relation
from manouche.db.models.options import normalize_together
from manouche.utils.functional import cached_property

__all__ = [
    "AddConstraint",
    "AddIndex",
    "AlterIndexTogether",
    "AlterModelManagers",
    "AlterModelOptions",
    "AlterModelTable",
    "AlterModelTableComment",
    "AlterOrderWithRespectTo",
    "AlterTogetherOptionOperation",
    "AlterUniqueTogether",
    "CreateModel",
    "DeleteModel",
    "IndexOperation",
    "ModelOperation",
    "ModelOptionOperation",
    "RemoveConstraint",
    "RemoveIndex",
    "RenameIndex",
    "RenameModel",
]


def _check_for_duplicates(arg_name: str, objs: Any) -> None:
    used: set[Any] = set()
    for value in objs:
        if value in used:
            raise ValueError(
                f"Found duplicate value {value} in CreateModel {arg_name} argument."
            )
        used.add(value)


def _follows_rename(step: Operation, operation: Operation, app_label: str) -> bool:
    """Tell whether ``step`` names the model that ``operation`` renames.

    Such a step cannot move across the rename: it would be left pointing at
    a model name that no longer exists (or does not exist yet).
    """
    return isinstance(operation, RenameModel) and step.references_model(
        operation.old_name, app_label
    )


def _default_bases() -> tuple[Any, ...]:
    from manouche.db.models import Model

    return (Model,)


class ModelOperation(Operation):
    """An operation on the model called ``name``."""

    def __init__(self, name: str) -> None:
        self.name = name

    @cached_property
    def name_lower(self) -> str:
        """Return the model name in lower case."""
        return self.name.lower()

    def references_model(self, name: str, app_label: str) -> bool:
        return name.lower() == self.name_lower

    def reduce(self, operation: Operation, app_label: str) -> list[Operation] | bool:
        return super().reduce(operation, app_label) or self.can_reduce_through(
            operation, app_label
        )

    def can_reduce_through(self, operation: Operation, app_label: str) -> bool:
        """Tell whether ``operation`` may be moved across this one."""
        if _follows_rename(self, operation, app_label):
            return False
        return not operation.references_model(self.name, app_label)


class CreateModel(ModelOperation):
    """Create a model's table (and its auto-created many-to-many tables)."""

    category = OperationCategory.ADDITION
    serialization_expand_args = ["fields", "options", "managers"]

    def __init__(
        self,
        name: str,
        fields: list[tuple[str, Any]],
        options: dict[str, Any] | None = None,
        bases: tuple[Any, ...] | None = None,
        managers: list[tuple[str, Any]] | None = None,
    ) -> None:
        self.fields = list(fields)
        self.options = dict(options or {})
        self.bases = tuple(bases or _default_bases())
        self.managers = list(managers or [])
        super().__init__(name)
        _check_for_duplicates("fields", (name for name, _ in self.fields))
        _check_for_duplicates(
            "bases",
            (
                base._meta.label_lower
                if hasattr(base, "_meta")
                else base.lower()
                if isinstance(base, str)
                else base
                for base in self.bases
            ),
        )
        _check_for_duplicates("managers", (name for name, _ in self.managers))

    def deconstruct(self) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        kwargs: dict[str, Any] = {"name": self.name, "fields": self.fields}
        if self.options:
            kwargs["options"] = self.options
        if self.bases and self.bases != _default_bases():
            kwargs["bases"] = self.bases
        if self.managers and not _only_default_manager(self.managers):
            kwargs["managers"] = self.managers
        return self.__class__.__qualname__, (), kwargs

    def state_forwards(self, app_label: str, state: Any) -> None:
        state.add_model(
            ModelState(
                app_label,
                self.name,
                list(self.fields),
                dict(self.options),
                tuple(self.bases),
                list(self.managers),
            )
        )

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        model = to_state.apps.get_model(app_label, self.name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            schema_editor.create_model(model)

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        model = from_state.apps.get_model(app_label, self.name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            schema_editor.delete_model(model)

    def describe(self) -> str:
        proxy = "proxy " if self.options.get("proxy", False) else ""
        return f"Create {proxy}model {self.name}"

    @property
    def migration_name_fragment(self) -> str:
        return self.name_lower

    def references_model(self, name: str, app_label: str) -> bool:
        name_lower = name.lower()
        if name_lower == self.name_lower:
            return True
        reference = (app_label, name_lower)
        model_base = _default_bases()[0]
        for base in self.bases:
            if base is model_base:
                continue
            if (isinstance(base, str) or hasattr(base, "_meta")) and resolve_relation(
                base, app_label
            ) == reference:
                return True
        return any(
            field_references((app_label, self.name_lower), field, reference)
            for _, field in self.fields
        )

    def reduce(self, operation: Operation, app_label: str) -> list[Operation] | bool:
        if isinstance(operation, ModelOperation) and (
            self.name_lower == operation.name_lower
        ):
            folded = self._reduce_model_operation(operation)
            if folded is not None:
                return folded
        if (
            isinstance(operation, FieldOperation)
            and self.name_lower == operation.model_name_lower
        ):
            folded = self._reduce_field_operation(operation)
            if folded is not None:
                return folded
        return super().reduce(operation, app_label)

    def _copy(self, **changes: Any) -> CreateModel:
        values: dict[str, Any] = {
            "name": self.name,
            "fields": self.fields,
            "options": self.options,
            "bases": self.bases,
            "managers": self.managers,
        }
        values.update(changes)
        return CreateModel(**values)

    def _reduce_model_operation(self, operation: Operation) -> list[Operation] | None:
        if isinstance(operation, DeleteModel) and not self.options.get("proxy"):
            return []
        if isinstance(operation, RenameModel):
            return [self._copy(name=operation.new_name)]
        if isinstance(operation, AlterModelOptions):
            options = {**self.options, **operation.options}
            for key in operation.ALTER_OPTION_KEYS:
                if key not in operation.options:
                    options.pop(key, None)
            return [self._copy(options=options)]
        if isinstance(operation, AlterModelManagers):
            return [self._copy(managers=operation.managers)]
        if isinstance(operation, AlterModelTable):
            return [self._copy(options={**self.options, "db_table": operation.table})]
        if isinstance(operation, AlterModelTableComment):
            options = {**self.options, "db_table_comment": operation.table_comment}
            return [self._copy(options=options)]
        if isinstance(operation, AlterTogetherOptionOperation):
            options = {**self.options, operation.option_name: operation.option_value}
            return [self._copy(options=options)]
        if isinstance(operation, AlterOrderWithRespectTo):
            options = {
                **self.options,
                "order_with_respect_to": operation.order_with_respect_to,
            }
            return [self._copy(options=options)]
        return None

    def _reduce_field_operation(
        self, operation: FieldOperation
    ) -> list[Operation] | None:
        if isinstance(operation, AddField):
            return [
                self._copy(fields=[*self.fields, (operation.name, operation.field)])
            ]
        if isinstance(operation, AlterField):
            fields = [
                (name, operation.field if name == operation.name else field)
                for name, field in self.fields
            ]
            return [self._copy(fields=fields)]
        if isinstance(operation, RemoveField):
            return [self._without_field(operation.name_lower)]
        if isinstance(operation, RenameField):
            return [self._with_renamed_field(operation.old_name, operation.new_name)]
        return None

    def _without_field(self, name_lower: str) -> CreateModel:
        options = dict(self.options)
        for option in ("unique_together", "index_together"):
            together = options.pop(option, None)
            if together:
                kept = {
                    tuple(name for name in fields if name.lower() != name_lower)
                    for fields in normalize_together(together)
                }
                kept = {fields for fields in kept if fields}
                if kept:
                    options[option] = kept
        order = options.get("order_with_respect_to")
        if order and order.lower() == name_lower:
            del options["order_with_respect_to"]
        fields = [
            (name, field) for name, field in self.fields if name.lower() != name_lower
        ]
        return self._copy(fields=fields, options=options)

    def _with_renamed_field(self, old_name: str, new_name: str) -> CreateModel:
        options = dict(self.options)
        for option in ("unique_together", "index_together"):
            together = options.get(option)
            if together:
                options[option] = {
                    tuple(new_name if name == old_name else name for name in fields)
                    for fields in normalize_together(together)
                }
        if options.get("order_with_respect_to") == old_name:
            options["order_with_respect_to"] = new_name
        fields = [
            (new_name if name == old_name else name, field)
            for name, field in self.fields
        ]
        return self._copy(fields=fields, options=options)


def _only_default_manager(managers: list[tuple[str, Any]]) -> bool:
    from manouche.db.models.manager import Manager

    if len(managers) != 1:
        return False
    name, manager = managers[0]
    return name == "objects" and type(manager) is Manager and manager == Manager()


class DeleteModel(ModelOperation):
    """Drop a model's table."""

    category = OperationCategory.REMOVAL

    def deconstruct(self) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        return self.__class__.__qualname__, (), {"name": self.name}

    def state_forwards(self, app_label: str, state: Any) -> None:
        state.remove_model(app_label, self.name_lower)

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        model = from_state.apps.get_model(app_label, self.name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            schema_editor.delete_model(model)

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        model = to_state.apps.get_model(app_label, self.name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            schema_editor.create_model(model)

    def references_model(self, name: str, app_label: str) -> bool:
        # The deleted model may have pointed at ``name`` through its fields.
        return True

    def describe(self) -> str:
        return f"Delete model {self.name}"

    @property
    def migration_name_fragment(self) -> str:
        return f"delete_{self.name_lower}"


class RenameModel(ModelOperation):
    """Rename a model: its table, the keys pointing at it, its M2M tables."""

    category = OperationCategory.ALTERATION

    def __init__(self, old_name: str, new_name: str) -> None:
        self.old_name = old_name
        self.new_name = new_name
        super().__init__(old_name)

    @cached_property
    def old_name_lower(self) -> str:
        """Return the old name in lower case."""
        return self.old_name.lower()

    @cached_property
    def new_name_lower(self) -> str:
        """Return the new name in lower case."""
        return self.new_name.lower()

    def deconstruct(self) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        kwargs = {"old_name": self.old_name, "new_name": self.new_name}
        return self.__class__.__qualname__, (), kwargs

    def state_forwards(self, app_label: str, state: Any) -> None:
        state.rename_model(app_label, self.old_name, self.new_name)

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        new_model = to_state.apps.get_model(app_label, self.new_name)
        if not self.allow_migrate_model(schema_editor.connection.alias, new_model):
            return
        old_model = from_state.apps.get_model(app_label, self.old_name)
        old_table = old_model._meta.db_table
        new_table = new_model._meta.db_table
        if old_table == new_table:
            return
        schema_editor.alter_db_table(new_model, old_table, new_table)
        for related in old_model._meta.related_objects:
            if related.related_model == old_model:
                model = new_model
                key = (app_label, self.new_name_lower)
            else:
                model = related.related_model
                key = (model._meta.app_label, model._meta.model_name)
            to_field = to_state.apps.get_model(*key)._meta.get_field(related.field.name)
            schema_editor.alter_field(model, related.field, to_field)
        pairs = zip(
            old_model._meta.local_many_to_many,
            new_model._meta.local_many_to_many,
            strict=False,
        )
        for old_field, new_field in pairs:
            new_through = new_field.remote_field.through
            if (
                new_field.model == new_field.related_model
                or not new_through._meta.auto_created
            ):
                continue
            old_through = old_field.remote_field.through
            schema_editor.alter_db_table(
                new_through, old_through._meta.db_table, new_through._meta.db_table
            )
            schema_editor.alter_field(
                new_through,
                old_through._meta.get_field(old_model._meta.model_name),
                new_through._meta.get_field(new_model._meta.model_name),
            )

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        backwards = RenameModel(self.new_name, self.old_name)
        backwards.database_forwards(app_label, schema_editor, from_state, to_state)

    def references_model(self, name: str, app_label: str) -> bool:
        return name.lower() in (self.old_name_lower, self.new_name_lower)

    def describe(self) -> str:
        return f"Rename model {self.old_name} to {self.new_name}"

    @property
    def migration_name_fragment(self) -> str:
        return f"rename_{self.old_name_lower}_{self.new_name_lower}"

    def reduce(self, operation: Operation, app_label: str) -> list[Operation] | bool:
        if (
            isinstance(operation, RenameModel)
            and self.new_name_lower == operation.old_name_lower
        ):
            return [RenameModel(self.old_name, operation.new_name)]
        # Operations after the rename name the model by its new name.
        return Operation.reduce(
            self, operation, app_label
        ) or not operation.references_model(self.new_name, app_label)


class ModelOptionOperation(ModelOperation):
    """An operation changing one Meta option: a later one replaces it."""

    category = OperationCategory.ALTERATION

    def reduce(self, operation: Operation, app_label: str) -> list[Operation] | bool:
        if (
            isinstance(operation, (self.__class__, DeleteModel))
            and self.name_lower == operation.name_lower
        ):
            return [operation]
        return super().reduce(operation, app_label)


class AlterModelTable(ModelOptionOperation):
    """Rename a model's table (``table=None`` restores the default name)."""

    def __init__(self, name: str, table: str | None) -> None:
        self.table = table
        super().__init__(name)

    def deconstruct(self) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        kwargs = {"name": self.name, "table": self.table}
        return self.__class__.__qualname__, (), kwargs

    def state_forwards(self, app_label: str, state: Any) -> None:
        state.alter_model_table(app_label, self.name_lower, self.table)

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        new_model = to_state.apps.get_model(app_label, self.name)
        if not self.allow_migrate_model(schema_editor.connection.alias, new_model):
            return
        old_model = from_state.apps.get_model(app_label, self.name)
        schema_editor.alter_db_table(
            new_model, old_model._meta.db_table, new_model._meta.db_table
        )
        pairs = zip(
            old_model._meta.local_many_to_many,
            new_model._meta.local_many_to_many,
            strict=False,
        )
        for old_field, new_field in pairs:
            new_through = new_field.remote_field.through
            if new_through._meta.auto_created:
                schema_editor.alter_db_table(
                    new_through,
                    old_field.remote_field.through._meta.db_table,
                    new_through._meta.db_table,
                )

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        self.database_forwards(app_label, schema_editor, from_state, to_state)

    def describe(self) -> str:
        return f"Rename table for {self.name} to {self.table or '(default)'}"

    @property
    def migration_name_fragment(self) -> str:
        return f"alter_{self.name_lower}_table"


class AlterModelTableComment(ModelOptionOperation):
    """Set or clear a model's table comment."""

    def __init__(self, name: str, table_comment: str | None) -> None:
        self.table_comment = table_comment
        super().__init__(name)

    def deconstruct(self) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        kwargs = {"name": self.name, "table_comment": self.table_comment}
        return self.__class__.__qualname__, (), kwargs

    def state_forwards(self, app_label: str, state: Any) -> None:
        state.alter_model_table_comment(app_label, self.name_lower, self.table_comment)

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        new_model = to_state.apps.get_model(app_label, self.name)
        if not self.allow_migrate_model(schema_editor.connection.alias, new_model):
            return
        old_model = from_state.apps.get_model(app_label, self.name)
        schema_editor.alter_db_table_comment(
            new_model,
            old_model._meta.db_table_comment,
            new_model._meta.db_table_comment,
        )

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        self.database_forwards(app_label, schema_editor, from_state, to_state)

    def describe(self) -> str:
        return f"Alter {self.name} table comment"

    @property
    def migration_name_fragment(self) -> str:
        return f"alter_{self.name_lower}_table_comment"


class AlterTogetherOptionOperation(ModelOptionOperation):
    """Change ``unique_together`` or ``index_together``."""

    option_name: str = ""

    def __init__(self, name: str, option_value: Any) -> None:
        if option_value:
            option_value = {tuple(item) for item in normalize_together(option_value)}
        self.option_value: set[tuple[str, ...]] = option_value or set()
        setattr(self, self.option_name, self.option_value)
        super().__init__(name)

    def deconstruct(self) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        kwargs = {"name": self.name, self.option_name: self.option_value}
        return self.__class__.__qualname__, (), kwargs

    def state_forwards(self, app_label: str, state: Any) -> None:
        state.alter_model_options(
            app_label, self.name_lower, {self.option_name: self.option_value}
        )

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        new_model = to_state.apps.get_model(app_label, self.name)
        if not self.allow_migrate_model(schema_editor.connection.alias, new_model):
            return
        old_model = from_state.apps.get_model(app_label, self.name)
        alter = getattr(schema_editor, f"alter_{self.option_name}")
        alter(
            new_model,
            getattr(old_model._meta, self.option_name, set()),
            getattr(new_model._meta, self.option_name, set()),
        )

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        self.database_forwards(app_label, schema_editor, from_state, to_state)

    def references_field(self, model_name: str, name: str, app_label: str) -> bool:
        return self.references_model(model_name, app_label) and (
            not self.option_value or any(name in fields for fields in self.option_value)
        )

    def describe(self) -> str:
        count = len(self.option_value or "")
        return f"Alter {self.option_name} for {self.name} ({count} constraint(s))"

    @property
    def migration_name_fragment(self) -> str:
        return f"alter_{self.name_lower}_{self.option_name}"

    def can_reduce_through(self, operation: Operation, app_label: str) -> bool:
        return super().can_reduce_through(operation, app_label) or (
            isinstance(operation, AlterTogetherOptionOperation)
            and type(operation) is not type(self)
        )


class AlterUniqueTogether(AlterTogetherOptionOperation):
    """Change ``unique_together`` (a set of field-name tuples)."""

    option_name = "unique_together"

    def __init__(self, name: str, unique_together: Any) -> None:
        # Named like the keyword deconstruct() writes into migration files.
        super().__init__(name, unique_together)


class AlterIndexTogether(AlterTogetherOptionOperation):
    """Change the legacy ``index_together`` option (state only).

    ``index_together`` is gone from ``class Meta``; old migrations still
    carry it, so the state records it and the database is left alone.
    """

    option_name = "index_together"

    def __init__(self, name: str, index_together: Any) -> None:
        # Named like the keyword deconstruct() writes into migration files.
        super().__init__(name, index_together)

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        """Leave the database alone (see the class docstring)."""


class AlterOrderWithRespectTo(ModelOptionOperation):
    """Change ``order_with_respect_to`` (and the ``_order`` column with it)."""

    option_name = "order_with_respect_to"

    def __init__(self, name: str, order_with_respect_to: str | None) -> None:
        self.order_with_respect_to = order_with_respect_to
        super().__init__(name)

    def deconstruct(self) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        kwargs = {
            "name": self.name,
            "order_with_respect_to": self.order_with_respect_to,
        }
        return self.__class__.__qualname__, (), kwargs

    def state_forwards(self, app_label: str, state: Any) -> None:
        state.alter_model_options(
            app_label,
            self.name_lower,
            {self.option_name: self.order_with_respect_to},
        )

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        to_model = to_state.apps.get_model(app_label, self.name)
        if not self.allow_migrate_model(schema_editor.connection.alias, to_model):
            return
        from_model = from_state.apps.get_model(app_label, self.name)
        from_order = _order_field(from_model)
        to_order = _order_field(to_model)
        if from_order is not None and to_order is None:
            schema_editor.remove_field(from_model, from_order)
        elif to_order is not None and from_order is None:
            from manouche.db.models.fields import NOT_PROVIDED

            if to_order.default is NOT_PROVIDED:
                to_order.default = 0
            schema_editor.add_field(from_model, to_order)

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        self.database_forwards(app_label, schema_editor, from_state, to_state)

    def references_field(self, model_name: str, name: str, app_label: str) -> bool:
        return self.references_model(model_name, app_label) and (
            self.order_with_respect_to is None or name == self.order_with_respect_to
        )

    def describe(self) -> str:
        return (
            f"Set order_with_respect_to on {self.name} to {self.order_with_respect_to}"
        )

    @property
    def migration_name_fragment(self) -> str:
        return f"alter_{self.name_lower}_order_with_respect_to"


def _order_field(model: Any) -> Any:
    """Return the model's ``_order`` field, if the model layer made one."""
    from manouche.core.exceptions import FieldDoesNotExist

    try:
        return model._meta.get_field("_order")
    except FieldDoesNotExist:
        return None


class AlterModelOptions(ModelOptionOperation):
    """Change Meta options that need no database change (state only)."""

    ALTER_OPTION_KEYS = [
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

    def __init__(self, name: str, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__(name)

    def deconstruct(self) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        kwargs = {"name": self.name, "options": self.options}
        return self.__class__.__qualname__, (), kwargs

    def state_forwards(self, app_label: str, state: Any) -> None:
        state.alter_model_options(
            app_label, self.name_lower, self.options, self.ALTER_OPTION_KEYS
        )

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        """Nothing to do on the database."""

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        """Nothing to do on the database."""

    def describe(self) -> str:
        return f"Change Meta options on {self.name}"

    @property
    def migration_name_fragment(self) -> str:
        return f"alter_{self.name_lower}_options"


class AlterModelManagers(ModelOptionOperation):
    """Change the managers historical models get (state only)."""

    serialization_expand_args = ["managers"]

    def __init__(self, name: str, managers: list[tuple[str, Any]]) -> None:
        self.managers = managers
        super().__init__(name)

    def deconstruct(self) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        return self.__class__.__qualname__, (self.name, self.managers), {}

    def state_forwards(self, app_label: str, state: Any) -> None:
        state.alter_model_managers(app_label, self.name_lower, self.managers)

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        """Nothing to do on the database."""

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        """Nothing to do on the database."""

    def describe(self) -> str:
        return f"Change managers on {self.name}"

    @property
    def migration_name_fragment(self) -> str:
        return f"alter_{self.name_lower}_managers"
