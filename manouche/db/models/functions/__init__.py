"""Database functions: comparison, text, math and date/time."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from manouche.db.models import fields
from manouche.db.models.expressions import Func, Value
from manouche.db.models.functions.datetime import (
    Extract,
    ExtractDay,
    ExtractHour,
    ExtractIsoWeekDay,
    ExtractIsoYear,
    ExtractMinute,
    ExtractMonth,
    ExtractQuarter,
    ExtractSecond,
    ExtractWeek,
    ExtractWeekDay,
    ExtractYear,
    Now,
    Trunc,
    TruncDate,
    TruncDay,
    TruncHour,
    TruncMinute,
    TruncMonth,
    TruncQuarter,
    TruncSecond,
    TruncTime,
    TruncWeek,
    TruncYear,
)
from manouche.db.models.functions.window import (
    CumeDist,
    DenseRank,
    FirstValue,
    Lag,
    LastValue,
    Lead,
    NthValue,
    Ntile,
    PercentRank,
    Rank,
    RowNumber,
)
from manouche.db.models.lookups import Transform

__all__ = [
    "Abs",
    "Cast",
    "Ceil",
    "Coalesce",
    "Concat",
    "ConcatPair",
    "CumeDist",
    "DenseRank",
    "Extract",
    "ExtractDay",
    "ExtractHour",
    "ExtractIsoWeekDay",
    "ExtractIsoYear",
    "ExtractMinute",
    "ExtractMonth",
    "ExtractQuarter",
    "ExtractSecond",
    "ExtractWeek",
    "ExtractWeekDay",
    "ExtractYear",
    "FirstValue",
    "Floor",
    "Greatest",
    "LTrim",
    "Lag",
    "LastValue",
    "Lead",
    "Least",
    "Left",
    "Length",
    "Lower",
    "Mod",
    "Now",
    "NthValue",
    "Ntile",
    "NullIf",
    "PercentRank",
    "Power",
    "RTrim",
    "Rank",
    "Replace",
    "Reverse",
    "Right",
    "Round",
    "RowNumber",
    "Sqrt",
    "StrIndex",
    "Substr",
    "Trim",
    "Trunc",
    "TruncDate",
    "TruncDay",
    "TruncHour",
    "TruncMinute",
    "TruncMonth",
    "TruncQuarter",
    "TruncSecond",
    "TruncTime",
    "TruncWeek",
    "TruncYear",
    "Upper",
]


class Coalesce(Func):
    """The first non-null argument."""

    function = "COALESCE"

    def __init__(self, *expressions: Any, **extra: Any) -> None:
        if len(expressions) < 2:
            raise ValueError("Coalesce must take at least two expressions")
        super().__init__(*expressions, **extra)


class Greatest(Func):
    """The largest argument (NULL if any is NULL, except on SQLite/MySQL rules)."""

    function = "GREATEST"

    def __init__(self, *expressions: Any, **extra: Any) -> None:
        if len(expressions) < 2:
            raise ValueError("Greatest must take at least two expressions")
        super().__init__(*expressions, **extra)

    def as_sa(self, compiler: Any) -> Any:
        if compiler.vendor == "sqlite":
            args = self.compile_arguments(compiler)
            return sa.func.max(*args, type_=self.sa_type())
        return super().as_sa(compiler)


class Least(Greatest):
    """The smallest argument."""

    function = "LEAST"

    def as_sa(self, compiler: Any) -> Any:
        if compiler.vendor == "sqlite":
            args = self.compile_arguments(compiler)
            return sa.func.min(*args, type_=self.sa_type())
        return Func.as_sa(self, compiler)


class NullIf(Func):
    """NULL when both arguments are equal, else the first."""

    function = "NULLIF"
    arity = 2


class Cast(Func):
    """Cast an expression to a field's type."""

    def __init__(self, expression: Any, output_field: Any) -> None:
        super().__init__(expression, output_field=output_field)

    def as_sa(self, compiler: Any) -> Any:
        value = compiler.compile_expression(self.source_expressions[0])
        return sa.cast(value, self.output_field.sa_type())


class Lower(Transform):
    """Lower-case text."""

    function = "LOWER"
    lookup_name = "lower"


class Upper(Transform):
    """Upper-case text."""

    function = "UPPER"
    lookup_name = "upper"


class Length(Transform):
    """The number of characters."""

    lookup_name = "length"

    def __init__(self, expression: Any, **extra: Any) -> None:
        super().__init__(expression, output_field=fields.IntegerField(), **extra)

    def as_sa(self, compiler: Any) -> Any:
        value = compiler.compile_expression(self.source_expressions[0])
        if compiler.vendor == "mysql":
            return sa.func.char_length(value, type_=sa.Integer())
        return sa.func.length(value, type_=sa.Integer())


class Trim(Transform):
    """Strip spaces at both ends."""

    function = "TRIM"
    lookup_name = "trim"


class LTrim(Transform):
    """Strip leading spaces."""

    function = "LTRIM"
    lookup_name = "ltrim"


class RTrim(Transform):
    """Strip trailing spaces."""

    function = "RTRIM"
    lookup_name = "rtrim"


class Reverse(Transform):
    """Reverse text."""

    function = "REVERSE"
    lookup_name = "reverse"


class ConcatPair(Func):
    """Concatenate two values (NULL treated as empty)."""

    arity = 2

    def as_sa(self, compiler: Any) -> Any:
        left, right = self.compile_arguments(compiler)
        coalesced = [sa.func.coalesce(left, ""), sa.func.coalesce(right, "")]
        if compiler.vendor == "mysql":
            return sa.func.concat(*coalesced, type_=sa.Text())
        return sa.type_coerce(coalesced[0].op("||")(coalesced[1]), sa.Text())


class Concat(Func):
    """Concatenate values (NULL treated as empty)."""

    def __init__(self, *expressions: Any, **extra: Any) -> None:
        if len(expressions) < 2:
            raise ValueError("Concat must take at least two expressions")
        super().__init__(*expressions, **extra)

    def _resolve_output_field(self) -> Any:
        return fields.TextField()

    def as_sa(self, compiler: Any) -> Any:
        args = [
            sa.func.coalesce(sa.cast(a, sa.Text()), "")
            for a in self.compile_arguments(compiler)
        ]
        if compiler.vendor == "mysql":
            return sa.func.concat(*args, type_=sa.Text())
        result: Any = args[0]
        for arg in args[1:]:
            result = result.op("||")(arg)
        return sa.type_coerce(result, sa.Text())


class Substr(Func):
    """A substring: position (1-based) and optional length."""

    def __init__(self, expression: Any, pos: Any, length: Any = None, **extra: Any):
        args = [expression, pos] if length is None else [expression, pos, length]
        super().__init__(*args, output_field=fields.TextField(), **extra)

    def as_sa(self, compiler: Any) -> Any:
        return sa.func.substr(*self.compile_arguments(compiler), type_=sa.Text())


class Left(Substr):
    """The first ``length`` characters."""

    def __init__(self, expression: Any, length: Any, **extra: Any) -> None:
        super().__init__(expression, 1, length, **extra)


class Right(Func):
    """The last ``length`` characters."""

    def __init__(self, expression: Any, length: Any, **extra: Any) -> None:
        super().__init__(expression, length, output_field=fields.TextField(), **extra)

    def as_sa(self, compiler: Any) -> Any:
        text, length = self.compile_arguments(compiler)
        return sa.func.substr(text, -length, type_=sa.Text())


class Replace(Func):
    """Replace every occurrence of ``text`` by ``replacement``."""

    function = "REPLACE"

    def __init__(
        self, expression: Any, text: Any, replacement: Any = None, **extra: Any
    ) -> None:
        if replacement is None:
            replacement = Value("")
        super().__init__(expression, text, replacement, **extra)


class StrIndex(Func):
    """The 1-based position of a substring, 0 when absent."""

    arity = 2

    def __init__(self, *expressions: Any, **extra: Any) -> None:
        super().__init__(*expressions, output_field=fields.IntegerField(), **extra)

    def as_sa(self, compiler: Any) -> Any:
        text, sub = self.compile_arguments(compiler)
        if compiler.vendor == "postgresql":
            return sa.func.strpos(text, sub, type_=sa.Integer())
        return sa.func.instr(text, sub, type_=sa.Integer())


class Abs(Transform):
    """The absolute value."""

    function = "ABS"
    lookup_name = "abs"


class Ceil(Transform):
    """The smallest integer not below the value."""

    function = "CEIL"
    lookup_name = "ceil"


class Floor(Transform):
    """The largest integer not above the value."""

    function = "FLOOR"
    lookup_name = "floor"


class Sqrt(Transform):
    """The square root."""

    function = "SQRT"
    lookup_name = "sqrt"


class Mod(Func):
    """The remainder of a division."""

    function = "MOD"
    arity = 2


class Power(Func):
    """``x`` raised to ``y``."""

    function = "POWER"
    arity = 2


class Round(Transform):
    """Round to ``precision`` decimal places."""

    function = "ROUND"
    lookup_name = "round"
    arity = None  # type: ignore[assignment]

    def __init__(self, expression: Any, precision: int = 0, **extra: Any) -> None:
        super().__init__(expression, precision, **extra)
