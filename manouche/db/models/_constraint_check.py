"""Helpers for validating constraints against an unsaved instance.

A unique constraint over expressions (``Lower("name")``) is validated by
asking the database for another row whose expression equals the same
expression evaluated with the instance's values. Both sides are compiled by
the database, so functions, collations and transforms agree with the index
that will eventually refuse the row.
"""

from __future__ import annotations

from typing import Any

from manouche.core.exceptions import FieldDoesNotExist
from manouche.db.models._expressions_ordering import OrderBy
from manouche.db.models._q_check import _Given, _ValuesCompiler, instance_values
from manouche.db.models.expressions import DatabaseDefault, F
from manouche.db.models.query_utils import Q

__all__ = [
    "MatchesValues",
    "constraint_values",
    "excludes_generated",
    "referenced_names",
    "unordered",
]

_LOOKUP_SEP = "__"


def constraint_values(model: Any, instance: Any) -> dict[str, Any]:
    """Map the instance's field names to values, db defaults as expressions.

    A field left to its ``db_default`` holds a marker that only means
    something in an INSERT; here it stands for the default itself. A
    generated field stands for its expression over the other values, since
    an unsaved instance has no computed value yet.
    """
    values = instance_values(model, instance)
    for field in model._meta.concrete_fields:
        if getattr(field, "generated", False):
            values[field.name] = values[field.attname] = field.expression
            continue
        if not isinstance(getattr(instance, field.attname, None), DatabaseDefault):
            continue
        default = field.db_default
        if not hasattr(default, "as_sa"):
            default = _Given(default, output_field=field)
        values[field.name] = default
        values[field.attname] = default
    return values


def referenced_names(expression: Any) -> set[str]:
    """Return the base field names an expression (or Q) refers to."""
    if isinstance(expression, str):
        return {expression.split(_LOOKUP_SEP, 1)[0]}
    if isinstance(expression, F):
        return {expression.name.split(_LOOKUP_SEP, 1)[0]}
    if isinstance(expression, Q):
        return expression.referenced_base_fields
    names: set[str] = set()
    getter = getattr(expression, "get_source_expressions", None)
    if getter is not None:
        for source in getter():
            if source is not None:
                names |= referenced_names(source)
    return names


def excludes_generated(model: Any, names: set[str], exclude: set[str]) -> bool:
    """Tell whether a generated field among ``names`` is computed from ``exclude``.

    Such a field's value depends on a field left out of validation, so a
    constraint over it cannot be decided either.
    """
    for name in names:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if getattr(field, "generated", False) and (
            referenced_names(field.expression) & exclude
        ):
            return True
    return False


def unordered(expression: Any) -> Any:
    """Drop an ordering wrapper: ``Lower("x").desc()`` is unique as ``Lower("x")``."""
    while isinstance(expression, OrderBy):
        expression = expression.expression
    return expression


class MatchesValues:
    """A filter condition: ``expression`` of the row equals it for ``values``.

    With ``nulls_equal`` two NULLs match (``IS NOT DISTINCT FROM``), as for
    a unique constraint declared with ``nulls_distinct=False``.
    """

    conditional = True
    contains_aggregate = False
    contains_over_clause = False

    def __init__(
        self, expression: Any, values: dict[str, Any], nulls_equal: bool = False
    ) -> None:
        self.expression = expression
        self.values = values
        self.nulls_equal = nulls_equal

    def get_refs(self) -> set[str]:
        return referenced_names(self.expression)

    def get_source_expressions(self) -> list[Any]:
        return [self.expression]

    def as_sa(self, compiler: Any) -> Any:
        row_side = compiler.compile_expression(self.expression)
        given = _ValuesCompiler(self.values, compiler.connection)
        value_side = given.compile_expression(self.expression)
        if self.nulls_equal:
            return row_side.is_not_distinct_from(value_side)
        return row_side == value_side
