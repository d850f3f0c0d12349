"""Helpers for schema editor tests: model versions, fields, raw reads."""

from __future__ import annotations

from typing import Any

from manouche.apps.registry import Apps

__all__ = [
    "APP_LABEL",
    "columns",
    "constraint_kinds",
    "constraints",
    "edit",
    "field_named",
    "make_model",
    "new_registry",
    "quoted",
    "rows",
]

APP_LABEL = "custom_label"


def field_named(field: Any, name: str, model: Any) -> Any:
    """Give a free-standing field its name and model, as a migration would."""
    field.set_attributes_from_name(name)
    field.model = model
    return field


def rows(database: Any, sql: str) -> list[tuple[Any, ...]]:
    """Return the rows of a raw query, as tuples."""
    with database.connection.cursor() as cursor:
        cursor.execute(sql)
        return [tuple(row) for row in cursor.fetchall()]


def columns(database: Any, table: str) -> dict[str, Any]:
    """Return ``{name: FieldInfo}`` for ``table``."""
    connection = database.connection
    with connection.cursor() as cursor:
        description = connection.introspection.get_table_description(cursor, table)
    return {info.name: info for info in description}


def constraints(database: Any, table: str) -> dict[str, Any]:
    """Return the introspected constraints of ``table``."""
    connection = database.connection
    with connection.cursor() as cursor:
        return connection.introspection.get_constraints(cursor, table)  # type: ignore[no-any-return]


def constraint_kinds(database: Any, table: str, column: str) -> set[str]:
    """Name what covers exactly ``column``: unique, index, fk, pk."""
    kinds = set()
    for info in constraints(database, table).values():
        if info["columns"] != [column]:
            continue
        if info["primary_key"]:
            kinds.add("pk")
        elif info["unique"]:
            kinds.add("unique")
        elif info["index"] and not info["foreign_key"]:
            kinds.add("index")
        if info["foreign_key"]:
            kinds.add("fk")
    return kinds


def quoted(database: Any, name: str) -> str:
    """Quote an identifier for raw SQL."""
    return str(database.connection.ops.quote_name(name))


def new_registry() -> Apps:
    """An app registry standing for one project state."""
    return Apps(["tests.apps.custom_label"])


def make_model(apps: Apps, name: str, fields: dict[str, Any], **meta: Any) -> Any:
    """Declare model ``name`` in ``apps`` (one version of a model's history)."""
    from manouche.db import models

    options = {"app_label": APP_LABEL, "apps": apps, **meta}
    attrs: dict[str, Any] = {
        "__module__": __name__,
        "Meta": type("Meta", (), options),
        **fields,
    }
    return type(name, (models.Model,), attrs)


def edit(database: Any, **kwargs: Any) -> Any:
    """Open the connection's schema editor."""
    return database.connection.schema_editor(**kwargs)
