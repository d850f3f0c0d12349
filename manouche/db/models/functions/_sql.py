"""SQL constructs SQLAlchemy Core does not spell: MySQL's USING and DOUBLE casts.

The character set and type names are fixed by these classes, never taken
from user input; the operand is compiled like any other element.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement
from sqlalchemy.sql.visitors import InternalTraversal

__all__ = ["CastDouble", "CharUsing", "ConvertUsing"]

_CHARSETS = frozenset({"utf32", "utf8mb4"})


class _Unary(ColumnElement[Any]):
    """One operand rendered inside a fixed template."""

    inherit_cache = True
    # Part of the statement cache key: operand and type.
    _traverse_internals = [
        ("operand", InternalTraversal.dp_clauseelement),
        ("type", InternalTraversal.dp_type),
    ]

    def __init__(self, operand: Any, type_: Any = None) -> None:
        self.operand = operand
        self.type = sa.types.to_instance(type_)

    def get_children(self, **kwargs: Any) -> list[Any]:
        return [self.operand]


class _Using(_Unary):
    inherit_cache = True
    _traverse_internals = [
        *_Unary._traverse_internals,
        ("using", InternalTraversal.dp_string),
    ]

    def __init__(self, operand: Any, charset: str, type_: Any = None) -> None:
        if charset not in _CHARSETS:
            raise ValueError(f"Unsupported character set {charset!r}.")
        super().__init__(operand, type_)
        self.using = charset


class CharUsing(_Using):
    """``CHAR(code USING charset)``: the character with a code point."""

    inherit_cache = True


class ConvertUsing(_Using):
    """``CONVERT(text USING charset)``."""

    inherit_cache = True


class CastDouble(_Unary):
    """``CAST(x AS DOUBLE)`` (SQLAlchemy skips float casts on MySQL)."""

    inherit_cache = True


@compiles(CharUsing)
def _char_using(element: CharUsing, compiler: Any, **kwargs: Any) -> str:
    return f"CHAR({compiler.process(element.operand, **kwargs)} USING {element.using})"


@compiles(ConvertUsing)
def _convert_using(element: ConvertUsing, compiler: Any, **kwargs: Any) -> str:
    operand = compiler.process(element.operand, **kwargs)
    return f"CONVERT({operand} USING {element.using})"


@compiles(CastDouble)
def _cast_double(element: CastDouble, compiler: Any, **kwargs: Any) -> str:
    return f"CAST({compiler.process(element.operand, **kwargs)} AS DOUBLE)"
