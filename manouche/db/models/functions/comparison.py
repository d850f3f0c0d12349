"""Comparison and conversion functions: Cast, Coalesce, Collate, Greatest...

Greatest and Least follow each backend's NULL rule (PostgreSQL ignores
NULLs, SQLite and MySQL/MariaDB return NULL when any argument is NULL), as
Django documents.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from manouche.core.exceptions import FieldError
from manouche.db.models import fields
from manouche.db.models.expressions import Func
from manouche.db.models.functions._mixins import SameAsInputMixin, source_fields
from manouche.db.models.functions._sql import CastDouble
from manouche.db.models.functions.math import call_function

__all__ = ["Cast", "Coalesce", "Collate", "Greatest", "JSONObject", "Least", "NullIf"]

_COLLATION = re.compile(r"[\w-]+")
_NUMBER_KINDS = {
    "IntegerField": "integer",
    "BigIntegerField": "integer",
    "SmallIntegerField": "integer",
    "PositiveIntegerField": "integer",
    "PositiveBigIntegerField": "integer",
    "PositiveSmallIntegerField": "integer",
    "AutoField": "integer",
    "BigAutoField": "integer",
    "SmallAutoField": "integer",
    "FloatField": "float",
    "DecimalField": "decimal",
}


_WORDS = {1: "one", 2: "two", 3: "three"}


class _SameTypeFunc(SameAsInputMixin, Func):
    """``function(args...)`` typed like its first typed argument."""

    minimum_arguments = 0

    def __init__(self, *expressions: Any, **extra: Any) -> None:
        if len(expressions) < self.minimum_arguments:
            raise ValueError(
                f"{type(self).__name__} must take at least "
                f"{_WORDS.get(self.minimum_arguments, self.minimum_arguments)} "
                "expressions"
            )
        super().__init__(*expressions, **extra)

    def vendor_function(self, vendor: str) -> str:
        """Return the SQL function name on ``vendor``."""
        return str(self.function)

    def output_sa_type(self, compiled: Sequence[Any]) -> Any:
        """Refuse integers, floats and decimals mixed without ``output_field``.

        The first argument's type would otherwise silently truncate the others
        (Django raises the same FieldError).
        """
        if self._output_field is None:
            known = [f for f in source_fields(self, compiled) if f is not None]
            kinds = {_NUMBER_KINDS.get(f.get_internal_type()) for f in known} - {None}
            if len(kinds) > 1:
                names = ", ".join(sorted({type(f).__name__ for f in known}))
                raise FieldError(
                    f"Expression contains mixed types: {names}. You must set "
                    "output_field."
                )
        return super().output_sa_type(compiled)

    def as_sa(self, compiler: Any) -> Any:
        """Compile the call, typed by the arguments."""
        args = self.compile_arguments(compiler)
        name = self.vendor_function(compiler.vendor)
        return call_function(name, args, self.output_sa_type(args))


class Coalesce(_SameTypeFunc):
    """The first non-null argument."""

    function = "COALESCE"
    minimum_arguments = 2

    @property
    def empty_result_set_value(self) -> Any:
        """The first argument known not to be NULL over no rows."""
        for source in self.source_expressions:
            value = getattr(source, "empty_result_set_value", NotImplemented)
            if value is NotImplemented or value is not None:
                return value
        return None


class Greatest(_SameTypeFunc):
    """The largest argument (``MAX(a, b, ...)`` on SQLite)."""

    function = "GREATEST"
    minimum_arguments = 2

    def vendor_function(self, vendor: str) -> str:
        """SQLite spells it ``MAX``."""
        return "max" if vendor == "sqlite" else "greatest"


class Least(_SameTypeFunc):
    """The smallest argument (``MIN(a, b, ...)`` on SQLite)."""

    function = "LEAST"
    minimum_arguments = 2

    def vendor_function(self, vendor: str) -> str:
        """SQLite spells it ``MIN``."""
        return "min" if vendor == "sqlite" else "least"


class NullIf(_SameTypeFunc):
    """NULL when both arguments are equal, else the first."""

    function = "NULLIF"
    arity = 2


class Cast(Func):
    """Convert an expression to ``output_field``'s type."""

    def __init__(self, expression: Any, output_field: Any) -> None:
        super().__init__(expression, output_field=output_field)

    def as_sa(self, compiler: Any) -> Any:
        """Compile ``CAST``, working around MySQL's and SQLite's gaps."""
        (value,) = self.compile_arguments(compiler)
        field = self.output_field
        type_ = field.sa_type()
        if compiler.vendor == "mysql":
            return self._as_mysql(value, field, type_)
        if compiler.vendor == "sqlite":
            function = _SQLITE_DATE_FUNCTIONS.get(field.get_internal_type())
            if function is not None:
                return sa.type_coerce(getattr(sa.func, function)(value), type_)
            if field.get_internal_type() == "JSONField":
                # JSON is text in SQLite; CAST(... AS JSON) would apply
                # NUMERIC affinity and turn a document into 0.
                return sa.type_coerce(value, type_)
        return sa.cast(value, type_)

    @staticmethod
    def _as_mysql(value: Any, field: Any, type_: Any) -> Any:
        # MySQL casts only to a few types; SQLAlchemy silently drops the rest.
        if isinstance(field, fields.FloatField):
            return CastDouble(value, type_)
        if isinstance(field, fields.BooleanField):
            return sa.type_coerce(sa.cast(value, sa.Integer()), type_)
        if field.get_internal_type() == "JSONField":
            # MariaDB has no JSON type to cast to: JSON is text there.
            return sa.type_coerce(value, type_)
        return sa.cast(value, type_)


# SQLite's CAST to a date type would apply NUMERIC affinity ("2020-01-02" -> 2020);
# its datetime() and time() drop fractional seconds, the manouche_* ones keep
# them (sqlite3._datetime_functions).
_SQLITE_DATE_FUNCTIONS = {
    "DateField": "date",
    "DateTimeField": "manouche_datetime",
    "TimeField": "manouche_time",
}


class Collate(Func):
    """The expression with a collation (``name`` is checked, then quoted)."""

    def __init__(self, expression: Any, collation: str) -> None:
        if not isinstance(collation, str) or not _COLLATION.fullmatch(collation):
            raise ValueError(f"Invalid collation name: {collation!r}.")
        super().__init__(expression)
        self.collation = collation

    def as_sa(self, compiler: Any) -> Any:
        """Compile ``expression COLLATE name``."""
        (value,) = self.compile_arguments(compiler)
        return sa.collate(value, self.collation)


class JSONObject(Func):
    """A JSON object built from keyword arguments: ``JSONObject(name="name")``."""

    def __init__(self, **fields_: Any) -> None:
        for key in fields_:
            if not isinstance(key, str):  # pragma: no cover - kwargs are str
                raise TypeError("JSONObject keys must be strings.")
        self.keys = list(fields_)
        super().__init__(*fields_.values())

    def _resolve_output_field(self) -> Any:
        from manouche.db.models.fields.json import JSONField

        return JSONField()

    def as_sa(self, compiler: Any) -> Any:
        """Compile ``jsonb_build_object`` (PostgreSQL) or ``JSON_OBJECT``."""
        values = self.compile_arguments(compiler)
        postgresql = compiler.vendor == "postgresql"
        args: list[Any] = []
        for key, value in zip(self.keys, values, strict=True):
            key_element: Any = sa.literal(key, type_=sa.Text())
            if postgresql:
                key_element = sa.cast(key_element, sa.Text())
                value = _typed_for_postgresql(value)
            args.extend([key_element, value])
        name = "jsonb_build_object" if postgresql else "json_object"
        return call_function(name, args, self.output_field.sa_type())


def _typed_for_postgresql(value: Any) -> Any:
    # Bound parameters inside a VARIADIC "any" call need an explicit type.
    if isinstance(value, sa.sql.elements.BindParameter) and not isinstance(
        value.type, sa.types.NullType
    ):
        return sa.cast(value, value.type)
    return value
