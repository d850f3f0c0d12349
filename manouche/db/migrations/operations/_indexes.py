"""Index and constraint operations (exported from ``operations.models``)."""

from __future__ import annotations

from typing import Any

from manouche.db.migrations.operations.base import Operation, OperationCategory
from manouche.utils.functional import cached_property

__all__ = [
    "AddConstraint",
    "AddIndex",
    "IndexOperation",
    "RemoveConstraint",
    "RemoveIndex",
    "RenameIndex",
]


class IndexOperation(Operation):
    """An operation on the indexes or constraints of ``model_name``."""

    option_name = "indexes"
    model_name: str

    @cached_property
    def model_name_lower(self) -> str:
        """Return the model name in lower case."""
        return self.model_name.lower()

    def references_model(self, name: str, app_label: str) -> bool:
        return name.lower() == self.model_name_lower

    def _models(
        self, app_label: str, schema_editor: Any, state: Any
    ) -> tuple[Any, Any] | None:
        """Return (model, model_state) from ``state``, or None if not migrated."""
        model = state.apps.get_model(app_label, self.model_name)
        if not self.allow_migrate_model(schema_editor.connection.alias, model):
            return None
        return model, state.models[app_label, self.model_name_lower]


class AddIndex(IndexOperation):
    """Create a named index."""

    category = OperationCategory.ADDITION

    def __init__(self, model_name: str, index: Any) -> None:
        self.model_name = model_name
        if not getattr(index, "name", None):
            raise ValueError(
                "Indexes passed to AddIndex operations require a name argument. "
                f"{index!r} doesn't have one."
            )
        self.index = index

    def deconstruct(self) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        kwargs = {"model_name": self.model_name, "index": self.index}
        return self.__class__.__qualname__, (), kwargs

    def state_forwards(self, app_label: str, state: Any) -> None:
        state.add_index(app_label, self.model_name_lower, self.index)

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        found = self._models(app_label, schema_editor, to_state)
        if found is not None:
            schema_editor.add_index(found[0], self.index)

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        found = self._models(app_label, schema_editor, from_state)
        if found is not None:
            schema_editor.remove_index(found[0], self.index)

    def describe(self) -> str:
        if self.index.expressions:
            expressions = ", ".join(str(item) for item in self.index.expressions)
            return (
                f"Create index {self.index.name} on {expressions} on model "
                f"{self.model_name}"
            )
        return (
            f"Create index {self.index.name} on field(s) "
            f"{', '.join(self.index.fields)} of model {self.model_name}"
        )

    @property
    def migration_name_fragment(self) -> str:
        return f"{self.model_name_lower}_{self.index.name.lower()}"

    def reduce(self, operation: Operation, app_label: str) -> list[Operation] | bool:
        if isinstance(operation, RemoveIndex) and self.index.name == operation.name:
            return []
        if isinstance(operation, RenameIndex) and self.index.name == operation.old_name:
            index = self.index.clone()
            index.name = operation.new_name
            return [AddIndex(self.model_name, index)]
        return super().reduce(operation, app_label)


class RemoveIndex(IndexOperation):
    """Drop a named index."""

    category = OperationCategory.REMOVAL

    def __init__(self, model_name: str, name: str) -> None:
        self.model_name = model_name
        self.name = name

    def deconstruct(self) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        kwargs = {"model_name": self.model_name, "name": self.name}
        return self.__class__.__qualname__, (), kwargs

    def state_forwards(self, app_label: str, state: Any) -> None:
        state.remove_index(app_label, self.model_name_lower, self.name)

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        found = self._models(app_label, schema_editor, from_state)
        if found is not None:
            model, model_state = found
            schema_editor.remove_index(model, model_state.get_index_by_name(self.name))

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        found = self._models(app_label, schema_editor, to_state)
        if found is not None:
            model, model_state = found
            schema_editor.add_index(model, model_state.get_index_by_name(self.name))

    def describe(self) -> str:
        return f"Remove index {self.name} from {self.model_name}"

    @property
    def migration_name_fragment(self) -> str:
        return f"remove_{self.model_name_lower}_{self.name.lower()}"


class RenameIndex(IndexOperation):
    """Rename an index, found by its old name or by its fields."""

    category = OperationCategory.ALTERATION

    def __init__(
        self,
        model_name: str,
        new_name: str,
        old_name: str | None = None,
        old_fields: tuple[str, ...] | list[str] | None = None,
    ) -> None:
        if not old_name and not old_fields:
            raise ValueError(
                "RenameIndex requires one of old_name and old_fields arguments to "
                "be set."
            )
        if old_name and old_fields:
            raise ValueError(
                "RenameIndex.old_name and old_fields are mutually exclusive."
            )
        self.model_name = model_name
        self.new_name = new_name
        self.old_name = old_name
        self.old_fields = old_fields

    @cached_property
    def old_name_lower(self) -> str:
        """Return the old index name in lower case."""
        return (self.old_name or "").lower()

    @cached_property
    def new_name_lower(self) -> str:
        """Return the new index name in lower case."""
        return self.new_name.lower()

    def deconstruct(self) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        kwargs: dict[str, Any] = {
            "model_name": self.model_name,
            "new_name": self.new_name,
        }
        if self.old_name:
            kwargs["old_name"] = self.old_name
        if self.old_fields:
            kwargs["old_fields"] = self.old_fields
        return self.__class__.__qualname__, (), kwargs

    def state_forwards(self, app_label: str, state: Any) -> None:
        if self.old_fields:
            from manouche.db.models.indexes import Index

            state.add_index(
                app_label,
                self.model_name_lower,
                Index(fields=list(self.old_fields), name=self.new_name),
            )
            state.remove_model_options(
                app_label, self.model_name_lower, "index_together", self.old_fields
            )
        else:
            assert self.old_name is not None
            state.rename_index(
                app_label, self.model_name_lower, self.old_name, self.new_name
            )

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        found = self._models(app_label, schema_editor, to_state)
        if found is None:
            return
        model, to_model_state = found
        if self.old_fields:
            from_model = from_state.apps.get_model(app_label, self.model_name)
            old_index = _unnamed_index(schema_editor, from_model, self.old_fields)
        else:
            from_model_state = from_state.models[app_label, self.model_name_lower]
            old_index = from_model_state.get_index_by_name(self.old_name)
        if old_index.name == self.new_name:
            return
        new_index = to_model_state.get_index_by_name(self.new_name)
        schema_editor.rename_index(model, old_index, new_index)

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        if self.old_fields:
            # The old index had a generated name: keeping the new one is fine.
            return
        assert self.old_name is not None
        backwards = RenameIndex(self.model_name, self.old_name, old_name=self.new_name)
        backwards.database_forwards(app_label, schema_editor, from_state, to_state)

    def describe(self) -> str:
        if self.old_name:
            return (
                f"Rename index {self.old_name} on {self.model_name} to {self.new_name}"
            )
        return (
            f"Rename unnamed index for {self.old_fields} on {self.model_name} to "
            f"{self.new_name}"
        )

    @property
    def migration_name_fragment(self) -> str:
        if self.old_name:
            return f"rename_{self.old_name_lower}_{self.new_name_lower}"
        fields = "_".join(self.old_fields or ())
        return f"rename_{self.model_name_lower}_{fields}_{self.new_name_lower}"

    def reduce(self, operation: Operation, app_label: str) -> list[Operation] | bool:
        if (
            isinstance(operation, RenameIndex)
            and self.model_name_lower == operation.model_name_lower
            and operation.old_name
            and self.new_name_lower == operation.old_name.lower()
        ):
            return [
                RenameIndex(
                    self.model_name,
                    new_name=operation.new_name,
                    old_name=self.old_name,
                    old_fields=self.old_fields,
                )
            ]
        return super().reduce(operation, app_label)


def _unnamed_index(schema_editor: Any, model: Any, fields: Any) -> Any:
    """Find the database's name for the index on ``fields`` of ``model``."""
    from manouche.db.models.indexes import Index

    columns = [model._meta.get_field(name).column for name in fields]
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(
            cursor, model._meta.db_table
        )
    names = [
        name
        for name, info in constraints.items()
        if info.get("index")
        and not info.get("primary_key")
        and list(info.get("columns") or ()) == columns
    ]
    if len(names) != 1:
        raise ValueError(
            f"Found wrong number ({len(names)}) of indexes for "
            f"{model._meta.db_table}({', '.join(columns)})."
        )
    return Index(fields=list(fields), name=names[0])


class AddConstraint(IndexOperation):
    """Create a named constraint (check or unique)."""

    category = OperationCategory.ADDITION
    option_name = "constraints"

    def __init__(self, model_name: str, constraint: Any) -> None:
        self.model_name = model_name
        self.constraint = constraint

    def deconstruct(self) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        kwargs = {"model_name": self.model_name, "constraint": self.constraint}
        return self.__class__.__name__, (), kwargs

    def state_forwards(self, app_label: str, state: Any) -> None:
        state.add_constraint(app_label, self.model_name_lower, self.constraint)

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        found = self._models(app_label, schema_editor, to_state)
        if found is not None:
            schema_editor.add_constraint(found[0], self.constraint)

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        found = self._models(app_label, schema_editor, to_state)
        if found is not None:
            schema_editor.remove_constraint(found[0], self.constraint)

    def describe(self) -> str:
        return f"Create constraint {self.constraint.name} on model {self.model_name}"

    @property
    def migration_name_fragment(self) -> str:
        return f"{self.model_name_lower}_{self.constraint.name.lower()}"

    def reduce(self, operation: Operation, app_label: str) -> list[Operation] | bool:
        if (
            isinstance(operation, RemoveConstraint)
            and self.model_name_lower == operation.model_name_lower
            and self.constraint.name == operation.name
        ):
            return []
        return super().reduce(operation, app_label)


class RemoveConstraint(IndexOperation):
    """Drop a named constraint."""

    category = OperationCategory.REMOVAL
    option_name = "constraints"

    def __init__(self, model_name: str, name: str) -> None:
        self.model_name = model_name
        self.name = name

    def deconstruct(self) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        kwargs = {"model_name": self.model_name, "name": self.name}
        return self.__class__.__name__, (), kwargs

    def state_forwards(self, app_label: str, state: Any) -> None:
        state.remove_constraint(app_label, self.model_name_lower, self.name)

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        found = self._models(app_label, schema_editor, to_state)
        if found is not None:
            from_model_state = from_state.models[app_label, self.model_name_lower]
            constraint = from_model_state.get_constraint_by_name(self.name)
            schema_editor.remove_constraint(found[0], constraint)

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        found = self._models(app_label, schema_editor, to_state)
        if found is not None:
            model, model_state = found
            constraint = model_state.get_constraint_by_name(self.name)
            schema_editor.add_constraint(model, constraint)

    def describe(self) -> str:
        return f"Remove constraint {self.name} from model {self.model_name}"

    @property
    def migration_name_fragment(self) -> str:
        return f"remove_{self.model_name_lower}_{self.name.lower()}"
