"""The result type of arithmetic between expressions (``lhs <op> rhs``).

Each operand is sorted into a kind (integer, float, decimal, date, ...);
a table of (connector, kind, kind) gives the kind of the result. Operands of
kinds the table knows but that cannot combine raise FieldError, as a user
must then say what the result is (``output_field``). Operands of other
field types (JSON, relations, custom fields) leave the type unknown.

Expressions built from ``F()`` only know their fields once compiled:
``typed_copy()`` swaps every ``F`` for a stand-in carrying the field it
names, so the ordinary output-field resolution of each class applies.
"""

from __future__ import annotations

import copy
from typing import Any

from manouche.core.exceptions import FieldError

__all__ = ["combined_field", "typed_copy"]

ARITHMETIC = ("+", "-", "*", "/", "%%", "^")
BITWISE = ("&", "|", "<<", ">>", "#")

# Kinds of temporal arithmetic results: (connector, lhs kind, rhs kind) -> kind.
_TEMPORAL: dict[tuple[str, str, str], str] = {
    ("+", "duration", "duration"): "duration",
    ("+", "date", "duration"): "datetime",
    ("+", "datetime", "duration"): "datetime",
    ("+", "time", "duration"): "time",
    ("+", "duration", "date"): "datetime",
    ("+", "duration", "datetime"): "datetime",
    ("+", "duration", "time"): "time",
    ("-", "date", "date"): "duration",
    ("-", "datetime", "datetime"): "duration",
    ("-", "time", "time"): "duration",
    ("-", "duration", "duration"): "duration",
    ("-", "date", "duration"): "datetime",
    ("-", "datetime", "duration"): "datetime",
    ("-", "time", "duration"): "time",
}

_NUMERIC = ("integer", "float", "decimal")


def field_kind(field: Any) -> str | None:
    """Return the arithmetic kind of a field, or None for other fields."""
    from manouche.db.models import fields

    # Order matters: DateTimeField is a DateField.
    kinds: list[tuple[type, str]] = [
        (fields.IntegerField, "integer"),
        (fields.FloatField, "float"),
        (fields.DecimalField, "decimal"),
        (fields.DateTimeField, "datetime"),
        (fields.DateField, "date"),
        (fields.TimeField, "time"),
        (fields.DurationField, "duration"),
        (fields.CharField, "text"),
        (fields.TextField, "text"),
    ]
    for field_class, kind in kinds:
        if isinstance(field, field_class):
            return kind
    return None


def _new_field(kind: str) -> Any:
    from manouche.db.models import fields

    classes: dict[str, Any] = {
        "integer": fields.IntegerField,
        "float": fields.FloatField,
        "decimal": fields.DecimalField,
        "datetime": fields.DateTimeField,
        "date": fields.DateField,
        "time": fields.TimeField,
        "duration": fields.DurationField,
    }
    return classes[kind]()


def _is_field(value: Any) -> bool:
    return hasattr(value, "get_internal_type")


def _cannot_infer(connector: str, lhs: Any, rhs: Any) -> FieldError:
    return FieldError(
        f"Cannot infer type of {connector!r} expression involving these types: "
        f"{type(lhs).__name__}, {type(rhs).__name__}. You must set output_field."
    )


def _pick(kind: str, lhs: Any, rhs: Any) -> Any:
    """Return the operand field of ``kind`` (keeps decimal places), or a new one."""
    from manouche.db.models.fields import AutoFieldMixin

    for field in (lhs, rhs):
        if field is not None and field_kind(field) == kind:
            if isinstance(field, AutoFieldMixin):
                continue  # a sum of ids is a plain integer
            return field
    return _new_field(kind)


def combined_field(connector: str, lhs: Any, rhs: Any) -> Any:
    """Return the field of ``lhs <connector> rhs`` given the operands' fields.

    ``None`` stands for an operand of unknown type (NULL, or not compiled
    yet): a number combined with it keeps its type; anything else is unknown.
    """
    if lhs is None or rhs is None:
        known = rhs if lhs is None else lhs
        if known is None:
            return None
        if not _is_field(known):
            raise _cannot_infer(connector, lhs, rhs)
        kind = field_kind(known)
        numeric_op = connector in ARITHMETIC and kind in _NUMERIC
        if numeric_op or (connector in BITWISE and kind == "integer"):
            return _pick(kind, known, None)  # type: ignore[arg-type]
        return None
    if not (_is_field(lhs) and _is_field(rhs)):
        raise _cannot_infer(connector, lhs, rhs)
    lhs_kind, rhs_kind = field_kind(lhs), field_kind(rhs)
    if lhs_kind is None or rhs_kind is None:
        # A field type the table does not know (JSON, relation, custom).
        return None
    if connector in ARITHMETIC and lhs_kind in _NUMERIC and rhs_kind in _NUMERIC:
        if lhs_kind == rhs_kind:
            return _pick(lhs_kind, lhs, rhs)
        pair = {lhs_kind, rhs_kind}
        if pair == {"integer", "float"}:
            return _pick("float", lhs, rhs)
        if pair == {"integer", "decimal"}:
            return _pick("decimal", lhs, rhs)
        raise _cannot_infer(connector, lhs, rhs)
    if connector in BITWISE and lhs_kind == rhs_kind == "integer":
        return _pick("integer", lhs, rhs)
    result = _TEMPORAL.get((connector, lhs_kind, rhs_kind))
    if result is None:
        raise _cannot_infer(connector, lhs, rhs)
    return _pick(result, lhs, rhs)


class _Typed:
    """Stands in for an ``F()`` whose field is known (type inference only)."""

    contains_aggregate = False

    def __init__(self, field: Any) -> None:
        self._output_field_or_none = field
        self.output_field = field

    def get_source_expressions(self) -> list[Any]:
        return []


def _ref_field(compiler: Any, name: str) -> Any:
    """Return the field ``F(name)`` refers to, or None if not plainly a field."""
    from manouche.db.models.query_utils import LOOKUP_SEP

    query = compiler.query
    annotations = getattr(query, "annotations", {})
    if name in annotations:
        annotation = annotations[name]
        typed = typed_copy(annotation, compiler)
        return getattr(typed, "_output_field_or_none", None)
    opts = query.model._meta
    field = None
    parts = name.split(LOOKUP_SEP)
    for index, part in enumerate(parts):
        try:
            field = opts.pk if part == "pk" else opts.get_field(part)
        except Exception:
            return None
        if index < len(parts) - 1:
            related = getattr(field, "related_model", None)
            if related is None or isinstance(related, str):
                return None  # a transform, not a field
            opts = related._meta
    if getattr(field, "is_relation", False):
        return None
    return field


def typed_copy(expression: Any, compiler: Any) -> Any:
    """Return a copy of ``expression`` whose ``F()`` operands know their fields."""
    from manouche.db.models.expressions import F, OuterRef

    if isinstance(expression, OuterRef):
        parent = getattr(compiler, "parent", None)
        if parent is None or not isinstance(expression.name, str):
            return expression
        return _Typed(_ref_field(parent, expression.name))
    if isinstance(expression, F):
        return _Typed(_ref_field(compiler, expression.name))
    sources = getattr(expression, "get_source_expressions", None)
    if sources is None or getattr(expression, "_output_field", None) is not None:
        return expression
    current = sources()
    if not current:
        return expression
    setter = getattr(type(expression), "set_source_expressions", None)
    from manouche.db.models.expressions import Expression

    if setter is None or setter is Expression.set_source_expressions:
        return expression
    clone = copy.copy(expression)
    clone.set_source_expressions([typed_copy(source, compiler) for source in current])
    return clone
