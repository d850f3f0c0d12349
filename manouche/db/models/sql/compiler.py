"""Turn a Query into SQLAlchemy Core SELECT / UPDATE / DELETE statements.

The compiler resolves field paths (``author__name``) into columns of aliased
tables, adding the joins they need, compiles lookups and expressions, and
records how the selected columns map back to instances (``klass_info``).
It never executes anything.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from manouche.core.exceptions import FieldError
from manouche.db.models._aggregate_references import refers_to_aggregate
from manouche.db.models.expressions import OuterRef, Value
from manouche.db.models.query_utils import LOOKUP_SEP, Q, check_path
from manouche.db.models.sql._compiler_aggregate import (
    hoist_aggregates,
    needs_wrapping,
    type_pending,
    unselected_aggregates,
)
from manouche.db.models.sql._compiler_filters import annotation_prefix
from manouche.db.models.sql._compiler_paths import _Join
from manouche.db.models.sql._compiler_select import (
    KlassInfo,
    SelectCompilerMixin,
    check_output_type,
)
from manouche.db.models.sql._compound import compile_compound
from manouche.db.models.sql._conditions import is_always_false
from manouche.db.models.sql._distinct_ordering import order_outside_distinct
from manouche.db.models.sql._join_scopes import where_scopes
from manouche.db.models.sql._joins import NullRejection, inner_join_keys

__all__ = ["KlassInfo", "SQLCompiler"]


class SQLCompiler(SelectCompilerMixin):
    """Compile one Query (and its subqueries) for one connection."""

    # Set by _where() when the WHERE clause cannot match any row.
    where_always_false = False
    # Which joins the WHERE clause rejects NULL rows of (see sql._joins).
    _rejection: NullRejection | None = None
    _having_nodes: list[Any]
    # Depth of aggregate filters being compiled (see compile_row_condition).
    _row_conditions = 0
    # True while compiling a WHERE entry sharing the previous one's joins.
    _shares_joins = False

    def __init__(
        self,
        query: Any,
        connection: Any,
        parent: SQLCompiler | None = None,
        for_update_statement: bool = False,
    ) -> None:
        self.query = query
        self.connection = connection
        self.parent = parent
        opts = query.model._meta
        table = opts.sa_table
        self.root = table if (parent is None or for_update_statement) else table.alias()
        if for_update_statement:
            self.root = table
        self.for_update_statement = for_update_statement
        self.joins: dict[tuple[str, ...], _Join] = {}
        self._annotation_cache: dict[str, Any] = {}
        self.klass_info: KlassInfo | None = None
        self.annotation_positions: list[tuple[str, int]] = []
        self.values_count = 0
        # Set while compiling one filter() call whose multi-valued joins must
        # not be shared with the other calls' (see _where()).
        self._join_scope: str | None = None

    @property
    def vendor(self) -> str:
        """Return the backend vendor the SQL is for."""
        if self.connection is not None:
            return str(self.connection.vendor)
        if self.parent is not None:
            return self.parent.vendor
        return "sqlite"

    def _where(self) -> tuple[list[Any], list[Any]]:
        """Compile the filter() calls, each with its own multi-valued joins.

        Conditions of one filter() call share their joins; a later call
        across the same multi-valued relation joins it again, so it may
        match other related rows (Django's semantics). The joins of one call
        (the first multi-valued one, unless an aggregate came before any
        filter) are the ones annotations and ordering reuse.
        """
        where: list[Any] = []
        having: list[Any] = []
        self._having_nodes = []
        query = self.query
        nodes = query.where
        scopes = (
            where_scopes(query, nodes)
            if len(nodes) > 1 or query.shared_where is not None
            else None
        )
        previous = self._join_scope
        rejection = self._rejection = NullRejection()
        try:
            for index, node in enumerate(nodes):
                if scopes is not None:
                    self._join_scope = scopes[index]
                # A related manager's exclude() tests the manager's own
                # related rows (their joins), not every related row.
                self._shares_joins = index > 0 and index in query.sticky_where
                plain, aggregated = self._split_having(node)
                if plain is not None:
                    rejection.active = True
                    where.append(self.compile_condition(plain))
                if aggregated is not None:
                    rejection.active = False
                    having.append(self.compile_condition(aggregated))
                    self._having_nodes.append(aggregated)
        finally:
            self._join_scope = previous
            self._shares_joins = False
            rejection.active = False
        self.where_always_false = any(map(is_always_false, where))
        return where, having

    def _with_having_columns(self, group: list[Any]) -> list[Any]:
        """Add the plain columns a HAVING condition reads to the GROUP BY.

        ``Q(n__gt=1) | Q(age__gte=70)`` is tested per group: ``age`` must be
        grouped by (MariaDB and PostgreSQL refuse an ungrouped column).
        """
        if not group:
            return group
        extra: list[Any] = []
        for node in self._having_nodes:
            if not isinstance(node, Q):
                continue
            for child in node.flatten():
                if not isinstance(child, tuple) or self._refers_to_aggregate(Q(child)):
                    continue
                parts = check_path(child[0])
                if annotation_prefix(parts, self.query.annotations):
                    continue
                column = self.setup_path(parts).column
                if not any(column.compare(known) for known in (*group, *extra)):
                    extra.append(column)
        return [*group, *extra]

    def _split_having(self, node: Any) -> tuple[Any, Any]:
        """Return (WHERE part, HAVING part) of one filter() call's condition.

        Conditions ANDed with one on an aggregate still filter rows (WHERE);
        only those on aggregates wait for the groups (HAVING).
        """
        if not self._refers_to_aggregate(node):
            return node, None
        if not isinstance(node, Q) or node.negated or node.connector != Q.AND:
            return None, node
        plain: list[Any] = []
        aggregated: list[Any] = []
        for child in node.children:
            refers = self._refers_to_aggregate(
                Q(child) if isinstance(child, tuple) else child
            )
            (aggregated if refers else plain).append(child)
        return (Q(*plain) if plain else None), Q(*aggregated)

    def _refers_to_aggregate(self, node: Any) -> bool:
        annotations = self.query.annotations
        if isinstance(node, Q):
            for child in node.flatten():
                if isinstance(child, tuple):
                    parts = child[0].split(LOOKUP_SEP)
                    named = annotation_prefix(parts, annotations)
                    name = LOOKUP_SEP.join(parts[:named])
                    if named and refers_to_aggregate(annotations[name], annotations):
                        return True
                    if getattr(child[1], "contains_aggregate", False):
                        return True
                elif getattr(child, "contains_aggregate", False):
                    return True
            return False
        return bool(getattr(node, "contains_aggregate", False))

    def _from_clause(self) -> Any:
        from_clause: Any = self.root
        required = self._rejection.required if self._rejection is not None else ()
        inner = inner_join_keys(self.joins, required)
        for key, join in self.joins.items():
            from_clause = from_clause.join(
                join.alias, join.onclause, isouter=join.outer and key not in inner
            )
        return from_clause

    def _select_from(self, columns: list[Any]) -> Any:
        """Return ``SELECT columns FROM`` the query's tables.

        A subquery correlates with any enclosing query: OuterRef(OuterRef())
        reads a table two SELECTs up, where SQLAlchemy's auto-correlation
        (one level) would not look.
        """
        from_clause = self._from_clause()
        statement = sa.select(*columns).select_from(from_clause)
        if self.parent is not None and not self.for_update_statement:
            statement = statement.correlate_except(from_clause)
        return statement

    def as_select(
        self, subquery: bool = False, with_limits: bool = True, ordered: bool = True
    ) -> Any:
        """Return the SELECT statement for the query."""
        query = self.query
        if query.combinator:
            return self._as_compound()
        columns, group = self._select_list()
        where, having = self._where()
        order = self.ordering_terms() if ordered else []
        distinct_columns = [self.compile_ref(name) for name in query.distinct_fields]
        grouping = query.has_aggregate_annotation and not query.exists_only
        if query.group_by is not None:
            grouping = True
            group = [
                self.compile_ref(name)
                if isinstance(name, str)
                else self.compile_expression(name)
                for name in query.group_by
            ]
        statement = self._select_from(columns)
        if where:
            statement = statement.where(*where)
        if query.is_empty:
            # none() inside a subquery or a compound: matches no row.
            statement = statement.where(sa.false())
        if grouping:
            if query.values_select is not None and query.group_by is None:
                group = self._values_grouping(group)
            group = self._with_having_columns(group)
            if group:
                statement = statement.group_by(*group)
        if having:
            statement = statement.having(*having)
        statement = self._apply_distinct(statement, distinct_columns)
        if order:
            statement = self._ordered(statement, order, distinct_columns)
        if with_limits:
            if query.high_mark is not None:
                statement = statement.limit(query.high_mark - query.low_mark)
            if query.low_mark:
                statement = statement.offset(query.low_mark)
        if query.select_for_update:
            statement = self._apply_locking(statement)
        return statement

    def _ordered(
        self, statement: Any, order: list[Any], distinct_columns: list[Any]
    ) -> Any:
        """Return ``statement`` ordered by ``order``.

        A SELECT DISTINCT ordered by values it does not select gets them as
        extra columns, behind an outer SELECT (see ``_distinct_ordering``).
        """
        query = self.query
        if (
            query.distinct
            and not distinct_columns
            and not query.select_for_update
            and self.parent is None  # a subquery may read the outer query
        ):
            wrapped = order_outside_distinct(statement, order)
            if wrapped is not None:
                return wrapped
        return statement.order_by(*order)

    def _values_grouping(self, group: list[Any]) -> list[Any]:
        """Return the GROUP BY of a values() query with aggregates.

        Aggregates added before values() are per object (grouped by the
        primary key); added after it, per distinct values() row as selected
        then, even if a later values() selects fewer columns.
        """
        query = self.query
        grouping = query.aggregate_grouping
        if grouping is True or (grouping is None and not group):
            return [self.root.c[query.model._meta.pk.attname], *group]
        if isinstance(grouping, tuple):
            # A constant or a column of the outer query is the same in
            # every row: nothing to group by.
            constant = (OuterRef, Value)
            return [
                self.compile_ref(name)
                for name in grouping
                if not isinstance(query.annotations.get(name), constant)
            ] + group
        return group

    def _apply_distinct(self, statement: Any, distinct_columns: list[Any]) -> Any:
        if not self.query.distinct:
            return statement
        if not distinct_columns:
            return statement.distinct()
        if self.vendor != "postgresql":
            from manouche.db import NotSupportedError

            raise NotSupportedError(
                "DISTINCT ON fields is not supported by this database backend"
            )
        from sqlalchemy.dialects.postgresql import distinct_on

        return statement.ext(distinct_on(*distinct_columns))

    def _apply_locking(self, statement: Any) -> Any:
        query = self.query
        of = [
            self.root if name == "self" else self.setup_path(check_path(name)).alias
            for name in query.select_for_update_of
        ]
        return statement.with_for_update(
            nowait=query.select_for_update_nowait,
            skip_locked=query.select_for_update_skip_locked,
            of=of or None,
        )

    def _as_compound(self) -> Any:
        return compile_compound(self)

    def as_count(self) -> Any:
        """Return ``SELECT COUNT(*)`` for the query."""
        query = self.query
        if (
            query.distinct
            or query.is_sliced
            or query.combinator
            or query.has_aggregate_annotation
            or query.group_by is not None
        ):
            inner_query = query
            if query.has_aggregate_annotation and not query.combinator:
                inner_query = unselected_aggregates(query)
            inner_compiler = SQLCompiler(inner_query, self.connection, self.parent)
            inner = inner_compiler.as_select(ordered=False).subquery()
            return sa.select(sa.func.count()).select_from(inner)
        where, _having = self._where()
        statement = sa.select(sa.func.count()).select_from(self._from_clause())
        if where:
            statement = statement.where(*where)
        return statement

    def as_exists(self) -> Any:
        """Return a SELECT of one constant row, if any row matches."""
        query = self.query
        if query.is_sliced or query.combinator or query.distinct_fields:
            inner = self.as_select(ordered=False).subquery()
            return sa.select(sa.literal(1)).select_from(inner).limit(1)
        where, having = self._where()
        statement = sa.select(sa.literal(1)).select_from(self._from_clause())
        if where:
            statement = statement.where(*where)
        if query.has_aggregate_annotation or having:
            _columns, group = self._select_list()
            if group:
                statement = statement.group_by(*group)
            if having:
                statement = statement.having(*having)
        return statement.limit(1)

    def as_aggregate(self, aggregates: dict[str, Any]) -> Any:
        """Return a SELECT computing ``aggregates`` over the query's rows."""
        query = self.query
        for aggregate in aggregates.values():
            check_output_type(self, aggregate)
        if needs_wrapping(query, aggregates):
            inner_query, outer_aggregates = hoist_aggregates(query, aggregates)
            inner_compiler = SQLCompiler(
                inner_query, self.connection, parent=self.parent
            )
            type_pending(outer_aggregates, inner_compiler)
            inner = inner_compiler.as_select().subquery()
            outer = _SubqueryCompiler(self, inner)
            # Read by position: the names stay the inner query's (as Django).
            columns = [
                outer.compile_expression(aggregate)
                for aggregate in outer_aggregates.values()
            ]
            return sa.select(*columns).select_from(inner)
        columns = [
            self.compile_expression(aggregate).label(alias)
            for alias, aggregate in aggregates.items()
        ]
        where, _having = self._where()
        statement = sa.select(*columns).select_from(self._from_clause())
        if where:
            statement = statement.where(*where)
        if query.is_empty:
            # none() inside a subquery or a compound: matches no row.
            statement = statement.where(sa.false())
        return statement

    # -- UPDATE / DELETE --------------------------------------------------------------
    def _statement_filter(self, table: Any) -> Any:
        """Return the WHERE condition restricting an UPDATE/DELETE of ``table``."""
        query = self.query
        direct = SQLCompiler(query, self.connection, for_update_statement=True)
        where, having = direct._where()
        if not direct.joins and not having and not query.is_sliced:
            return sa.and_(*where) if where else None
        pk_query = query.values_pk_query()
        inner = SQLCompiler(pk_query, self.connection, parent=None)
        inner.root = query.model._meta.sa_table.alias()
        select = inner.as_select()
        if self.vendor == "mysql":
            derived = select.subquery()
            select = sa.select(*derived.c)
        pk = query.model._meta.pk
        return table.c[pk.attname].in_(select)

    def as_update(
        self, values: list[tuple[Any, Any]], pks: list[Any] | None = None
    ) -> list[Any]:
        """Return the UPDATE statements, one per table (parents included).

        Updates touching parent tables need ``pks``, fetched beforehand: the
        first UPDATE may change what the filter matches.
        """
        query = self.query
        by_model: dict[Any, dict[str, Any]] = {}
        direct = SQLCompiler(query, self.connection, for_update_statement=True)
        for field, value in values:
            owner = field.model._meta.concrete_model
            by_model.setdefault(owner, {})
            if hasattr(value, "as_sa"):
                before = dict(direct.joins)
                compiled = direct.compile_expression(value)
                if direct.joins != before:
                    raise FieldError(
                        "Joined field references are not permitted in this query"
                    )
            else:
                compiled = field.get_db_prep_save(value, self.connection)
            by_model[owner][field.attname] = compiled
        statements = []
        for model, model_values in by_model.items():
            table = model._meta.sa_table
            if pks is not None:
                condition = table.c[model._meta.pk.attname].in_(pks)
            else:
                condition = self._statement_filter(table)
            statement = sa.update(table).values(model_values)
            if condition is not None:
                statement = statement.where(condition)
            statements.append(statement)
        return statements

    @staticmethod
    def update_tables(values: list[tuple[Any, Any]]) -> int:
        """Return how many tables an update writes to."""
        return len({field.model._meta.concrete_model for field, _ in values})

    def as_delete(self) -> Any:
        """Return the DELETE statement for the query's rows."""
        table = self.query.model._meta.sa_table
        condition = self._statement_filter(table)
        statement = sa.delete(table)
        if condition is not None:
            statement = statement.where(condition)
        return statement


class _SubqueryCompiler(SQLCompiler):
    """Resolve names against the columns of a derived table (aggregate())."""

    def __init__(self, base: SQLCompiler, derived: Any) -> None:
        super().__init__(base.query, base.connection, parent=base.parent)
        self.derived = derived

    def compile_ref(self, name: str) -> Any:
        if name in self.derived.c:
            return self.derived.c[name]
        raise FieldError(
            f"Cannot compute aggregate over '{name}': it is not selected by the "
            "inner query."
        )
