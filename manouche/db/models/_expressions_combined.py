"""Arithmetic and wrapper expressions: split out of expressions.py by concept."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from manouche.db.models.expressions import Expression


class CombinedExpression(Expression):
    """``lhs <op> rhs`` for arithmetic between expressions."""

    def __init__(
        self, lhs: Any, connector: str, rhs: Any, output_field: Any = None
    ) -> None:
        super().__init__(output_field=output_field)
        self.lhs = lhs
        self.connector = connector
        self.rhs = rhs

    def __repr__(self) -> str:
        return f"<{self.__class__.__name__}: {self.lhs} {self.connector} {self.rhs}>"

    def get_source_expressions(self) -> list[Any]:
        return [self.lhs, self.rhs]

    @property
    def contains_aggregate(self) -> bool:  # type: ignore[override]
        return bool(
            getattr(self.lhs, "contains_aggregate", False)
            or getattr(self.rhs, "contains_aggregate", False)
        )

    def as_sa(self, compiler: Any) -> Any:
        lhs = self.lhs.as_sa(compiler)
        rhs = self.rhs.as_sa(compiler)
        connector = self.connector
        if connector == self.ADD:
            result = lhs + rhs
        elif connector == self.SUB:
            result = lhs - rhs
        elif connector == self.MUL:
            result = lhs * rhs
        elif connector == self.DIV:
            result = lhs / rhs
        elif connector == self.MOD:
            result = lhs % rhs
        elif connector == self.POW:
            result = sa.func.power(lhs, rhs)
        elif connector == self.BITAND:
            result = lhs.op("&")(rhs)
        elif connector == self.BITOR:
            result = lhs.op("|")(rhs)
        elif connector == self.BITLEFTSHIFT:
            result = lhs.op("<<")(rhs)
        elif connector == self.BITRIGHTSHIFT:
            result = lhs.op(">>")(rhs)
        elif connector == self.BITXOR:
            op = "#" if compiler.vendor == "postgresql" else "^"
            result = lhs.op(op)(rhs)
        else:
            raise ValueError(f"Unknown connector {connector!r}")
        type_ = self.sa_type() if self._output_field is not None else None
        return sa.type_coerce(result, type_) if type_ is not None else result


class ExpressionWrapper(Expression):
    """Give an expression an explicit output_field."""

    def __init__(self, expression: Any, output_field: Any) -> None:
        super().__init__(output_field=output_field)
        self.expression = expression

    def get_source_expressions(self) -> list[Any]:
        return [self.expression]

    @property
    def contains_aggregate(self) -> bool:  # type: ignore[override]
        return bool(getattr(self.expression, "contains_aggregate", False))

    def as_sa(self, compiler: Any) -> Any:
        inner = compiler.compile_expression(self.expression)
        type_ = self.sa_type()
        return sa.type_coerce(inner, type_) if type_ is not None else inner


class ExpressionList(Expression):
    """A comma-separated list of expressions."""

    def __init__(self, *expressions: Any) -> None:
        super().__init__()
        self.expressions = list(expressions)

    def get_source_expressions(self) -> list[Any]:
        return self.expressions
