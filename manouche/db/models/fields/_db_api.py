"""The database-facing field API Django code calls: column types and columns.

manouche builds columns from SQLAlchemy types (``sa_type()``); these methods
render those types for one connection's dialect, so third-party code asking
``field.db_type(connection)`` gets the same text the schema editor writes.
"""

from __future__ import annotations

import copy
from typing import Any

import sqlalchemy as sa


class FieldDatabaseAPI:
    """Column type text, column references and form fields of a model field."""

    # -- column types -------------------------------------------------------
    def db_type(self, connection: Any) -> str | None:
        """Return the column type on ``connection``, or None without a column."""
        try:
            column_type = self.sa_type()  # type: ignore[attr-defined]
        except NotImplementedError:
            return None
        return _compile(column_type, connection)

    def rel_db_type(self, connection: Any) -> str | None:
        """Return the column type of a foreign key pointing at this field.

        Auto-incrementing keys are referenced by a plain integer of their size.
        """
        try:
            column_type = self.rel_sa_type()  # type: ignore[attr-defined]
        except NotImplementedError:
            return None
        return _compile(column_type, connection)

    def cast_db_type(self, connection: Any) -> str | None:
        """Return the type used in ``CAST(... AS type)`` for this field."""
        return self.db_type(connection)

    def db_type_parameters(self, connection: Any) -> dict[str, Any]:
        """Return the attributes a column type template may interpolate."""
        return dict(vars(self))

    def db_check(self, connection: Any) -> str | None:
        """Return an extra column CHECK clause (none by default)."""
        return None

    def db_parameters(self, connection: Any) -> dict[str, Any]:
        """Return the column's ``type``, ``check`` and ``collation``."""
        return {
            "type": self.db_type(connection),
            "check": self.db_check(connection),
            "collation": getattr(self, "db_collation", None),
        }

    def db_type_suffix(self, connection: Any) -> str | None:
        """Return text written after the type (none: SQLAlchemy writes it)."""
        return None

    # -- columns --------------------------------------------------------------
    def get_col(self, alias: str, output_field: Any = None) -> Any:
        """Return a column expression of this field on table ``alias``.

        The model's own table with the field as output gives ``cached_col``.
        """
        if output_field is None:
            output_field = self
        if alias == self.model._meta.db_table and output_field is self:  # type: ignore[attr-defined]
            return self.cached_col
        return _make_col(self, alias, output_field)

    @property
    def cached_col(self) -> Any:
        """Return (once) the column expression on the model's own table."""
        cached = self.__dict__.get("_cached_col")
        table = self.model._meta.db_table  # type: ignore[attr-defined]
        if (
            cached is None
            or cached.target is not self
            or cached.column.table.name != table
        ):
            cached = _make_col(self, table, self)
            self.__dict__["_cached_col"] = cached
        return cached

    # -- forms ---------------------------------------------------------------
    def formfield(self, **kwargs: Any) -> Any:
        """Return the form field editing this model field.

        ``form_class`` and ``choices_form_class`` pick the form field class;
        other keywords go to it.
        """
        from manouche.forms.models._model_fields import _default_formfield

        return _default_formfield(self, **kwargs)


def _compile(column_type: Any, connection: Any) -> str:
    dialect = connection.dialect
    # The collation is a column parameter of its own (``db_parameters``).
    column_type = column_type.dialect_impl(dialect)
    if getattr(column_type, "collation", None):
        column_type = copy.copy(column_type)
        column_type.collation = None
    return str(column_type.compile(dialect=dialect))


def _make_col(field: Any, alias: str, output_field: Any) -> Any:
    from manouche.db.models.expressions import Col

    table = sa.table(alias, sa.column(field.column))
    col = Col(table.c[field.column], field)
    if output_field is not field:
        col.output_field = output_field
    else:
        resolved = _natural_output(field)
        if resolved is not field:
            col.output_field = resolved
    return col


def _natural_output(field: Any) -> Any:
    """Return what a column of ``field`` holds: a key's target, a generated output."""
    seen: set[int] = set()
    current = field
    while True:
        if getattr(current, "generated", False):
            return current.output_field
        if not (getattr(current, "many_to_one", False) or current.one_to_one):
            return current
        if id(current) in seen:
            raise ValueError(f"Cannot resolve output_field for {field}.")
        seen.add(id(current))
        target = getattr(current, "target_field", None)
        if target is None:
            return current
        current = target
