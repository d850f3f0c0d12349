"""``QuerySet.extra()``: raw SQL select columns, WHERE clauses and ordering.

``extra()`` is the escape hatch Django keeps for SQL the ORM cannot express.
manouche accepts it with the same shape, and keeps the one rule that makes it
safe enough to keep: values only ever travel as bound parameters (``%s`` in
the fragment, the value in ``select_params`` / ``params``), and the aliases
that become column labels are checked before any SQL is built.

Fragments are SQL text written for the target database; ``%s`` marks a
parameter and ``%%`` a literal percent sign.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import sqlalchemy as sa

from manouche.db import NotSupportedError
from manouche.db.models.expressions import Expression, OrderBy
from manouche.db.models.fields import BooleanField
from manouche.db.models.query_utils import Q, check_alias

__all__ = ["ExtraSelect", "ExtraWhere", "apply_extra", "sql_fragment"]

_PLACEHOLDER = re.compile(r"%%|%s")
# ``table.column`` or ``column`` in extra(order_by=...), optionally with ``-``.
_ORDER_TERM = re.compile(r"\A-?[A-Za-z_][\w$]*(\.[A-Za-z_][\w$]*)?\Z")


def sql_fragment(sql: str, params: Sequence[Any], owner: object) -> Any:
    """Build a SQLAlchemy text clause from ``sql`` with ``%s`` bound to ``params``.

    ``%%`` stands for a literal percent sign; colons are escaped so that
    SQLAlchemy does not read them as named parameters.
    """
    binds: list[Any] = []
    used = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal used
        if match.group(0) == "%%":
            return "%"
        if used >= len(params):
            raise ValueError(
                f"The SQL fragment {sql!r} has more %s placeholders than parameters."
            )
        name = f"extra_{id(owner):x}_{used}"
        binds.append(sa.bindparam(name, params[used]))
        used += 1
        return f":{name}"

    escaped = sql.replace("\\", "\\\\").replace(":", "\\:")
    text = _PLACEHOLDER.sub(replace, escaped)
    if used != len(params):
        raise ValueError(
            f"The SQL fragment {sql!r} has {used} %s placeholders but "
            f"{len(params)} parameters were given."
        )
    return sa.text(text).bindparams(*binds)


class ExtraSelect(Expression):
    """A raw SQL column from ``extra(select=...)``; its type is the database's."""

    def __init__(self, sql: str, params: Sequence[Any] = ()) -> None:
        super().__init__()
        self.sql = sql
        self.params = tuple(params)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.sql!r}, {self.params!r})"

    def as_sa(self, compiler: Any) -> Any:
        clause = sql_fragment(self.sql, self.params, self).self_group()
        return sa.type_coerce(clause, sa.types.NullType())


class ExtraWhere(Expression):
    """Raw SQL conditions from ``extra(where=...)``, ANDed together."""

    def __init__(self, sqls: Sequence[str], params: Sequence[Any] = ()) -> None:
        super().__init__(output_field=BooleanField())
        self.sqls = list(sqls)
        self.params = tuple(params)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.sqls!r}, {self.params!r})"

    def as_sa(self, compiler: Any) -> Any:
        joined = " AND ".join(f"({sql})" for sql in self.sqls)
        clause = sql_fragment(joined, self.params, self).self_group()
        return sa.type_coerce(clause, sa.Boolean())


def _select_params(
    select: Mapping[str, str], select_params: Sequence[Any]
) -> list[tuple[str, str, tuple[Any, ...]]]:
    # Parameters are consumed in the order of the select mapping.
    remaining = list(select_params)
    columns = []
    for alias, sql in select.items():
        check_alias(alias)
        sql = str(sql)  # ``{"one": 1}`` selects the SQL literal 1
        count = len(_PLACEHOLDER.findall(sql)) - sql.count("%%")
        if count > len(remaining):
            raise ValueError("extra(): fewer select_params than %s placeholders.")
        columns.append((alias, sql, tuple(remaining[:count])))
        remaining = remaining[count:]
    if remaining:
        raise ValueError("extra(): more select_params than %s placeholders.")
    return columns


def _order_terms(order_by: Iterable[Any], selects: Iterable[str]) -> list[Any]:
    names = set(selects)
    terms: list[Any] = []
    for term in order_by:
        if not isinstance(term, str):
            terms.append(term)
            continue
        name = term.lstrip("-")
        if name in names or "." not in name:
            terms.append(term)
            continue
        if not _ORDER_TERM.match(term):
            raise ValueError(f"Invalid extra(order_by=...) term {term!r}.")
        table, column = name.split(".")
        expression = OrderBy(
            _QualifiedColumn(table, column), descending=term.startswith("-")
        )
        terms.append(expression)
    return terms


class _QualifiedColumn(Expression):
    """``table.column`` named in extra(order_by=...), quoted by the dialect."""

    def __init__(self, table: str, column: str) -> None:
        super().__init__()
        self.table, self.column = table, column

    def as_sa(self, compiler: Any) -> Any:
        return sa.table(self.table, sa.column(self.column)).c[self.column]


def apply_extra(
    queryset: Any,
    select: Mapping[str, str] | None = None,
    where: Sequence[str] | None = None,
    params: Sequence[Any] | None = None,
    tables: Sequence[str] | None = None,
    order_by: Sequence[Any] | None = None,
    select_params: Sequence[Any] | None = None,
) -> Any:
    """Return a copy of ``queryset`` with the raw SQL pieces added."""
    if tables:
        raise NotSupportedError(
            "extra(tables=...) is not supported: join through a relation, or "
            "filter with Exists()/Subquery() on the other model."
        )
    clone = queryset._chain()
    query = clone.query
    extra_names = []
    for alias, sql, bound in _select_params(select or {}, select_params or ()):
        query.add_extra_select(alias, ExtraSelect(sql, bound))
        extra_names.append(alias)
    if where:
        if isinstance(where, str):
            raise TypeError("extra(where=...) takes a list of SQL strings.")
        clone.query.add_q(Q(ExtraWhere(list(where), tuple(params or ()))))
    elif params:
        raise ValueError("extra(params=...) needs where clauses to bind to.")
    if order_by:
        if isinstance(order_by, str):
            raise TypeError("extra(order_by=...) takes a list of terms.")
        query.order_by = tuple(_order_terms(order_by, query.annotations))
        query.default_ordering = True
    return clone
