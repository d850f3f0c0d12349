"""Query expressions: F, Value, Func, Case/When, Subquery, Exists, Window...

Each expression turns itself into a SQLAlchemy Core element with
``as_sa(compiler)``; the compiler resolves field paths, joins and outer
references. Values are always bound parameters.
"""

from __future__ import annotations

import copy
import datetime
import decimal
import sys
import uuid
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from manouche.core.exceptions import FieldError
from manouche.db.models._expression_converters import converter_for
from manouche.db.models._expression_identity import call_shape
from manouche.db.models._expression_replacement import (
    replace_reference,
    replace_sources,
)
from manouche.db.models.query_utils import Q, check_path
from manouche.utils.deconstruct import deconstructible

__all__ = [
    "Case",
    "Col",
    "ColPairs",
    "Combinable",
    "CombinedExpression",
    "DatabaseDefault",
    "Exists",
    "Expression",
    "ExpressionList",
    "ExpressionWrapper",
    "F",
    "Func",
    "OrderBy",
    "OuterRef",
    "OutputFieldIsNoneError",
    "RawSQL",
    "Ref",
    "RowRange",
    "Star",
    "Subquery",
    "Value",
    "ValueRange",
    "When",
    "Window",
    "WindowFrame",
]


def field_sa_type(field: Any) -> Any:
    """Return ``field``'s SQLAlchemy type, or None when it is unknown or has none."""
    if field is None:
        return None
    try:
        return field.sa_type()
    except NotImplementedError:
        return None


class OutputFieldIsNoneError(FieldError):
    """An expression's type cannot be inferred and no output_field was given."""


class Combinable:
    """Arithmetic and boolean operators building CombinedExpressions."""

    ADD = "+"
    SUB = "-"
    MUL = "*"
    DIV = "/"
    POW = "^"
    MOD = "%%"
    BITAND = "&"
    BITOR = "|"
    BITLEFTSHIFT = "<<"
    BITRIGHTSHIFT = ">>"
    BITXOR = "#"

    def _combine(self, other: Any, connector: str, reversed_: bool) -> Any:
        if _is_queryset(other):
            from manouche.db.models._expressions_subquery import Subquery

            other = Subquery(other)
        elif not hasattr(other, "as_sa"):
            other = Value(other)
        if reversed_:
            return CombinedExpression(other, connector, self)
        return CombinedExpression(self, connector, other)

    def __neg__(self) -> Any:
        return self._combine(-1, self.MUL, False)

    def __add__(self, other: Any) -> Any:
        return self._combine(other, self.ADD, False)

    def __sub__(self, other: Any) -> Any:
        return self._combine(other, self.SUB, False)

    def __mul__(self, other: Any) -> Any:
        return self._combine(other, self.MUL, False)

    def __truediv__(self, other: Any) -> Any:
        return self._combine(other, self.DIV, False)

    def __mod__(self, other: Any) -> Any:
        return self._combine(other, self.MOD, False)

    def __pow__(self, other: Any) -> Any:
        return self._combine(other, self.POW, False)

    def __radd__(self, other: Any) -> Any:
        return self._combine(other, self.ADD, True)

    def __rsub__(self, other: Any) -> Any:
        return self._combine(other, self.SUB, True)

    def __rmul__(self, other: Any) -> Any:
        return self._combine(other, self.MUL, True)

    def __rtruediv__(self, other: Any) -> Any:
        return self._combine(other, self.DIV, True)

    def __rmod__(self, other: Any) -> Any:
        return self._combine(other, self.MOD, True)

    def __rpow__(self, other: Any) -> Any:
        return self._combine(other, self.POW, True)

    def __rand__(self, other: Any) -> Any:
        if getattr(self, "conditional", False) and getattr(other, "conditional", False):
            return Q(other) & Q(self)
        raise NotImplementedError(
            "Use .bitand(), .bitor(), and .bitxor() for bitwise logical operations."
        )

    def __ror__(self, other: Any) -> Any:
        if getattr(self, "conditional", False) and getattr(other, "conditional", False):
            return Q(other) | Q(self)
        raise NotImplementedError(
            "Use .bitand(), .bitor(), and .bitxor() for bitwise logical operations."
        )

    def __rxor__(self, other: Any) -> Any:
        if getattr(self, "conditional", False) and getattr(other, "conditional", False):
            return Q(other) ^ Q(self)
        raise NotImplementedError(
            "Use .bitand(), .bitor(), and .bitxor() for bitwise logical operations."
        )

    def __and__(self, other: Any) -> Any:
        if getattr(self, "conditional", False) and getattr(other, "conditional", False):
            return Q(self) & Q(other)
        raise NotImplementedError(
            "Use .bitand(), .bitor(), and .bitxor() for bitwise logical operations."
        )

    def __or__(self, other: Any) -> Any:
        if getattr(self, "conditional", False) and getattr(other, "conditional", False):
            return Q(self) | Q(other)
        raise NotImplementedError(
            "Use .bitand(), .bitor(), and .bitxor() for bitwise logical operations."
        )

    def __xor__(self, other: Any) -> Any:
        if getattr(self, "conditional", False) and getattr(other, "conditional", False):
            return Q(self) ^ Q(other)
        raise NotImplementedError(
            "Use .bitand(), .bitor(), and .bitxor() for bitwise logical operations."
        )

    def __invert__(self) -> Any:
        return NegatedExpression(self)

    def bitand(self, other: Any) -> Any:
        """Return ``self & other`` bitwise."""
        return self._combine(other, self.BITAND, False)

    def bitor(self, other: Any) -> Any:
        """Return ``self | other`` bitwise."""
        return self._combine(other, self.BITOR, False)

    def bitxor(self, other: Any) -> Any:
        """Return ``self ^ other`` bitwise."""
        return self._combine(other, self.BITXOR, False)

    def bitleftshift(self, other: Any) -> Any:
        """Return ``self << other``."""
        return self._combine(other, self.BITLEFTSHIFT, False)

    def bitrightshift(self, other: Any) -> Any:
        """Return ``self >> other``."""
        return self._combine(other, self.BITRIGHTSHIFT, False)


def _is_queryset(value: Any) -> bool:
    """Tell a QuerySet (an operand meaning its one-column subquery)."""
    from manouche.db.models.query import QuerySet

    return isinstance(value, QuerySet)


class Expression(Combinable):
    """Base class of every expression."""

    contains_aggregate = False
    contains_over_clause = False
    # What the expression gives over no rows, NotImplemented when only the
    # database can tell (aggregate() over none() then still runs a query).
    empty_result_set_value: Any = NotImplemented
    filterable = True
    window_compatible = False
    allowed_default = False
    # False for wrappers (Collate, OrderBy...) meaningless when a constraint
    # is checked in Python: validation then uses their single source instead.
    constraint_validation_compatible = True
    _output_field: Any = None

    def __init__(self, output_field: Any = None) -> None:
        if output_field is not None:
            self._output_field = output_field

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # Django-style expressions that render their own SQL (an ``as_sql`` or
        # ``as_<vendor>`` of their own or from a mixin) compile through the
        # as_sql bridge, unless the class compiles itself with ``as_sa``.
        from manouche.db.models._as_sql import SQL_HOOKS, bridged_as_sa

        hooks = [getattr(cls, name, None) for name in SQL_HOOKS]
        if "as_sa" not in cls.__dict__ and any(
            hook is not None and not getattr(hook, "native_sql", False)
            for hook in hooks
        ):
            cls.as_sa = bridged_as_sa  # type: ignore[method-assign,assignment]

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        """Render through Django's protocol (``super().as_sql()`` in subclasses).

        ``compiler`` is the bridge given to ``as_sql`` methods; the expression
        is compiled natively and embedded in the returned text.
        """
        from manouche.db.models._as_sql import native_as_sa

        sql, params = compiler.render(native_as_sa(self, compiler.compiler))
        return str(sql), list(params)

    as_sql.native_sql = True  # type: ignore[attr-defined]

    def get_source_expressions(self) -> list[Any]:
        """Return the sub-expressions."""
        return []

    def set_source_expressions(self, exprs: list[Any]) -> None:
        """Replace the sub-expressions."""

    @property
    def output_field(self) -> Any:
        """Return the field describing this expression's values."""
        field = self._output_field or self._resolve_output_field()
        if field is None:
            raise OutputFieldIsNoneError(
                "Cannot resolve expression type, unknown output_field"
            )
        return field

    @output_field.setter
    def output_field(self, value: Any) -> None:
        self._output_field = value

    def _resolve_output_field(self) -> Any:
        for source in self.get_source_expressions():
            field = getattr(source, "_output_field_or_none", None)
            if field is not None:
                return field
        return None

    @property
    def _output_field_or_none(self) -> Any:
        try:
            return self.output_field
        except (FieldError, AttributeError):
            return None

    @property
    def conditional(self) -> bool:
        """Tell whether this expression is a boolean condition."""
        from manouche.db.models.fields import BooleanField

        return isinstance(self._output_field_or_none, BooleanField)

    def as_sa(self, compiler: Any) -> Any:
        """Return the SQLAlchemy element for this expression."""
        raise NotImplementedError(f"{type(self).__name__} cannot be compiled")

    def sa_type(self) -> Any:
        """Return the SQLAlchemy type of the output field, if known."""
        return field_sa_type(self._output_field_or_none)

    def copy(self) -> Any:
        """Return a shallow copy."""
        return copy.copy(self)

    def replace_expressions(self, replacements: Any) -> Any:
        """Return a copy with the sub-expressions found in ``replacements`` swapped.

        Constraint validation replaces ``F("field")`` by the instance's values
        this way. Sources that are not expressions (a ``Q``) are kept as is.
        """
        return replace_sources(self, replacements)

    def get_expression_for_validation(self) -> Any:
        """Return what a constraint validation should evaluate for this expression.

        An expression that means nothing outside SQL (``constraint_validation_
        compatible = False``) stands for its one source expression.
        """
        if self.constraint_validation_compatible:
            return self
        sources = self.get_source_expressions()
        if len(sources) != 1:
            raise ValueError(
                "Expressions with constraint_validation_compatible set to False "
                "must have only one source expression."
            )
        return sources[0]

    @property
    def convert_value(self) -> Any:
        """Return ``converter(value, expression, connection)`` for raw results.

        Numbers read from a database without type information (SQLite
        computations) come back as the output field's Python type.
        """
        return converter_for(self._output_field_or_none)

    def asc(self, **kwargs: Any) -> OrderBy:
        """Order ascending."""
        return OrderBy(self, **kwargs)

    def desc(self, **kwargs: Any) -> OrderBy:
        """Order descending."""
        return OrderBy(self, descending=True, **kwargs)

    def reverse_ordering(self) -> Any:
        """Return this expression for a reversed ordering."""
        return self

    def flatten(self) -> Any:
        """Yield this expression and every sub-expression."""
        yield self
        for source in self.get_source_expressions():
            if hasattr(source, "flatten"):
                yield from source.flatten()

    def get_group_by_cols(self) -> list[Any]:
        """Return what a GROUP BY must hold for this expression to be selected.

        A plain expression groups by itself; one holding aggregates groups by
        the non-aggregate parts around them.
        """
        if not self.contains_aggregate:
            return [self]
        cols: list[Any] = []
        for source in self.get_source_expressions():
            if hasattr(source, "get_group_by_cols"):
                cols.extend(source.get_group_by_cols())
        return cols

    def get_refs(self) -> set[str]:
        """Return the names of the fields and annotations referenced."""
        refs: set[str] = set()
        for source in self.get_source_expressions():
            if hasattr(source, "get_refs"):
                refs |= source.get_refs()
        return refs

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Expression):
            return NotImplemented
        return type(self) is type(other) and self.identity == other.identity

    def __hash__(self) -> int:
        return hash(self.identity)

    @property
    def identity(self) -> tuple[Any, ...]:
        """Return a hashable identity (class and arguments)."""
        items = []
        given = self.__dict__.get("_constructor_args")
        for key, value in sorted(self.__dict__.items()):
            if key == "_constructor_args":
                continue
            if key == "_output_field" and given is not None:
                # Like the other arguments: a type set afterwards is no part
                # of what the expression is.
                passed = (*given[0], *given[1].values())
                if not any(value is argument for argument in passed):
                    continue
            if hasattr(value, "get_internal_type") and hasattr(value, "deconstruct"):
                # An output field: equal when declared alike, not the same object.
                value = (type(value), value.name, repr(value.deconstruct()[2:]))
            try:
                hash(value)
            except TypeError:
                value = repr(value)
            items.append((key, value))
        shape = call_shape(type(self), self.__dict__.get("_constructor_args"))
        if shape:
            items.append(("_call_shape", shape))
        return (type(self), *items)

    def __getstate__(self) -> dict[str, Any]:
        return self.__dict__.copy()


# Migrations write expressions (db_default=Now(), index expressions, generated
# columns) by their constructor arguments.
deconstructible(Expression)
_deconstruct_by_module = Expression.deconstruct  # type: ignore[attr-defined]


def _deconstruct(self: Expression) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
    """Name the class by its public path (``manouche.db.models.functions.Now``)."""
    path, args, kwargs = _deconstruct_by_module(self)
    name = type(self).__name__
    for public in ("manouche.db.models", "manouche.db.models.functions"):
        module = sys.modules.get(public)
        if module is not None and getattr(module, name, None) is type(self):
            return f"{public}.{name}", args, kwargs
    return path, args, kwargs


Expression.deconstruct = _deconstruct  # type: ignore[attr-defined]

BaseExpression = Expression


class NegatedExpression(Expression):
    """NOT of a boolean expression."""

    def __init__(self, expression: Any) -> None:
        super().__init__()
        self.expression = expression

    def get_source_expressions(self) -> list[Any]:
        return [self.expression]

    def as_sa(self, compiler: Any) -> Any:
        inner = self.expression.as_sa(compiler)
        known = getattr(inner, "type", None)
        if known is not None and not isinstance(known, (sa.Boolean, sa.types.NullType)):
            # NOT of a text or number column is an error on most databases,
            # and silently means "is zero/empty" on the others.
            raise TypeError("Cannot negate non-conditional expressions.")
        return sa.not_(inner)

    def __invert__(self) -> Any:
        # A copy, like every other operator: callers may change the result.
        return copy.copy(self.expression)

    @property
    def conditional(self) -> bool:
        return True


class F(Combinable):
    """A reference to a field (or annotation) of the queried model."""

    contains_aggregate = False
    contains_over_clause = False

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}({self.name})"

    def __getitem__(self, subscript: Any) -> Any:
        """Return a substring expression: ``F("name")[:3]`` (see ``_sliced``)."""
        from manouche.db.models._sliced import Sliced

        return Sliced(self, subscript)

    def __iter__(self) -> Any:
        # __getitem__ must not make F iterable (iter() would never stop).
        raise TypeError(f"'{type(self).__name__}' object is not iterable")

    def as_sa(self, compiler: Any) -> Any:
        """Resolve the path against the compiler's query."""
        return compiler.compile_ref(self.name)

    def get_refs(self) -> set[str]:
        """Return the referenced name."""
        return {self.name}

    def get_group_by_cols(self) -> list[Any]:
        """A column varies per row: group by it."""
        return [self]

    def deconstruct(self) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        """Return (import path, args, kwargs) for migrations."""
        name = type(self).__name__
        module = sys.modules.get("manouche.db.models")
        if module is not None and getattr(module, name, None) is type(self):
            return f"manouche.db.models.{name}", (self.name,), {}
        return f"{type(self).__module__}.{name}", (self.name,), {}

    def replace_expressions(self, replacements: Any) -> Any:
        """Return the replacement of this reference, or of the field it transforms.

        With ``{F("when"): Value(dt)}``, ``F("when__date")`` becomes
        ``TruncDate(Value(dt))``; an unknown transform keeps the reference.
        """
        return replace_reference(self, replacements)

    def flatten(self) -> Any:
        """Yield itself."""
        yield self

    def asc(self, **kwargs: Any) -> OrderBy:
        """Order ascending."""
        return OrderBy(self, **kwargs)

    def desc(self, **kwargs: Any) -> OrderBy:
        """Order descending."""
        return OrderBy(self, descending=True, **kwargs)

    def get_source_expressions(self) -> list[Any]:
        """Return no sub-expressions."""
        return []

    @property
    def _output_field_or_none(self) -> Any:
        return None

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, F)
            and type(self) is type(other)
            and self.name == other.name
        )

    def __hash__(self) -> int:
        return hash(self.name)

    def copy(self) -> Any:
        """Return a shallow copy."""
        return copy.copy(self)


class OuterRef(F):
    """A reference to a field of the query enclosing a Subquery.

    ``OuterRef(OuterRef("pk"))`` reaches one more query out.
    """

    contains_aggregate = False
    name: Any

    def __init__(self, name: str | OuterRef) -> None:
        self.name = name

    def as_sa(self, compiler: Any) -> Any:
        if compiler.parent is None:
            raise ValueError(
                "This queryset contains a reference to an outer query and may "
                "only be used in a subquery."
            )
        if isinstance(self.name, OuterRef):
            return OuterRef(self.name.name).as_sa(compiler.parent)
        return compiler.parent.compile_ref(self.name)

    def get_refs(self) -> set[str]:
        return set()


class Star(Expression):
    """``*`` (as in COUNT(*))."""

    def __repr__(self) -> str:
        return "'*'"

    def as_sa(self, compiler: Any) -> Any:
        return sa.literal_column("*")


class Col(Expression):
    """An already resolved column (used internally by lookups)."""

    def __init__(self, column: Any, target: Any) -> None:
        super().__init__(output_field=target)
        self.column = column
        self.target = target

    def __repr__(self) -> str:
        table = getattr(getattr(self.column, "table", None), "name", None)
        return f"{self.__class__.__name__}({table or self.column}, {self.target})"

    def as_sa(self, compiler: Any) -> Any:
        return self.column

    @property
    def identity(self) -> tuple[Any, ...]:
        return (Col, id(self.column), self.target)


class ColPairs(Expression):
    """Several columns of one table alias taken together (a composite key).

    Compiles to a row value ``(alias.a, alias.b)`` that compares with another
    row value or a list of tuples.
    """

    def __init__(
        self,
        alias: str,
        targets: Sequence[Any],
        sources: Sequence[Any],
        output_field: Any,
    ) -> None:
        super().__init__(output_field=output_field)
        self.alias = alias
        self.targets = targets
        self.sources = sources

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}({self.alias!r}, {self.targets!r}, "
            f"{self.sources!r}, {self._output_field!r})"
        )

    def __len__(self) -> int:
        return len(self.targets)

    def get_cols(self) -> list[Any]:
        """Return one column reference per target."""
        names = [_column_name(target) for target in self.targets]
        table = sa.table(self.alias, *(sa.column(name) for name in names))
        return [
            Col(table.c[name], target)
            for name, target in zip(names, self.targets, strict=True)
        ]

    def as_sa(self, compiler: Any) -> Any:
        return sa.tuple_(*(col.column for col in self.get_cols()))


def _column_name(target: Any) -> str:
    return target if isinstance(target, str) else str(target.column)


class Ref(Expression):
    """A reference to an annotation by name."""

    def __init__(self, refs: str, source: Any) -> None:
        super().__init__()
        self.refs = refs
        self.source = source

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}({self.refs}, {self.source!r})"

    def as_sa(self, compiler: Any) -> Any:
        return compiler.compile_ref(self.refs)

    def get_source_expressions(self) -> list[Any]:
        return [self.source]


def _python_type_field(value: Any) -> Any:
    from manouche.db.models import fields

    mapping: list[tuple[type, Any]] = [
        (bool, fields.BooleanField),
        (int, fields.IntegerField),
        (float, fields.FloatField),
        (str, fields.CharField),
        (decimal.Decimal, fields.DecimalField),
        (datetime.datetime, fields.DateTimeField),
        (datetime.date, fields.DateField),
        (datetime.time, fields.TimeField),
        (datetime.timedelta, fields.DurationField),
        (uuid.UUID, fields.UUIDField),
        (bytes, fields.BinaryField),
    ]
    for python_type, field_class in mapping:
        if isinstance(value, python_type):
            return field_class()
    return None


class Value(Expression):
    """A literal value, always sent as a bound parameter."""

    for_save = False
    allowed_default = True

    def __init__(self, value: Any, output_field: Any = None) -> None:
        super().__init__(output_field=output_field)
        self.value = value

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}({self.value!r})"

    def _resolve_output_field(self) -> Any:
        return _python_type_field(self.value)

    def _compiled_field(self, compiler: Any) -> Any:
        """Return the selected value's field; a bare NULL has none to read it by."""
        if self.value is None and self._output_field is None:
            raise OutputFieldIsNoneError(
                "Cannot resolve expression type, unknown output_field"
            )
        return self._output_field_or_none

    @property
    def empty_result_set_value(self) -> Any:
        """A constant is the same over no rows."""
        return self.value

    def get_group_by_cols(self) -> list[Any]:
        """A constant needs no grouping."""
        return []

    def as_sa(self, compiler: Any) -> Any:
        if self.value is None:
            field = self._output_field_or_none
            if field is not None and field.get_internal_type() == "JSONField":
                # Value(None, JSONField()) is JSON's null, not SQL's NULL.
                return sa.literal(sa.JSON.NULL, type_=self.sa_type())
            return sa.null()
        type_ = self.sa_type()
        value = self.value
        field = self._output_field_or_none
        if field is not None:
            value = field.get_db_prep_value(value, None)
        return (
            sa.literal(value, type_=type_) if type_ is not None else sa.literal(value)
        )

    def as_sa_default(self) -> Any:
        """Return a server default for Field.db_default."""
        from manouche.db.models.fields import _server_default

        return _server_default(self.value)

    @property
    def identity(self) -> tuple[Any, ...]:
        try:
            hash(self.value)
            value = self.value
        except TypeError:
            value = repr(self.value)
        return (Value, value, type(self._output_field).__name__)


class DatabaseDefault(Expression):
    """Marker: let the database fill the column from its db_default."""

    def __init__(self, field: Any) -> None:
        super().__init__(output_field=field)
        self.field = field

    def as_sa(self, compiler: Any) -> Any:
        return sa.text("DEFAULT")


class RawSQL(Expression):
    """A raw SQL fragment with ``%s`` parameters bound, never interpolated."""

    def __init__(
        self, sql: str, params: Sequence[Any], output_field: Any = None
    ) -> None:
        super().__init__(output_field=output_field)
        self.sql = sql
        self.params = tuple(params)

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}({self.sql}, {list(self.params)})"

    def as_sa(self, compiler: Any) -> Any:
        pieces = self.sql.split("%s")
        if len(pieces) - 1 != len(self.params):
            raise ValueError("RawSQL: number of %s placeholders and params differ.")
        text = pieces[0]
        binds: list[Any] = []
        for index, piece in enumerate(pieces[1:]):
            name = f"raw_{id(self)}_{index}"
            text += f":{name}" + piece.replace(":", "\\:")
            binds.append(sa.bindparam(name, self.params[index]))
        clause = sa.text(text).bindparams(*binds)
        type_ = self.sa_type() or sa.types.NullType()
        return sa.type_coerce(clause, type_).self_group()


def _parse_expression(value: Any) -> Any:
    if isinstance(value, str):
        return F(value)
    if hasattr(value, "as_sa") or isinstance(value, Q):
        return value
    if _is_queryset(value):
        # A QuerySet argument stands for its one-column subquery.
        from manouche.db.models._expressions_subquery import Subquery

        return Subquery(value)
    return Value(value)


def validate_path_expression(name: str) -> list[str]:
    """Validate an F() / order_by path; raise FieldError for anything odd."""
    return check_path(name)


# The classes below live in private modules (split by concept) that build on
# the classes above, so they are imported last; this stays their public path.
from manouche.db.models._expressions_combined import (  # noqa: E402
    CombinedExpression,
    ExpressionList,
    ExpressionWrapper,
)
from manouche.db.models._expressions_conditional import (  # noqa: E402
    Case,
    When,
)
from manouche.db.models._expressions_func import (  # noqa: E402
    Func,
)
from manouche.db.models._expressions_ordering import (  # noqa: E402
    OrderBy,
    RowRange,
    ValueRange,
    Window,
    WindowFrame,
)
from manouche.db.models._expressions_subquery import (  # noqa: E402
    Exists,
    Subquery,
)
