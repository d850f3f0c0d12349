"""Window functions: RowNumber, Rank, DenseRank, Lag, Lead, FirstValue..."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from manouche.db.models import fields
from manouche.db.models.expressions import Func

__all__ = [
    "CumeDist",
    "DenseRank",
    "FirstValue",
    "Lag",
    "LastValue",
    "Lead",
    "NthValue",
    "Ntile",
    "PercentRank",
    "Rank",
    "RowNumber",
]


def _require_source(function: Any, expression: Any) -> None:
    """LAG(NULL) and the like are always NULL: refuse them early."""
    if expression is None:
        raise ValueError(
            f"{type(function).__name__} requires a non-null source expression."
        )


class _WindowFunction(Func):
    window_compatible = True


class RowNumber(_WindowFunction):
    """ROW_NUMBER()."""

    function = "ROW_NUMBER"

    def __init__(self, **extra: Any) -> None:
        super().__init__(output_field=fields.IntegerField(), **extra)


class Rank(RowNumber):
    """RANK()."""

    function = "RANK"


class DenseRank(RowNumber):
    """DENSE_RANK()."""

    function = "DENSE_RANK"


class PercentRank(_WindowFunction):
    """PERCENT_RANK()."""

    function = "PERCENT_RANK"

    def __init__(self, **extra: Any) -> None:
        super().__init__(output_field=fields.FloatField(), **extra)


class CumeDist(PercentRank):
    """CUME_DIST()."""

    function = "CUME_DIST"


class Ntile(_WindowFunction):
    """NTILE(num_buckets)."""

    function = "NTILE"

    def __init__(self, num_buckets: int = 1, **extra: Any) -> None:
        if num_buckets <= 0:
            raise ValueError("num_buckets must be greater than 0.")
        super().__init__(num_buckets, output_field=fields.IntegerField(), **extra)


class Lag(_WindowFunction):
    """LAG(expression, offset, default)."""

    function = "LAG"

    def __init__(
        self, expression: Any, offset: int = 1, default: Any = None, **extra: Any
    ) -> None:
        _require_source(self, expression)
        if offset is None or offset <= 0:
            raise ValueError(
                f"{self.__class__.__name__} requires a positive integer for the offset."
            )
        args = (
            [expression, offset] if default is None else [expression, offset, default]
        )
        super().__init__(*args, **extra)

    def as_sa(self, compiler: Any) -> Any:
        args = self.compile_arguments(compiler)
        type_ = self.sa_type() or args[0].type
        return getattr(sa.func, str(self.function).lower())(*args, type_=type_)


class Lead(Lag):
    """LEAD(expression, offset, default)."""

    function = "LEAD"


class FirstValue(_WindowFunction):
    """FIRST_VALUE(expression)."""

    function = "FIRST_VALUE"
    arity = 1

    def as_sa(self, compiler: Any) -> Any:
        args = self.compile_arguments(compiler)
        function = getattr(sa.func, str(self.function).lower())
        return function(*args, type_=args[0].type)


class LastValue(FirstValue):
    """LAST_VALUE(expression)."""

    function = "LAST_VALUE"


class NthValue(_WindowFunction):
    """NTH_VALUE(expression, nth)."""

    function = "NTH_VALUE"

    def __init__(self, expression: Any, nth: int = 1, **extra: Any) -> None:
        _require_source(self, expression)
        if nth is None or nth <= 0:
            raise ValueError("NthValue requires a positive integer as for nth.")
        super().__init__(expression, nth, **extra)

    def as_sa(self, compiler: Any) -> Any:
        args = self.compile_arguments(compiler)
        return sa.func.nth_value(*args, type_=args[0].type)
