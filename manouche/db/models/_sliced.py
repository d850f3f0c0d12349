"""``F("name")[2:5]``: a substring of a text field or annotation, as an expression.

Python slice semantics on the SQL side: 0-based, ``stop`` exclusive, no
negative indexes and no step (the database cannot count from the end of a
value it has not read). Slices compose (``F("name")[1:][:3]``) before any SQL
is built, and compile to ``SUBSTR(value, start + 1[, length])``.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from manouche.db import NotSupportedError
from manouche.db.models.expressions import Expression

__all__ = ["Sliced", "slice_bounds"]


def slice_bounds(subscript: Any) -> tuple[int, int | None]:
    """Return (0-based start, length or None) for an index or a slice."""
    if isinstance(subscript, int) and not isinstance(subscript, bool):
        if subscript < 0:
            raise ValueError("Negative indexing is not supported.")
        return subscript, 1
    if not isinstance(subscript, slice):
        raise TypeError("Argument to slice must be either int or slice instance.")
    if subscript.step is not None:
        raise ValueError("Step argument is not supported.")
    start = subscript.start or 0
    stop = subscript.stop
    if start < 0 or (stop is not None and stop < 0):
        raise ValueError("Negative indexing is not supported.")
    if stop is not None and stop < start:
        raise ValueError("Slice stop must be greater than slice start.")
    return start, None if stop is None else stop - start


class Sliced(Expression):
    """The characters ``[start:start + length]`` of a text expression."""

    def __init__(self, expression: Any, subscript: Any) -> None:
        super().__init__()
        self.expression = expression
        self.start, self.length = slice_bounds(subscript)

    def __repr__(self) -> str:
        stop = None if self.length is None else self.start + self.length
        shown = slice(self.start, stop)
        return f"{self.__class__.__name__}({self.expression!r}, {shown!r})"

    def __getitem__(self, subscript: Any) -> Sliced:
        start, length = slice_bounds(subscript)
        remaining = None if self.length is None else max(self.length - start, 0)
        if length is None:
            length = remaining
        elif remaining is not None:
            length = min(length, remaining)
        nested = Sliced(self.expression, 0)
        nested.start, nested.length = self.start + start, length
        return nested

    def get_source_expressions(self) -> list[Any]:
        return [self.expression]

    def set_source_expressions(self, exprs: list[Any]) -> None:
        (self.expression,) = exprs

    def as_sa(self, compiler: Any) -> Any:
        value = compiler.compile_expression(self.expression)
        if not isinstance(value.type, (sa.String, sa.types.NullType)):
            raise NotSupportedError("This field does not support slicing.")
        start = sa.literal(self.start + 1, sa.Integer())
        if self.length is None:
            return sa.func.substr(value, start, type_=value.type)
        length = sa.literal(self.length, sa.Integer())
        return sa.func.substr(value, start, length, type_=value.type)
