"""Math functions: trigonometry, logarithms, rounding, Pi and Random.

Output types follow Django: integer input gives a float and decimal input a
decimal for the "real" functions; Abs, Ceil, Floor, Round and Sign keep the
input's type. SQLite runs the ``manouche_*`` Python functions registered on
every connection; PostgreSQL has no double-precision ``MOD``, ``LOG`` or
two-argument ``ROUND``, so those compute in NUMERIC there.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

import sqlalchemy as sa

from manouche.db.models import fields
from manouche.db.models.expressions import Func, Value
from manouche.db.models.functions._mixins import (
    FixedOutputMixin,
    NumericOutputFieldMixin,
    SameAsInputMixin,
)
from manouche.db.models.lookups import Transform

__all__ = [
    "ACos",
    "ASin",
    "ATan",
    "ATan2",
    "Abs",
    "Ceil",
    "Cos",
    "Cot",
    "Degrees",
    "Exp",
    "Floor",
    "Ln",
    "Log",
    "Mod",
    "Pi",
    "Power",
    "Radians",
    "Random",
    "Round",
    "Sign",
    "Sin",
    "Sqrt",
    "Tan",
    "call_function",
]


def call_function(name: str, args: Sequence[Any], type_: Any = None) -> Any:
    """Return ``name(*args)`` as a SQLAlchemy function typed ``type_``."""
    function = getattr(sa.func, name)(*args)
    return sa.type_coerce(function, type_) if type_ is not None else function


class VendorFunctionMixin:
    """Compile to ``function`` with per-vendor names and NUMERIC casts.

    ``sqlite_function`` names a registered ``manouche_*`` function;
    ``numeric_on_postgresql`` casts the arguments to NUMERIC (and the result
    back to the output type) for functions PostgreSQL lacks for floats.
    """

    function: str | None
    sqlite_function: ClassVar[str | None] = None
    mysql_function: ClassVar[str | None] = None
    numeric_on_postgresql: ClassVar[bool] = False

    if TYPE_CHECKING:

        def compile_arguments(self, compiler: Any) -> list[Any]: ...

        def output_sa_type(self, compiled: Sequence[Any]) -> Any: ...

    def function_name(self, vendor: str) -> str:
        """Return the SQL function name on ``vendor``."""
        name = {"sqlite": self.sqlite_function, "mysql": self.mysql_function}.get(
            vendor
        )
        return name or str(self.function)

    def as_sa(self, compiler: Any) -> Any:
        """Compile to the vendor's function, typed by the inferred output."""
        args = self.compile_arguments(compiler)
        type_ = self.output_sa_type(args)
        name = self.function_name(compiler.vendor)
        if compiler.vendor == "postgresql" and self.needs_numeric(args):
            result = call_function(name, self.numeric_arguments(args))
            return sa.cast(result, type_) if type_ is not None else result
        return call_function(name, args, type_)

    def needs_numeric(self, args: Sequence[Any]) -> bool:
        """Tell whether PostgreSQL must compute in NUMERIC."""
        return self.numeric_on_postgresql

    def numeric_arguments(self, args: Sequence[Any]) -> list[Any]:
        """Return the arguments cast to NUMERIC."""
        return [sa.cast(arg, sa.Numeric()) for arg in args]


class _RealTransform(NumericOutputFieldMixin, VendorFunctionMixin, Transform):
    """One-argument function giving a real number (float or decimal)."""


class _RealFunc(NumericOutputFieldMixin, VendorFunctionMixin, Func):
    """Two-argument function giving a real number (float or decimal)."""

    arity = 2


class _SameTypeTransform(SameAsInputMixin, VendorFunctionMixin, Transform):
    """One-argument function keeping the input's type."""


class Abs(_SameTypeTransform):
    """The absolute value."""

    function = "ABS"
    lookup_name = "abs"


class ACos(_RealTransform):
    """The arccosine."""

    function = "ACOS"
    sqlite_function = "manouche_acos"
    lookup_name = "acos"


class ASin(_RealTransform):
    """The arcsine."""

    function = "ASIN"
    sqlite_function = "manouche_asin"
    lookup_name = "asin"


class ATan(_RealTransform):
    """The arctangent."""

    function = "ATAN"
    sqlite_function = "manouche_atan"
    lookup_name = "atan"


class ATan2(_RealFunc):
    """The arctangent of ``y / x`` (first argument ``y``)."""

    function = "ATAN2"
    sqlite_function = "manouche_atan2"


class Ceil(_SameTypeTransform):
    """The smallest integer not below the value."""

    function = "CEIL"
    sqlite_function = "manouche_ceil"
    lookup_name = "ceil"


class Cos(_RealTransform):
    """The cosine (radians)."""

    function = "COS"
    sqlite_function = "manouche_cos"
    lookup_name = "cos"


class Cot(_RealTransform):
    """The cotangent (radians)."""

    function = "COT"
    sqlite_function = "manouche_cot"
    lookup_name = "cot"


class Degrees(_RealTransform):
    """Radians converted to degrees."""

    function = "DEGREES"
    sqlite_function = "manouche_degrees"
    lookup_name = "degrees"


class Exp(_RealTransform):
    """``e`` raised to the value."""

    function = "EXP"
    sqlite_function = "manouche_exp"
    lookup_name = "exp"


class Floor(_SameTypeTransform):
    """The largest integer not above the value."""

    function = "FLOOR"
    sqlite_function = "manouche_floor"
    lookup_name = "floor"


class Ln(_RealTransform):
    """The natural logarithm."""

    function = "LN"
    sqlite_function = "manouche_ln"
    lookup_name = "ln"


class Log(_RealFunc):
    """The logarithm of the second argument to the base of the first."""

    function = "LOG"
    sqlite_function = "manouche_log"
    numeric_on_postgresql = True


class Mod(_RealFunc):
    """The remainder of dividing the first argument by the second."""

    function = "MOD"
    sqlite_function = "manouche_mod"
    numeric_on_postgresql = True


class Pi(FixedOutputMixin, VendorFunctionMixin, Func):
    """The constant pi (MySQL's ``PI()`` shows six digits: ``ACOS(-1)`` there)."""

    function = "PI"
    sqlite_function = "manouche_pi"
    arity = 0

    def as_sa(self, compiler: Any) -> Any:
        """Compile ``PI()``, or ``ACOS(-1)`` on MySQL/MariaDB."""
        if compiler.vendor == "mysql":
            return call_function("acos", [sa.literal(-1)], self.output_sa_type([]))
        return super().as_sa(compiler)


class Power(_RealFunc):
    """The first argument raised to the second."""

    function = "POWER"
    sqlite_function = "manouche_power"


class Radians(_RealTransform):
    """Degrees converted to radians."""

    function = "RADIANS"
    sqlite_function = "manouche_radians"
    lookup_name = "radians"


class Random(FixedOutputMixin, VendorFunctionMixin, Func):
    """A random float in [0, 1), new for every row."""

    function = "RANDOM"
    sqlite_function = "manouche_random"
    mysql_function = "RAND"
    arity = 0


class Round(_SameTypeTransform):
    """Round half away from zero (floats: the backend's rule) to ``precision``.

    A negative precision rounds to tens, hundreds...
    """

    function = "ROUND"
    sqlite_function = "manouche_round"
    lookup_name = "round"
    arity = None  # type: ignore[assignment]

    def __init__(self, expression: Any, precision: Any = 0, **extra: Any) -> None:
        if isinstance(precision, bool) or not (
            isinstance(precision, int) or hasattr(precision, "as_sa")
        ):
            raise TypeError(
                f"Round precision must be an integer or an expression, got "
                f"{precision!r}."
            )
        if isinstance(precision, int):
            precision = Value(precision, output_field=fields.IntegerField())
        super().__init__(expression, precision, **extra)

    def output_sa_type(self, compiled: Sequence[Any]) -> Any:
        """The type of the rounded value (the precision is not a source)."""
        return super().output_sa_type(compiled[:1])

    def _resolve_output_field(self) -> Any:
        return getattr(self.get_source_expressions()[0], "_output_field_or_none", None)

    def _whole(self) -> bool:
        precision = self.get_source_expressions()[1]
        return isinstance(precision, Value) and precision.value == 0

    def needs_numeric(self, args: Sequence[Any]) -> bool:
        """PostgreSQL rounds to places only in NUMERIC."""
        return not self._whole()

    def numeric_arguments(self, args: Sequence[Any]) -> list[Any]:
        """The value in NUMERIC, the precision an integer."""
        return [sa.cast(args[0], sa.Numeric()), sa.cast(args[1], sa.Integer())]

    def compile_arguments(self, compiler: Any) -> list[Any]:
        """Drop a zero precision: PostgreSQL has no ``ROUND(float, int)``."""
        args = super().compile_arguments(compiler)
        if compiler.vendor != "sqlite" and self._whole():
            return args[:1]
        return args


class Sign(_SameTypeTransform):
    """-1, 0 or 1 by the value's sign."""

    function = "SIGN"
    sqlite_function = "manouche_sign"
    lookup_name = "sign"


class Sin(_RealTransform):
    """The sine (radians)."""

    function = "SIN"
    sqlite_function = "manouche_sin"
    lookup_name = "sin"


class Sqrt(_RealTransform):
    """The square root."""

    function = "SQRT"
    sqlite_function = "manouche_sqrt"
    lookup_name = "sqrt"


class Tan(_RealTransform):
    """The tangent (radians)."""

    function = "TAN"
    sqlite_function = "manouche_tan"
    lookup_name = "tan"
