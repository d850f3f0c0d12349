"""OrderBy, window frames and Window (OVER): split out of expressions.py."""

from __future__ import annotations

import copy
from typing import Any

import sqlalchemy as sa

from manouche.db.models.expressions import Expression, _parse_expression


class OrderBy(Expression):
    """An ordering term with direction and NULLS placement."""

    def __init__(
        self,
        expression: Any,
        descending: bool = False,
        nulls_first: bool | None = None,
        nulls_last: bool | None = None,
    ) -> None:
        if nulls_first and nulls_last:
            raise ValueError("nulls_first and nulls_last are mutually exclusive")
        if nulls_first is False or nulls_last is False:
            raise ValueError("nulls_first and nulls_last values must be True or None.")
        super().__init__()
        self.expression = expression
        self.descending = descending
        self.nulls_first = nulls_first
        self.nulls_last = nulls_last

    def __repr__(self) -> str:
        return f"OrderBy({self.expression}, descending={self.descending})"

    def get_source_expressions(self) -> list[Any]:
        return [self.expression]

    def reverse_ordering(self) -> OrderBy:
        clone = copy.copy(self)
        clone.descending = not self.descending
        if self.nulls_first:
            clone.nulls_last, clone.nulls_first = True, None
        elif self.nulls_last:
            clone.nulls_first, clone.nulls_last = True, None
        return clone

    def as_sa_list(self, compiler: Any) -> list[Any]:
        """Return the ORDER BY terms (two on MySQL when NULLS placement is set)."""
        column = compiler.compile_expression(self.expression)
        term = column.desc() if self.descending else column.asc()
        if not (self.nulls_first or self.nulls_last):
            return [term]
        if compiler.vendor == "mysql":
            null_first_key = sa.case((column.is_(None), 0), else_=1)
            return [null_first_key if self.nulls_first else null_first_key.desc(), term]
        return [term.nulls_first() if self.nulls_first else term.nulls_last()]

    def as_sa(self, compiler: Any) -> Any:
        return self.as_sa_list(compiler)[-1]


class WindowFrame(Expression):
    """A window frame: ROWS/RANGE BETWEEN start AND end."""

    frame_type = "ROWS"

    def __init__(self, start: int | None = None, end: int | None = None) -> None:
        super().__init__()
        self.start = start
        self.end = end

    def as_sa_kwargs(self) -> dict[str, Any]:
        """Return ``over()`` keyword arguments."""
        key = "rows" if self.frame_type == "ROWS" else "range_"
        return {key: (self.start, self.end)}


class RowRange(WindowFrame):
    """A ROWS frame."""

    frame_type = "ROWS"


class ValueRange(WindowFrame):
    """A RANGE frame."""

    frame_type = "RANGE"


class Window(Expression):
    """A window function: ``expression OVER (PARTITION BY ... ORDER BY ...)``."""

    contains_aggregate = False
    contains_over_clause = True

    def __init__(
        self,
        expression: Any,
        partition_by: Any = None,
        order_by: Any = None,
        frame: WindowFrame | None = None,
        output_field: Any = None,
    ) -> None:
        super().__init__(output_field=output_field)
        if not getattr(expression, "window_compatible", False):
            raise ValueError(
                f"Expression '{expression.__class__.__name__}' isn't compatible "
                "with OVER clauses."
            )
        self.source_expression = expression
        if partition_by is not None and not isinstance(partition_by, (list, tuple)):
            partition_by = (partition_by,)
        self.partition_by = [_parse_expression(p) for p in partition_by or ()]
        if order_by is not None and not isinstance(order_by, (list, tuple)):
            order_by = (order_by,)
        self.order_by = list(order_by or ())
        self.frame = frame

    def get_source_expressions(self) -> list[Any]:
        return [self.source_expression, *self.partition_by]

    def as_sa(self, compiler: Any) -> Any:
        partition = [compiler.compile_expression(p) for p in self.partition_by]
        ordering = []
        for item in self.order_by:
            ordering.extend(compiler.compile_ordering_term(item))
        kwargs: dict[str, Any] = {}
        if partition:
            kwargs["partition_by"] = partition
        if ordering:
            kwargs["order_by"] = ordering
        if self.frame is not None:
            kwargs.update(self.frame.as_sa_kwargs())
        source = self.source_expression
        if hasattr(source, "as_sa_over"):
            return source.as_sa_over(compiler, kwargs)
        function = compiler.compile_expression(source)
        type_ = None
        while isinstance(function, sa.sql.elements.TypeCoerce):
            # OVER follows the call itself; the type applies to the result.
            type_ = type_ or function.type
            function = function.clause
        result = function.over(**kwargs)
        return sa.type_coerce(result, type_) if type_ is not None else result
