"""Aggregates: Count, Sum, Avg, Min, Max, StdDev, Variance (distinct, filter)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from manouche.core.exceptions import FieldError
from manouche.db.models import fields
from manouche.db.models._expression_converters import WholeNumber
from manouche.db.models._expressions_types import typed_copy
from manouche.db.models.expressions import Func, Star, Value, field_sa_type
from manouche.db.models.fields._types import Decimal as DecimalType

__all__ = ["Aggregate", "Avg", "Count", "Max", "Min", "StdDev", "Sum", "Variance"]


class Aggregate(Func):
    """Base class of aggregates: optional DISTINCT, FILTER and default."""

    contains_aggregate = True
    name: str = ""
    allow_distinct = False
    window_compatible = True
    empty_result_set_value: Any = None

    def __init__(
        self,
        *expressions: Any,
        distinct: bool = False,
        filter: Any = None,
        default: Any = None,
        **extra: Any,
    ) -> None:
        if distinct and not self.allow_distinct:
            raise TypeError(f"{self.__class__.__name__} does not allow distinct.")
        if default is not None and self.empty_result_set_value is not None:
            raise TypeError(f"{self.__class__.__name__} does not allow default.")
        self.distinct = distinct
        self.filter = filter
        self.default = default
        super().__init__(*expressions, **extra)

    def repr_options(self) -> dict[str, Any]:
        """Show distinct and filter when given."""
        options: dict[str, Any] = {}
        if self.distinct:
            options["distinct"] = True
        if self.filter is not None:
            options["filter"] = self.filter
        return options

    def get_group_by_cols(self) -> list[Any]:
        """An aggregate is computed per group, never grouped by."""
        return []

    @property
    def default_alias(self) -> str:
        """Return ``<field>__<name>`` for aggregate(Sum("x")) without alias."""
        sources = self.get_source_expressions()
        if len(sources) == 1 and hasattr(sources[0], "name"):
            return f"{sources[0].name}__{self.name.lower()}"
        raise TypeError("Complex aggregates require an alias")

    def compile_arguments(self, compiler: Any) -> list[Any]:
        args = []
        for source in self.source_expressions:
            if getattr(source, "contains_aggregate", False):
                raise FieldError(
                    f"Cannot compute {self.name}('{source}'): '{source}' is an "
                    "aggregate"
                )
            args.append(compiler.compile_expression(source))
        return args

    def compiled_sa_type(self, compiler: Any) -> Any:
        """Return the result's SQLAlchemy type, knowing what F() operands are.

        ``Avg("price")`` is a decimal only once ``price`` is known to be a
        DecimalField; before compilation the source type is unknown.
        """
        if self._output_field is not None:
            return self.sa_type()
        typed = typed_copy(self, compiler)
        return field_sa_type(getattr(typed, "_output_field_or_none", None))

    def sa_function(self, compiler: Any, args: list[Any]) -> Any:
        """Return the SQLAlchemy aggregate call."""
        function = getattr(sa.func, self.function.lower())  # type: ignore[union-attr]
        if self.distinct:
            args = [sa.distinct(arg) for arg in args]
        return function(*args)

    def as_sa(self, compiler: Any, window: bool = False) -> Any:
        return self._finish(compiler, self._call(compiler))

    def as_sa_over(self, compiler: Any, over: dict[str, Any]) -> Any:
        """Compile ``aggregate OVER (...)``: typed and defaulted outside OVER."""
        return self._finish(compiler, self._call(compiler).over(**over))

    def _call(self, compiler: Any) -> Any:
        args = self.compile_arguments(compiler)
        if self.filter is not None:
            condition = compiler.compile_row_condition(self.filter)
            args = [
                sa.case((condition, arg), else_=None)
                if not isinstance(self.source_expressions[0], Star)
                else sa.case((condition, 1), else_=None)
                for arg in args
            ]
        return self.sa_function(compiler, args)

    def _finish(self, compiler: Any, result: Any) -> Any:
        type_ = self.compiled_sa_type(compiler)
        if type_ is not None and isinstance(self._output_field, fields.IntegerField):
            # A stated integer result of a sum of decimals is read as an int.
            type_ = WholeNumber()
        elif isinstance(type_, DecimalType):
            # A computed decimal keeps its digits (an average, a default):
            # only a column is rounded to its field's decimal places.
            type_ = DecimalType(None, None)
        if type_ is not None:
            result = sa.type_coerce(result, type_)
        if self.default is not None:
            default = self.default
            if not hasattr(default, "as_sa"):
                default = Value(default)
            result = sa.func.coalesce(result, compiler.compile_expression(default))
            if type_ is not None:
                result = sa.type_coerce(result, type_)
        return result


class Count(Aggregate):
    """The number of rows (or non-null values)."""

    function = "COUNT"
    name = "Count"
    arity = 1
    allow_distinct = True
    empty_result_set_value = 0

    def __init__(self, expression: Any, filter: Any = None, **extra: Any) -> None:
        if expression == "*":
            expression = Star()
        if isinstance(expression, Star) and filter is not None:
            raise ValueError("Star cannot be used with filter. Please specify a field.")
        super().__init__(
            expression, filter=filter, output_field=fields.IntegerField(), **extra
        )

    def sa_function(self, compiler: Any, args: list[Any]) -> Any:
        if isinstance(self.source_expressions[0], Star) and self.filter is None:
            # Spelled as Django writes it: logs and tests look for COUNT(*).
            return sa.sql.functions.Function(
                "COUNT", sa.literal_column("*"), type_=sa.Integer()
            )
        if self.distinct:
            return sa.func.count(sa.distinct(args[0]))
        return sa.func.count(args[0])


class Sum(Aggregate):
    """The sum of values."""

    function = "SUM"
    name = "Sum"
    arity = 1
    allow_distinct = True


class Avg(Aggregate):
    """The mean of values (a float unless the source is a Decimal)."""

    function = "AVG"
    name = "Avg"
    arity = 1
    allow_distinct = True

    def _resolve_output_field(self) -> Any:
        source = super()._resolve_output_field()
        if source is None:
            # F() operands: known once compiled (see compiled_sa_type).
            return None
        if isinstance(source, fields.DecimalField):
            return source
        if isinstance(source, fields.DurationField):
            return source
        return fields.FloatField()

    def compiled_sa_type(self, compiler: Any) -> Any:
        """A mean of values of unknown type is a float."""
        return super().compiled_sa_type(compiler) or fields.FloatField().sa_type()


class Max(Aggregate):
    """The largest value."""

    function = "MAX"
    name = "Max"
    arity = 1


class Min(Aggregate):
    """The smallest value."""

    function = "MIN"
    name = "Min"
    arity = 1


class StdDev(Aggregate):
    """The standard deviation (population, or sample=True)."""

    name = "StdDev"
    arity = 1

    def __init__(self, expression: Any, sample: bool = False, **extra: Any) -> None:
        self.function = "STDDEV_SAMP" if sample else "STDDEV_POP"
        self.sample = sample
        super().__init__(expression, output_field=fields.FloatField(), **extra)

    def repr_options(self) -> dict[str, Any]:
        """Also show whether the deviation is of a sample."""
        return {**super().repr_options(), "sample": self.sample}

    def sa_function(self, compiler: Any, args: list[Any]) -> Any:
        if compiler.vendor == "sqlite":
            return _sqlite_variance(args[0], str(self.function).endswith("SAMP"), True)
        return super().sa_function(compiler, args)


class Variance(Aggregate):
    """The variance (population, or sample=True)."""

    name = "Variance"
    arity = 1

    def __init__(self, expression: Any, sample: bool = False, **extra: Any) -> None:
        self.function = "VAR_SAMP" if sample else "VAR_POP"
        self.sample = sample
        super().__init__(expression, output_field=fields.FloatField(), **extra)

    def repr_options(self) -> dict[str, Any]:
        """Also show whether the variance is of a sample."""
        return {**super().repr_options(), "sample": self.sample}

    def sa_function(self, compiler: Any, args: list[Any]) -> Any:
        if compiler.vendor == "sqlite":
            return _sqlite_variance(args[0], str(self.function).endswith("SAMP"), False)
        return super().sa_function(compiler, args)


def _sqlite_variance(value: Any, sample: bool, sqrt: bool) -> Any:
    # SQLite has no variance aggregate: E[x^2] - E[x]^2, scaled for a sample.
    as_float = sa.cast(value, sa.Float())
    count = sa.func.count(value)
    mean = sa.func.avg(as_float)
    variance = sa.func.avg(as_float * as_float) - mean * mean
    if sample:
        variance = variance * count / sa.func.nullif(count - 1, 0)
    if sqrt:
        return sa.func.sqrt(variance)
    return variance
