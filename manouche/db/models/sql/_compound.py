"""UNION / INTERSECT / EXCEPT: the members' selects, their ORDER BY and limits.

values() called on a combined queryset chooses the columns of every member
that did not choose its own.  ORDER BY names a result column by position;
a term no member selects is added to every member's select (and hidden by
an outer SELECT), unless a member chose its own columns.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from manouche.core.exceptions import FieldDoesNotExist
from manouche.db.models.query_utils import LOOKUP_SEP
from manouche.db.models.sql._conditions import compound_is_empty

_COMBINATORS = {
    ("union", False): sa.union,
    ("union", True): sa.union_all,
    ("intersection", False): sa.intersect,
    ("intersection", True): sa.intersect_all,
    ("difference", False): sa.except_,
    ("difference", True): sa.except_all,
}


class _Term:
    """One ORDER BY term of a combined query."""

    __slots__ = ("descending", "nulls_first", "nulls_last", "position", "target")

    def __init__(self, item: Any, reverse: bool) -> None:
        from manouche.db.models.expressions import F, OrderBy

        self.nulls_first: bool | None = None
        self.nulls_last: bool | None = None
        if isinstance(item, str):
            self.descending = item.startswith("-")
            target: Any = item.lstrip("-+")
        else:
            if not isinstance(item, OrderBy):
                item = OrderBy(item)
            self.descending = item.descending
            self.nulls_first = item.nulls_first
            self.nulls_last = item.nulls_last
            target = item.expression
            if isinstance(target, F) and type(target) is F:
                target = target.name
        if reverse:
            self.descending = not self.descending
            self.nulls_first, self.nulls_last = self.nulls_last, self.nulls_first
        self.target = target
        self.position = -1

    def order(self, column: Any, vendor: str) -> list[Any]:
        """Return the ORDER BY elements for ``column``."""
        term = column.desc() if self.descending else column.asc()
        if not (self.nulls_first or self.nulls_last):
            return [term]
        if vendor == "mysql":
            key = sa.case((column.is_(None), 0), else_=1)
            return [key if self.nulls_first else key.desc(), term]
        return [term.nulls_first() if self.nulls_first else term.nulls_last()]


def _candidates(query: Any, name: str) -> list[str]:
    """Result column names ``name`` may appear under."""
    opts = query.model._meta
    names = [name]
    try:
        field = opts.pk if name == "pk" else opts.get_field(name)
    except FieldDoesNotExist:
        return names
    for other in (getattr(field, "column", None), getattr(field, "attname", None)):
        if other and other not in names:
            names.append(other)
    return names


def _position(query: Any, names: list[str], target: Any) -> int | None:
    if not isinstance(target, str):
        return None
    for candidate in _candidates(query, target):
        if candidate in names:
            return names.index(candidate)
    return None


def _no_such_column(name: Any) -> Exception:
    from manouche.db import DatabaseError

    return DatabaseError(
        f"ORDER BY term does not match any column in the result set: {name}"
    )


def compile_compound(compiler: Any) -> Any:
    """Return the compound SELECT of ``compiler``'s combined query."""
    from manouche.db.models.sql.compiler import SQLCompiler

    query = compiler.query
    features = getattr(compiler.connection, "features", None)
    parentheses = getattr(features, "supports_parentheses_in_compound", True)
    members = []
    own_columns = False
    for part in query.combined_queries:
        if part.values_select is not None:
            own_columns = True
        elif query.values_select is not None:
            part = part.clone()
            part.set_values(query.values_select)
        members.append(SQLCompiler(part, compiler.connection, parent=compiler.parent))
    # A member's ordering only matters when it is sliced.
    selects = [m.as_select(ordered=m.query.is_sliced) for m in members]
    compiler.where_always_false = compound_is_empty(query.combinator, members)
    first = members[0]
    compiler.klass_info = first.klass_info
    compiler.annotation_positions = first.annotation_positions
    compiler.values_count = first.values_count
    names = [column.name for column in selects[0].selected_columns]
    shown = len(names)
    terms = [_Term(item, not query.standard_ordering) for item in query.order_by]
    for term in terms:
        position = _position(query, names, term.target)
        if position is None:
            position = _add_ordering_column(members, selects, names, term, own_columns)
        term.position = position
    for index, select in enumerate(selects):
        part = members[index].query
        if not parentheses and (
            part.combinator
            or select._limit_clause is not None
            or select._offset_clause is not None
            or select._order_by_clauses
        ):
            # SQLite rejects "(SELECT ...) UNION ...": select from it instead.
            inner = select.subquery()
            selects[index] = sa.select(*inner.c)
    compound = _COMBINATORS[(query.combinator, query.combinator_all)](*selects)
    vendor = compiler.vendor
    statement: Any = compound
    if terms:
        nulls = any(t.nulls_first or t.nulls_last for t in terms)
        if len(names) > shown or (nulls and vendor == "mysql"):
            # Hide the added ordering columns behind an outer SELECT.
            columns = list(compound.subquery().c)
            statement = sa.select(*columns[:shown])
            order = [e for t in terms for e in t.order(columns[t.position], vendor)]
        else:
            order = [
                e
                for t in terms
                for e in t.order(sa.literal_column(str(t.position + 1)), vendor)
            ]
        statement = statement.order_by(*order)
    if query.high_mark is not None:
        statement = statement.limit(query.high_mark - query.low_mark)
    if query.low_mark:
        statement = statement.offset(query.low_mark)
    return statement


def _add_ordering_column(
    members: list[Any],
    selects: list[Any],
    names: list[str],
    term: _Term,
    own_columns: bool,
) -> int:
    """Select ``term`` in every member; return its position."""
    target = term.target
    if isinstance(target, str) and LOOKUP_SEP in target:
        head = target.split(LOOKUP_SEP, 1)[0]
        if head in members[0].query.annotations or head in names:
            raise NotImplementedError(
                "Ordering combined queries by transforms is not implemented."
            )
    if own_columns:
        raise _no_such_column(target)
    label = f"__orderbycol{len(names) + 1}"
    for index, member in enumerate(members):
        column = (
            member.compile_ref(target)
            if isinstance(target, str)
            else member.compile_expression(target)
        )
        selects[index] = selects[index].add_columns(column.label(label))
    names.append(label)
    return len(names) - 1
