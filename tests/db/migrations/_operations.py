"""Helpers for the operation tests: run an operation and look at the schema."""

from __future__ import annotations

from typing import Any

from manouche.db import connections, models
from manouche.db.migrations import CreateModel
from manouche.db.migrations.state import ProjectState

APP = "mig"


def apply(operation: Any, state: ProjectState, *, atomic: bool = True) -> ProjectState:
    """Run ``operation`` forwards on the default database; return the new state."""
    new_state = state.clone()
    operation.state_forwards(APP, new_state)
    with connections["default"].schema_editor(atomic=atomic) as editor:
        operation.database_forwards(APP, editor, state, new_state)
    return new_state


def unapply(
    operation: Any, before: ProjectState, after: ProjectState, *, atomic: bool = True
) -> None:
    """Run ``operation`` backwards (``after`` -> ``before``)."""
    with connections["default"].schema_editor(atomic=atomic) as editor:
        operation.database_backwards(APP, editor, after, before)


def tables() -> set[str]:
    """Return the table names of the default database."""
    return set(connections["default"].introspection.table_names())


def columns(table: str) -> dict[str, Any]:
    """Return ``{column name: FieldInfo}`` of ``table``."""
    connection = connections["default"]
    with connection.cursor() as cursor:
        description = connection.introspection.get_table_description(cursor, table)
    return {info.name: info for info in description}


def constraints(table: str) -> dict[str, Any]:
    """Return the introspected constraints and indexes of ``table``."""
    connection = connections["default"]
    with connection.cursor() as cursor:
        return dict(connection.introspection.get_constraints(cursor, table))


def index_names(table: str) -> set[str]:
    """Return the names of the non-primary-key indexes of ``table``."""
    return {
        name
        for name, info in constraints(table).items()
        if info.get("index") and not info.get("primary_key")
    }


def pony_operations() -> list[Any]:
    """Create ``Pony`` and a ``Rider`` pointing at it."""
    return [
        CreateModel(
            "Pony",
            [
                ("id", models.AutoField(primary_key=True)),
                ("pink", models.IntegerField(default=3)),
                ("weight", models.FloatField(null=True)),
            ],
        ),
        CreateModel(
            "Rider",
            [
                ("id", models.AutoField(primary_key=True)),
                ("name", models.CharField(max_length=50, default="")),
                (
                    "pony",
                    models.ForeignKey(
                        f"{APP}.Pony", on_delete=models.CASCADE, null=True
                    ),
                ),
            ],
        ),
    ]


def pony_state() -> ProjectState:
    """Create the pony tables on the database and return their state."""
    state = ProjectState()
    for operation in pony_operations():
        state = apply(operation, state)
    return state
