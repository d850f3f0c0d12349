"""Lookups (``field__lookup=value``) and transforms (``field__year``).

A lookup compares a left-hand expression with a right-hand value, which is
always bound as a parameter (or compiled as an expression / subquery).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from manouche.db.models import fields as model_fields
from manouche.db.models.expressions import Expression, Func
from manouche.db.models.query_utils import RegisterLookupMixin

__all__ = [
    "Contains",
    "EndsWith",
    "Exact",
    "GreaterThan",
    "GreaterThanOrEqual",
    "IContains",
    "IEndsWith",
    "IExact",
    "IRegex",
    "IStartsWith",
    "In",
    "IntegerFieldExact",
    "IntegerGreaterThan",
    "IntegerGreaterThanOrEqual",
    "IntegerLessThan",
    "IntegerLessThanOrEqual",
    "IsNull",
    "LessThan",
    "LessThanOrEqual",
    "Lookup",
    "Range",
    "Regex",
    "StartsWith",
    "Transform",
]


class Lookup(Expression):
    """Base class of lookups: ``lhs <operator> rhs``."""

    lookup_name: str = ""
    prepare_rhs = True
    can_use_none_as_rhs = False

    def __init__(self, lhs: Any, rhs: Any) -> None:
        super().__init__(output_field=model_fields.BooleanField())
        self.lhs = lhs
        self.rhs = self.get_prep_lookup(rhs)
        bilateral = self.get_bilateral_transforms()
        if bilateral:
            self.rhs = _apply_bilateral(bilateral, self.rhs)

    def get_bilateral_transforms(self) -> list[type]:
        """Return the bilateral transforms of the lhs chain, innermost first."""
        found: list[type] = []
        node = self.lhs
        while isinstance(node, Transform):
            if node.bilateral:
                found.insert(0, type(node))
            node = node.lhs
        return found

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}({self.lhs!r}, {self.rhs!r})"

    def get_source_expressions(self) -> list[Any]:
        return [self.lhs, self.rhs] if hasattr(self.rhs, "as_sa") else [self.lhs]

    @property
    def contains_aggregate(self) -> bool:  # type: ignore[override]
        return bool(
            getattr(self.lhs, "contains_aggregate", False)
            or getattr(self.rhs, "contains_aggregate", False)
        )

    @property
    def lhs_field(self) -> Any:
        """Return the field describing the left-hand side."""
        return getattr(self.lhs, "_output_field_or_none", None)

    def get_prep_lookup(self, value: Any) -> Any:
        """Convert the right-hand value with the lhs field's get_prep_value."""
        if hasattr(value, "as_sa") or hasattr(value, "_as_subquery_of"):
            return value
        field = self.lhs_field
        if self.prepare_rhs and field is not None and value is not None:
            return field.get_prep_value(value)
        return value

    def rhs_sa(self, compiler: Any, lhs: Any) -> Any:
        """Return the right-hand side as a bound parameter or an expression."""
        if hasattr(self.rhs, "as_sa"):
            return compiler.compile_expression(self.rhs)
        return sa.bindparam(None, self.rhs, type_=lhs.type)

    def as_sa(self, compiler: Any) -> Any:
        lhs = compiler.compile_expression(self.lhs)
        return self.build(compiler, lhs, self.rhs_sa(compiler, lhs))

    def build(self, compiler: Any, lhs: Any, rhs: Any) -> Any:
        """Return the condition for compiled ``lhs`` and ``rhs``."""
        raise NotImplementedError

    # -- Django's as_sql protocol (see _as_sql) --------------------------------
    def process_lhs(
        self, compiler: Any, connection: Any, lhs: Any = None
    ) -> tuple[str, list[Any]]:
        """Return the left-hand side (or ``lhs``) as SQL text and parameters."""
        sql, params = compiler.compile(self.lhs if lhs is None else lhs)
        return sql, list(params)

    def process_rhs(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        """Return the right-hand side as SQL text and parameters."""
        if hasattr(self.rhs, "as_sa"):
            sql, params = compiler.compile(self.rhs)
            return sql, list(params)
        value = self.rhs
        field = self.lhs_field
        if field is not None and value is not None:
            value = field.get_db_prep_value(value, connection, prepared=True)
        return "%s", [value]

    @property
    def identity(self) -> tuple[Any, ...]:
        return (type(self), id(self))


def _apply_bilateral(transforms: list[type], value: Any) -> Any:
    """Apply ``transforms`` to the right-hand side too (``name__upper=...``)."""
    from manouche.db.models.expressions import Value

    if hasattr(value, "_fetch_operation") or hasattr(value, "query"):
        raise NotImplementedError(
            "Bilateral transformations on nested querysets are not implemented."
        )
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_apply_bilateral(transforms, item) for item in value]
    expression = value if hasattr(value, "as_sa") else Value(value)
    for transform in transforms:
        expression = transform(expression)
    return expression


class Transform(RegisterLookupMixin, Func):
    """A function of one column usable in a lookup path (``date__year``)."""

    lookup_name: str = ""
    bilateral = False
    arity = 1

    @property
    def lhs(self) -> Any:
        """Return the transformed expression."""
        return self.get_source_expressions()[0]


class BuiltinLookup(Lookup):
    """Lookups that are a single SQLAlchemy operator."""


class Exact(BuiltinLookup):
    """``=`` (``IS NULL`` for None)."""

    lookup_name = "exact"

    def get_prep_lookup(self, value: Any) -> Any:
        if hasattr(value, "query") and hasattr(value, "_fetch_operation"):
            return value
        return super().get_prep_lookup(value)

    def as_sa(self, compiler: Any) -> Any:
        lhs = compiler.compile_expression(self.lhs)
        if self.rhs is None:
            return lhs.is_(None)
        if hasattr(self.rhs, "_fetch_operation"):
            query = self.rhs.query
            if not query.has_select_fields():
                query = query.values_pk_query()
            return lhs == compiler.compile_subquery(query).scalar_subquery()
        return lhs == self.rhs_sa(compiler, lhs)


class IExact(BuiltinLookup):
    """Case-insensitive equality."""

    lookup_name = "iexact"
    prepare_rhs = False

    def as_sa(self, compiler: Any) -> Any:
        lhs = compiler.compile_expression(self.lhs)
        if self.rhs is None:
            return lhs.is_(None)
        return sa.func.lower(lhs) == sa.func.lower(self.rhs_sa(compiler, lhs))


class GreaterThan(BuiltinLookup):
    """``>``."""

    lookup_name = "gt"

    def build(self, compiler: Any, lhs: Any, rhs: Any) -> Any:
        return lhs > rhs


class GreaterThanOrEqual(BuiltinLookup):
    """``>=``."""

    lookup_name = "gte"

    def build(self, compiler: Any, lhs: Any, rhs: Any) -> Any:
        return lhs >= rhs


class LessThan(BuiltinLookup):
    """``<``."""

    lookup_name = "lt"

    def build(self, compiler: Any, lhs: Any, rhs: Any) -> Any:
        return lhs < rhs


class LessThanOrEqual(BuiltinLookup):
    """``<=``."""

    lookup_name = "lte"

    def build(self, compiler: Any, lhs: Any, rhs: Any) -> Any:
        return lhs <= rhs


class In(BuiltinLookup):
    """``IN (values)`` or ``IN (subquery)``; None values are dropped."""

    lookup_name = "in"

    def get_prep_lookup(self, value: Any) -> Any:
        if hasattr(value, "_fetch_operation") or hasattr(value, "as_sa"):
            return value
        if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
            raise TypeError(
                f"Field '{getattr(self.lhs_field, 'name', '')}' expected an iterable "
                f"for the 'in' lookup but got {value!r}."
            )
        field = self.lhs_field
        prepared = []
        for item in value:
            if item is None:
                continue
            if hasattr(item, "as_sa"):
                prepared.append(item)
            elif field is not None:
                prepared.append(field.get_prep_value(item))
            else:
                prepared.append(item)
        return prepared

    def as_sa(self, compiler: Any) -> Any:
        lhs = compiler.compile_expression(self.lhs)
        if hasattr(self.rhs, "_fetch_operation"):
            query = self.rhs.query
            if query.is_empty:
                return sa.false()  # in none(): no row matches, skip the query
            if not query.has_select_fields():
                query = query.values_pk_query()
                target = _related_target(self.lhs_field, query.model)
                if target is not None:
                    query.values_select = (target.name,)
            return lhs.in_(compiler.compile_subquery(query))
        if hasattr(self.rhs, "inner_select"):
            return lhs.in_(self.rhs.inner_select(compiler))
        if hasattr(self.rhs, "as_sa"):
            compiled = compiler.compile_expression(self.rhs)
            if isinstance(compiled, sa.sql.elements.ColumnElement) and not isinstance(
                compiled,
                (sa.sql.elements.BindParameter, sa.sql.selectable.ScalarSelect),
            ):
                # ``x__in=OuterRef("pk")``: a list of that one value.
                return lhs.in_([compiled])
            return lhs.in_(compiled)
        if any(hasattr(item, "as_sa") for item in self.rhs):
            return lhs.in_([compiler.compile_expression(i) for i in self.rhs])
        unique = list(dict.fromkeys(self.rhs)) if _hashable(self.rhs) else self.rhs
        if not unique:
            return sa.false()  # IN (): no row matches, skip the query
        return lhs.in_(sa.bindparam(None, unique, expanding=True, type_=lhs.type))


def _related_target(field: Any, model: Any) -> Any:
    """The non-pk field a foreign key (``to_field=``) on ``model`` points at."""
    if not (
        getattr(field, "many_to_one", False) or getattr(field, "one_to_one", False)
    ):
        return None
    target = getattr(field, "target_field", None)
    if target is None or target.primary_key or not getattr(field, "concrete", False):
        return None
    owner = getattr(target, "model", None)
    if owner is None or not issubclass(model, owner):
        return None
    return target


def _hashable(values: list[Any]) -> bool:
    try:
        for value in values:
            hash(value)
    except TypeError:
        return False
    return True


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _escape_like_sql(value: Any) -> Any:
    """Escape LIKE's special characters in a value computed by the database."""
    known = getattr(value, "type", None)
    if isinstance(known, sa.types.TypeDecorator):
        known = known.impl_instance
    if known is not None and not isinstance(known, (sa.String, sa.types.NullType)):
        # REPLACE() takes text (PostgreSQL has no replace(integer, ...)).
        value = sa.cast(value, sa.String())
    for special in ("\\", "%", "_"):
        value = sa.func.replace(
            value,
            sa.literal(special, sa.String()),
            sa.literal("\\" + special, sa.String()),
        )
    return value


class PatternLookup(BuiltinLookup):
    """LIKE-based lookups with the pattern characters escaped."""

    prepare_rhs = False
    case_insensitive = False
    prefix = "%"
    suffix = "%"

    def as_sa(self, compiler: Any) -> Any:
        lhs = compiler.compile_expression(self.lhs)
        if hasattr(self.rhs, "as_sa"):
            # The other value's own %, _ and \ must match literally.
            rhs = _escape_like_sql(compiler.compile_expression(self.rhs))
            pattern = sa.literal(self.prefix) + rhs + sa.literal(self.suffix)
            if self.prefix == "":
                pattern = rhs + sa.literal(self.suffix)
            if self.suffix == "":
                pattern = sa.literal(self.prefix) + rhs
        else:
            text = "" if self.rhs is None else str(self.rhs)
            pattern = sa.bindparam(
                None,
                f"{self.prefix}{_escape_like(text)}{self.suffix}",
                type_=sa.String(),
            )
        if self.case_insensitive:
            return sa.func.lower(lhs).like(sa.func.lower(pattern), escape="\\")
        if compiler.vendor == "mysql":
            return lhs.op("LIKE BINARY")(pattern)
        # SQLite's LIKE ignores ASCII case, as Django documents for SQLite.
        return lhs.like(pattern, escape="\\")


class Contains(PatternLookup):
    """Case-sensitive substring."""

    lookup_name = "contains"


class IContains(PatternLookup):
    """Case-insensitive substring."""

    lookup_name = "icontains"
    case_insensitive = True


class StartsWith(PatternLookup):
    """Case-sensitive prefix."""

    lookup_name = "startswith"
    prefix = ""


class IStartsWith(StartsWith):
    """Case-insensitive prefix."""

    lookup_name = "istartswith"
    case_insensitive = True


class EndsWith(PatternLookup):
    """Case-sensitive suffix."""

    lookup_name = "endswith"
    suffix = ""


class IEndsWith(EndsWith):
    """Case-insensitive suffix."""

    lookup_name = "iendswith"
    case_insensitive = True


class Range(BuiltinLookup):
    """``BETWEEN a AND b``."""

    lookup_name = "range"

    def get_prep_lookup(self, value: Any) -> Any:
        if hasattr(value, "as_sa"):
            return value
        try:
            start, end = value
        except (TypeError, ValueError):
            raise ValueError("The 'range' lookup needs a (start, end) pair.")
        field = self.lhs_field
        if field is not None:
            start = start if hasattr(start, "as_sa") else field.get_prep_value(start)
            end = end if hasattr(end, "as_sa") else field.get_prep_value(end)
        return (start, end)

    def as_sa(self, compiler: Any) -> Any:
        lhs = compiler.compile_expression(self.lhs)
        start, end = (
            compiler.compile_expression(v)
            if hasattr(v, "as_sa")
            else sa.bindparam(None, v, type_=lhs.type)
            for v in self.rhs
        )
        return lhs.between(start, end)


class IsNull(BuiltinLookup):
    """``IS NULL`` / ``IS NOT NULL``; the value must be a boolean."""

    lookup_name = "isnull"
    prepare_rhs = False

    def get_prep_lookup(self, value: Any) -> Any:
        if not isinstance(value, bool):
            raise ValueError(
                "The QuerySet value for an isnull lookup must be True or False."
            )
        return value

    def as_sa(self, compiler: Any) -> Any:
        lhs = compiler.compile_expression(self.lhs)
        return lhs.is_(None) if self.rhs else lhs.is_not(None)


class Regex(BuiltinLookup):
    """Regular-expression match (the pattern is a bound parameter)."""

    lookup_name = "regex"
    prepare_rhs = False
    flags: str | None = None

    def as_sa(self, compiler: Any) -> Any:
        lhs = compiler.compile_expression(self.lhs)
        pattern = (
            self.rhs_sa(compiler, lhs) if hasattr(self.rhs, "as_sa") else str(self.rhs)
        )
        if compiler.vendor == "mysql" and isinstance(pattern, str):
            flagged = ("(?i)" if self.flags else "(?-i)") + pattern
            return lhs.op("REGEXP")(sa.bindparam(None, flagged, type_=sa.String()))
        if compiler.vendor == "sqlite":
            prefix = "(?i)" if self.flags and isinstance(pattern, str) else ""
            return lhs.op("REGEXP")(
                sa.bindparam(None, prefix + pattern, type_=sa.String())
                if isinstance(pattern, str)
                else pattern
            )
        return lhs.regexp_match(pattern, flags=self.flags)


class IRegex(Regex):
    """Case-insensitive regular-expression match."""

    lookup_name = "iregex"
    flags = "i"


for _lookup in (
    Exact,
    IExact,
    GreaterThan,
    GreaterThanOrEqual,
    LessThan,
    LessThanOrEqual,
    In,
    Contains,
    IContains,
    StartsWith,
    IStartsWith,
    EndsWith,
    IEndsWith,
    Range,
    IsNull,
    Regex,
    IRegex,
):
    model_fields.Field.register_lookup(_lookup)

# Integer fields compare through range-aware variants (registered last so that
# they replace the generic ones on IntegerField and its subclasses).
from manouche.db.models._integer_lookups import (  # noqa: E402
    IntegerFieldExact,
    IntegerGreaterThan,
    IntegerGreaterThanOrEqual,
    IntegerLessThan,
    IntegerLessThanOrEqual,
)

for _lookup in (
    IntegerFieldExact,
    IntegerGreaterThan,
    IntegerGreaterThanOrEqual,
    IntegerLessThan,
    IntegerLessThanOrEqual,
):
    model_fields.IntegerField.register_lookup(_lookup)
