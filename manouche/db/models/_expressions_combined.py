"""Arithmetic and wrapper expressions: split out of expressions.py by concept."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from manouche.core.exceptions import FieldError
from manouche.db.models._expressions_temporal import temporal_sql
from manouche.db.models._expressions_types import (
    combined_field,
    field_kind,
    typed_copy,
)
from manouche.db.models.expressions import Expression, field_sa_type


class CombinedExpression(Expression):
    """``lhs <op> rhs`` for arithmetic between expressions."""

    def __init__(
        self, lhs: Any, connector: str, rhs: Any, output_field: Any = None
    ) -> None:
        super().__init__(output_field=output_field)
        self.lhs = lhs
        self.connector = connector
        self.rhs = rhs

    def __str__(self) -> str:
        return f"{self.lhs} {self.connector} {self.rhs}"

    def __repr__(self) -> str:
        return f"<{self.__class__.__name__}: {self}>"

    def get_source_expressions(self) -> list[Any]:
        return [self.lhs, self.rhs]

    def set_source_expressions(self, exprs: list[Any]) -> None:
        self.lhs, self.rhs = exprs

    @property
    def contains_aggregate(self) -> bool:  # type: ignore[override]
        return bool(
            getattr(self.lhs, "contains_aggregate", False)
            or getattr(self.rhs, "contains_aggregate", False)
        )

    def _resolve_output_field(self) -> Any:
        return combined_field(self.connector, _side(self.lhs), _side(self.rhs))

    def _compiled_field(self, compiler: Any) -> Any:
        """Return the result field, knowing what the F() operands refer to.

        Raises FieldError when the operand types cannot combine.
        """
        if self._output_field is not None:
            return self._output_field
        typed = typed_copy(self, compiler)
        return typed._resolve_output_field()

    def as_sa(self, compiler: Any) -> Any:
        try:
            field = self._compiled_field(compiler)
        except FieldError:
            # Only a selected result needs a type (see check_output_type);
            # inside ExpressionWrapper or a filter the database decides.
            field = None
        lhs = self.lhs.as_sa(compiler)
        rhs = self.rhs.as_sa(compiler)
        connector = self.connector
        kinds = self._operand_kinds(compiler)
        temporal = temporal_sql(connector, lhs, rhs, kinds, compiler.vendor)
        if temporal is not None:
            type_ = field_sa_type(field)
            return sa.type_coerce(temporal, type_) if type_ is not None else temporal
        if connector == self.DIV and kinds == ("integer", "integer"):
            # Integers divide to an integer (truncated), as on PostgreSQL.
            op = "DIV" if compiler.vendor == "mysql" else "/"
            result = lhs.op(op)(rhs)
            type_ = field_sa_type(field) or sa.Integer()
            return sa.type_coerce(result, type_)
        result = _apply(connector, lhs, rhs, compiler.vendor)
        type_ = field_sa_type(field)
        return sa.type_coerce(result, type_) if type_ is not None else result

    def _operand_kinds(self, compiler: Any) -> tuple[str | None, str | None]:
        """Return the kinds (integer, date, duration, ...) of both operands."""
        kinds = []
        for side in (typed_copy(self.lhs, compiler), typed_copy(self.rhs, compiler)):
            try:
                kinds.append(field_kind(_side(side)))
            except FieldError:
                kinds.append(None)
        return kinds[0], kinds[1]


def _side(expression: Any) -> Any:
    """Return an operand's field; a nested combination's errors propagate."""
    if isinstance(expression, CombinedExpression):
        if expression._output_field is not None:
            return expression._output_field
        return expression._resolve_output_field()
    return getattr(expression, "_output_field_or_none", None)


_OPERATORS: dict[str, Any] = {
    "+": lambda lhs, rhs: lhs + rhs,
    "-": lambda lhs, rhs: lhs - rhs,
    "*": lambda lhs, rhs: lhs * rhs,
    "/": lambda lhs, rhs: lhs / rhs,
    "%%": lambda lhs, rhs: lhs % rhs,
    "^": lambda lhs, rhs: sa.func.power(lhs, rhs),
    "&": lambda lhs, rhs: lhs.op("&")(rhs),
    "|": lambda lhs, rhs: lhs.op("|")(rhs),
    "<<": lambda lhs, rhs: lhs.op("<<")(rhs),
    ">>": lambda lhs, rhs: lhs.op(">>")(rhs),
}


def _apply(connector: str, lhs: Any, rhs: Any, vendor: str) -> Any:
    """Return ``lhs <connector> rhs`` in SQL."""
    if connector == "#":
        return _bitxor(lhs, rhs, vendor)
    operator = _OPERATORS.get(connector)
    if operator is None:
        raise ValueError(f"Unknown connector {connector!r}")
    return operator(lhs, rhs)


def _bitxor(lhs: Any, rhs: Any, vendor: str) -> Any:
    if vendor == "postgresql":
        return lhs.op("#")(rhs)
    if vendor == "sqlite":
        # SQLite has no XOR operator: the bits set in either but not both.
        return lhs.op("|")(rhs) - lhs.op("&")(rhs)
    return lhs.op("^")(rhs)


class ExpressionWrapper(Expression):
    """Give an expression an explicit output_field."""

    def __init__(self, expression: Any, output_field: Any) -> None:
        super().__init__(output_field=output_field)
        self.expression = expression

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}({self.expression})"

    def get_source_expressions(self) -> list[Any]:
        return [self.expression]

    @property
    def contains_aggregate(self) -> bool:  # type: ignore[override]
        return bool(getattr(self.expression, "contains_aggregate", False))

    def get_group_by_cols(self) -> list[Any]:
        """Group by the wrapped expression, typed as the wrapper says."""
        if not isinstance(self.expression, Expression):
            return super().get_group_by_cols()
        inner = self.expression.copy()
        inner.output_field = self.output_field
        return list(inner.get_group_by_cols())

    def as_sa(self, compiler: Any) -> Any:
        inner = compiler.compile_expression(self.expression)
        type_ = self.sa_type()
        return sa.type_coerce(inner, type_) if type_ is not None else inner


class ExpressionList(Expression):
    """A comma-separated list of expressions."""

    def __init__(self, *expressions: Any) -> None:
        super().__init__()
        self.expressions = list(expressions)

    def __repr__(self) -> str:
        shown = ", ".join(str(expression) for expression in self.expressions)
        return f"{self.__class__.__name__}({shown})"

    def get_source_expressions(self) -> list[Any]:
        return self.expressions
