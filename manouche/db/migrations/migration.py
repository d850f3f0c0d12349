"""The ``Migration`` base class that every migration file subclasses."""

from __future__ import annotations

import re
from typing import Any

from manouche.db.migrations.exceptions import IrreversibleError
from manouche.db.transaction import atomic

__all__ = ["Migration", "SwappableTuple", "swappable_dependency"]


class Migration:
    """A named list of operations and the migrations it must follow.

    Subclasses declare ``operations``, ``dependencies`` (``(app_label,
    name)`` pairs), ``run_before``, ``replaces`` (for squashed migrations),
    ``initial`` and ``atomic`` as class attributes; instances copy the lists
    so that the loader may rewrite them without touching the class.
    """

    operations: list[Any] = []
    dependencies: list[tuple[str, str]] = []
    run_before: list[tuple[str, str]] = []
    replaces: list[tuple[str, str]] = []
    initial: bool | None = None
    atomic: bool = True

    def __init__(self, name: str, app_label: str) -> None:
        self.name = name
        self.app_label = app_label
        cls = type(self)
        self.operations = list(cls.operations)
        self.dependencies = list(cls.dependencies)
        self.run_before = list(cls.run_before)
        self.replaces = list(cls.replaces)

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Migration)
            and self.name == other.name
            and self.app_label == other.app_label
        )

    def __hash__(self) -> int:
        return hash(f"{self.app_label}.{self.name}")

    def __repr__(self) -> str:
        return f"<Migration {self.app_label}.{self.name}>"

    def __str__(self) -> str:
        return f"{self.app_label}.{self.name}"

    def mutate_state(self, project_state: Any, preserve: bool = True) -> Any:
        """Return the project state after this migration's operations."""
        new_state = project_state.clone() if preserve else project_state
        for operation in self.operations:
            operation.state_forwards(self.app_label, new_state)
        return new_state

    def apply(
        self, project_state: Any, schema_editor: Any, collect_sql: bool = False
    ) -> Any:
        """Run every operation forwards; return the state after them."""
        for operation in self.operations:
            if collect_sql and self._note_sql(operation, schema_editor):
                continue
            old_state = project_state.clone()
            operation.state_forwards(self.app_label, project_state)
            self._run(
                operation,
                schema_editor,
                operation.database_forwards,
                old_state,
                project_state,
            )
        return project_state

    def unapply(
        self, project_state: Any, schema_editor: Any, collect_sql: bool = False
    ) -> Any:
        """Run every operation backwards; return the state before them.

        The states each operation saw going forwards are rebuilt first, so
        an irreversible operation is reported before anything is undone.
        """
        steps: list[tuple[Any, Any, Any]] = []
        new_state = project_state
        for operation in self.operations:
            if not operation.reversible:
                raise IrreversibleError(
                    f"Operation {operation} in {self} is not reversible"
                )
            new_state = new_state.clone()
            old_state = new_state.clone()
            operation.state_forwards(self.app_label, new_state)
            steps.insert(0, (operation, old_state, new_state))
        for operation, to_state, from_state in steps:
            if collect_sql and self._note_sql(operation, schema_editor):
                continue
            self._run(
                operation,
                schema_editor,
                operation.database_backwards,
                from_state,
                to_state,
            )
        return project_state

    def _note_sql(self, operation: Any, schema_editor: Any) -> bool:
        """Write the operation's heading into collected SQL; True to skip it."""
        schema_editor.collected_sql.append("--")
        schema_editor.collected_sql.append(f"-- {operation.describe()}")
        schema_editor.collected_sql.append("--")
        if not operation.reduces_to_sql:
            schema_editor.collected_sql.append(
                "-- THIS OPERATION CANNOT BE WRITTEN AS SQL"
            )
            return True
        return False

    def _run(
        self,
        operation: Any,
        schema_editor: Any,
        method: Any,
        from_state: Any,
        to_state: Any,
    ) -> None:
        """Run one operation, in its own transaction where it asks for one."""
        wants_atomic = operation.atomic or (
            self.atomic and operation.atomic is not False
        )
        try:
            if not schema_editor.atomic_migration and wants_atomic:
                with atomic(schema_editor.connection.alias):
                    method(self.app_label, schema_editor, from_state, to_state)
            else:
                method(self.app_label, schema_editor, from_state, to_state)
        except Exception as exc:
            # Name the failing step for the executor and the migrate command.
            exc.add_note(f"In migration {self}, operation: {operation.describe()}")
            raise

    def suggest_name(self) -> str:
        """Name a new migration after what its operations do."""
        if self.initial:
            return "initial"
        names = [operation.migration_name_fragment for operation in self.operations]
        if not names or None in names:
            return "auto"
        name = "_".join(sorted(names)) if len(names) > 1 else names[0]
        if len(name) > 52:
            name = f"{names[0]}_and_more"
        return re.sub(r"\W", "", name) or "auto"


class SwappableTuple(tuple[str, str]):
    """A dependency tuple that remembers the setting it was derived from."""

    setting: str

    def __new__(cls, value: tuple[str, str], setting: str) -> SwappableTuple:
        self = super().__new__(cls, value)
        self.setting = setting
        return self


def swappable_dependency(value: str) -> SwappableTuple:
    """Depend on the first migration of the app behind a swappable model."""
    return SwappableTuple((value.split(".", 1)[0], "__first__"), value)
