"""When and Case (SQL CASE): split out of expressions.py by concept."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from manouche.db.models.expressions import Expression, F, _parse_expression
from manouche.db.models.query_utils import Q


class When(Expression):
    """A ``WHEN condition THEN result`` branch of Case."""

    def __init__(self, condition: Any = None, then: Any = None, **lookups: Any):
        super().__init__()
        if lookups:
            condition = Q(**lookups) if condition is None else Q(condition, **lookups)
        if condition is None or (
            not isinstance(condition, Q)
            and not getattr(condition, "conditional", False)
        ):
            raise TypeError(
                "When() supports a Q object, a boolean expression, or lookups as "
                "a condition."
            )
        if isinstance(condition, Q) and not condition:
            raise ValueError("An empty Q() can't be used as a When() condition.")
        self.condition = condition
        self.result = _parse_expression(then) if not isinstance(then, F) else then

    def __str__(self) -> str:
        return f"WHEN {self.condition!r} THEN {self.result!r}"

    def __repr__(self) -> str:
        return f"<{self.__class__.__name__}: {self}>"

    def get_source_expressions(self) -> list[Any]:
        return [self.condition, self.result]

    def _resolve_output_field(self) -> Any:
        return getattr(self.result, "_output_field_or_none", None)

    def as_sa(self, compiler: Any) -> Any:
        return (
            compiler.compile_condition(self.condition),
            compiler.compile_expression(self.result),
        )


class Case(Expression):
    """``CASE WHEN ... THEN ... ELSE default END``."""

    def __init__(
        self, *cases: When, default: Any = None, output_field: Any = None, **extra: Any
    ) -> None:
        if not all(isinstance(case, When) for case in cases):
            raise TypeError("Positional arguments must all be When objects.")
        super().__init__(output_field=output_field)
        self.cases = list(cases)
        self.default = (
            _parse_expression(default) if not isinstance(default, F) else default
        )

    def __str__(self) -> str:
        cases = ", ".join(str(case) for case in self.cases)
        return f"CASE {cases}, ELSE {self.default!r}"

    def __repr__(self) -> str:
        return f"<{self.__class__.__name__}: {self}>"

    def get_source_expressions(self) -> list[Any]:
        return [*self.cases, self.default]

    def _resolve_output_field(self) -> Any:
        for case in self.cases:
            field = case._resolve_output_field()
            if field is not None:
                return field
        return getattr(self.default, "_output_field_or_none", None)

    @property
    def contains_aggregate(self) -> bool:  # type: ignore[override]
        return any(
            getattr(c.result, "contains_aggregate", False) for c in self.cases
        ) or bool(getattr(self.default, "contains_aggregate", False))

    def as_sa(self, compiler: Any) -> Any:
        if not self.cases:
            return compiler.compile_expression(self.default)
        whens = [case.as_sa(compiler) for case in self.cases]
        default = compiler.compile_expression(self.default)
        result = sa.case(*whens, else_=default)
        type_ = self.sa_type()
        return sa.type_coerce(result, type_) if type_ is not None else result
