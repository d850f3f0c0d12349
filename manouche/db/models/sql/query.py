"""The Query: a plain description of what a QuerySet asks for.

It records filters, ordering, limits, selected values and annotations; it does
no SQL work itself. ``SQLCompiler`` turns it into a SQLAlchemy statement.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from manouche.core.exceptions import FieldDoesNotExist, FieldError
from manouche.db.models._aggregate_references import (
    check_aggregate_sources,
    with_sources,
)
from manouche.db.models._early_checks import check_query_sources
from manouche.db.models.query_utils import Q, check_alias, check_path
from manouche.db.models.sql._display import display_sql
from manouche.db.models.sql._lookup_checks import check_lookup
from manouche.db.models.sql._related_values import check_related_values

__all__ = ["Query", "RawQuery"]

_BARE_JOIN = re.compile(r"(?<!OUTER) JOIN ")

ORDER_PATTERN_MESSAGE = (
    "Invalid order_by arguments: {names!r}. Ordering terms must be field paths "
    "such as 'name', '-created' or 'author__name', or '?'."
)


def _check_saved(value: Any) -> None:
    """Reject an unsaved model instance as a filter value (it has no key yet)."""
    values = value if isinstance(value, (list, tuple, set, frozenset)) else (value,)
    for item in values:
        if (
            not isinstance(item, type)
            and hasattr(item, "_meta")
            and hasattr(item, "_state")
            and item.pk is None
        ):
            raise ValueError("Model instances passed to related filters must be saved.")


class Query:
    """Everything a QuerySet will select, as data."""

    compiler = "SQLCompiler"
    #: True for the copy a Subquery() holds (never for a QuerySet's own).
    subquery = False
    # FilteredRelation aliases; replaced (never mutated) so clones share it.
    filtered_relations: dict[str, Any] = {}

    def __init__(self, model: Any) -> None:
        self.model = model
        self.where: list[Any] = []
        self.order_by: tuple[Any, ...] = ()
        self.default_ordering = True
        self.standard_ordering = True
        self.distinct = False
        self.distinct_fields: tuple[str, ...] = ()
        self.low_mark = 0
        self.high_mark: int | None = None
        self.select_related: bool | dict[str, Any] = False
        self.values_select: tuple[Any, ...] | None = None
        self.values_names: tuple[str, ...] = ()
        self.annotations: dict[str, Any] = {}
        self.annotation_select_mask: set[str] | None = None
        self.deferred_loading: tuple[frozenset[str], bool] = (frozenset(), True)
        self.group_by: tuple[Any, ...] | None = None
        # What aggregate annotations group by, fixed when they are added:
        # None (no aggregate yet), True (one row per object: annotate()
        # before values()) or the values() names then selected.
        self.aggregate_grouping: bool | tuple[str, ...] | None = None
        self.select_for_update = False
        self.select_for_update_nowait = False
        self.select_for_update_skip_locked = False
        self.select_for_update_of: tuple[str, ...] = ()
        self.combinator: str | None = None
        self.combinator_all = False
        self.combined_queries: tuple[Query, ...] = ()
        self.is_empty = False
        self.exists_only = False
        # Join scopes: each filter() call gets its own multi-valued joins.
        # ``sticky_where`` holds the where indexes sharing the previous
        # entry's joins; ``shared_where`` the entry whose joins annotations
        # and ordering reuse (None: the first multi-valued one; -1: none).
        self.sticky_where: frozenset[int] = frozenset()
        self.sticky_pending = False
        self.shared_where: int | None = None

    def clone(self) -> Query:
        """Return a copy safe to modify."""
        obj = self.__class__.__new__(self.__class__)
        obj.__dict__ = self.__dict__.copy()
        obj.where = list(self.where)
        obj.annotations = dict(self.annotations)
        if self.annotation_select_mask is not None:
            obj.annotation_select_mask = set(self.annotation_select_mask)
        if isinstance(self.select_related, dict):
            obj.select_related = copy.deepcopy(self.select_related)
        return obj

    chain = clone

    # -- filters ---------------------------------------------------------------
    def add_q(self, q: Q) -> None:
        """AND a condition tree into the WHERE clause."""
        self._check_q(q)
        if q:
            self.where.append(q)
            if self.sticky_pending:
                # The next filter() shares this one's joins (related managers).
                self.sticky_pending = False
                self.sticky_where = self.sticky_where | {len(self.where)}

    def _check_q(self, q: Any) -> None:
        for child in q.children:
            if isinstance(child, Q):
                self._check_q(child)
            elif isinstance(child, tuple):
                check_path(child[0])
                _check_first_name(self, child[0])
                check_related_values(self.model, child[0], child[1])
                _check_saved(child[1])
                check_lookup(self, child[0], child[1])

    def set_empty(self) -> None:
        """Make the query return nothing without asking the database."""
        self.is_empty = True

    def set_limits(self, low: int | None = None, high: int | None = None) -> None:
        """Apply a slice on top of any existing one."""
        if high is not None:
            if self.high_mark is not None:
                self.high_mark = min(self.high_mark, self.low_mark + high)
            else:
                self.high_mark = self.low_mark + high
        if low is not None:
            if self.high_mark is not None:
                self.low_mark = min(self.high_mark, self.low_mark + low)
            else:
                self.low_mark = self.low_mark + low
        if self.low_mark == self.high_mark:
            self.set_empty()

    def clear_limits(self) -> None:
        """Remove any slice."""
        self.low_mark, self.high_mark = 0, None

    @property
    def is_sliced(self) -> bool:
        """Tell whether a slice was applied."""
        return self.low_mark != 0 or self.high_mark is not None

    def can_filter(self) -> bool:
        """Tell whether filters may still be added (not after slicing)."""
        return not self.is_sliced

    # -- ordering -------------------------------------------------------------
    def add_ordering(self, *ordering: Any) -> None:
        """Append ordering terms after validating them."""
        errors = []
        for item in ordering:
            if isinstance(item, str):
                if item == "?":
                    continue
                name = item[1:] if item[:1] in "-+" else item
                if name in self.annotations:
                    continue  # an alias may hold characters a path may not
                try:
                    check_path(name)
                except FieldError:
                    errors.append(item)
            elif not hasattr(item, "as_sa"):
                errors.append(item)
            elif _contains_aggregate(item):
                raise FieldError(
                    "Using an aggregate in order_by() without also including it in "
                    f"annotate() is not allowed: {item}"
                )
        if errors:
            message = ORDER_PATTERN_MESSAGE.format(names=errors)
            first = errors[0]
            if isinstance(first, str):
                from manouche.db.models.sql._compiler_paths import _choices

                name = first[1:] if first[:1] in "-+" else first
                message += (
                    f" Cannot resolve keyword '{name}' into field. Choices are: "
                    f"{_choices(self.model._meta, self.annotations)}"
                )
            raise FieldError(message)
        for item in ordering:
            if isinstance(item, str) and item != "?":
                name = item.lstrip("-+")
                if name.split("__")[0] not in self.annotations:
                    from manouche.db.models.sql.compiler import SQLCompiler

                    SQLCompiler(self, None).setup_path(check_path(name))
        if ordering:
            self.order_by += ordering
        else:
            self.default_ordering = False

    def clear_ordering(self, force: bool = False, clear_default: bool = True) -> None:
        """Remove ordering (kept on sliced queries unless forced)."""
        if not force and (self.is_sliced or self.distinct_fields):
            return
        self.order_by = ()
        if clear_default:
            self.default_ordering = False

    def has_ordering(self) -> bool:
        """Tell whether rows will come back in a defined order."""
        return bool(
            self.order_by or (self.default_ordering and self.model._meta.ordering)
        )

    # -- select -----------------------------------------------------------------
    def add_annotation(self, alias: str, annotation: Any, select: bool = True) -> None:
        """Add a named expression (selected unless ``select`` is False)."""
        check_alias(alias)
        previous = self.annotations.get(alias)
        if previous is not None:
            # ``annotate(x=F("x") + 1)`` builds on the earlier ``x``.
            annotation = _replace_ref(annotation, alias, previous)
        check_aggregate_sources(annotation, self.annotations)
        check_query_sources(annotation, self)
        self.annotations[alias] = annotation
        if getattr(annotation, "contains_aggregate", False):
            self._fix_aggregate_grouping()
        if (
            not self.where
            and self.shared_where is None
            and getattr(annotation, "contains_aggregate", False)
        ):
            # Aggregating before filtering: later filters get their own joins.
            self.shared_where = -1
        if self.annotation_select_mask is not None and select:
            self.annotation_select_mask.add(alias)
        elif not select:
            if self.annotation_select_mask is None:
                self.annotation_select_mask = set(self.annotations) - {alias}
            else:
                self.annotation_select_mask.discard(alias)

    def _fix_aggregate_grouping(self) -> None:
        """Aggregate per object, or per values() row when values() came first."""
        if self.values_select is None:
            self.aggregate_grouping = True
            return
        self.aggregate_grouping = tuple(
            name
            for name in self.values_select
            if isinstance(name, str)
            and not getattr(self.annotations.get(name), "contains_aggregate", False)
        )

    def add_extra_select(self, alias: str, expression: Any) -> None:
        """Select a raw SQL column from ``extra()`` (its alias was checked)."""
        self.annotations[alias] = expression
        if self.annotation_select_mask is not None:
            self.annotation_select_mask.add(alias)

    @property
    def annotation_select(self) -> dict[str, Any]:
        """Return the annotations that are selected."""
        if self.annotation_select_mask is None:
            return self.annotations
        return {
            name: value
            for name, value in self.annotations.items()
            if name in self.annotation_select_mask
        }

    @property
    def has_aggregate_annotation(self) -> bool:
        """Tell whether a selected annotation aggregates (needs GROUP BY)."""
        return any(
            getattr(annotation, "contains_aggregate", False)
            for annotation in self.annotations.values()
        )

    def set_values(self, names: tuple[Any, ...]) -> None:
        """Select only ``names`` (fields, paths or annotations)."""
        self.select_related = False
        self.deferred_loading = (frozenset(), True)
        for name in names:
            if isinstance(name, str) and name not in self.annotations:
                _check_values_path(self, name)
                if "__" in name:
                    # A key path (``data__<key>``) names the result column
                    # too: say so when it could never be one (quotes,
                    # control characters...).
                    check_alias(name)
                check_path(name)
        if names:
            self.values_select = tuple(names)
            mask = {n for n in names if isinstance(n, str) and n in self.annotations}
            self.annotation_select_mask = mask
        else:
            concrete = [f.attname for f in self.model._meta.concrete_fields]
            # extra(select=...) columns come first, annotations last.
            extra = [n for n, a in self.annotations.items() if _is_extra(a)]
            others = [n for n in self.annotations if n not in extra]
            self.values_select = (*extra, *concrete, *others)
            self.annotation_select_mask = None
        self.values_names = tuple(
            name if isinstance(name, str) else str(name) for name in self.values_select
        )

    def has_select_fields(self) -> bool:
        """Tell whether values() chose the selected columns."""
        return self.values_select is not None or bool(self.annotation_select_mask)

    def values_pk_query(self) -> Query:
        """Return a copy selecting only the primary key (for ``IN`` subqueries)."""
        clone = self.clone()
        clone.values_select = ("pk",)
        clone.annotation_select_mask = set()
        clone.clear_ordering(force=not clone.is_sliced)
        return clone

    def exists_query(self) -> Query:
        """Return a copy selecting a constant, for EXISTS."""
        clone = self.clone()
        clone.exists_only = True
        clone.clear_ordering(force=not clone.is_sliced)
        if not clone.is_sliced:
            clone.high_mark = 1
        return clone

    def output_field_of_single_column(self) -> Any:
        """Return the field of the only selected column (for Subquery)."""
        if self.values_select and len(self.values_select) == 1:
            name = self.values_select[0]
            if not isinstance(name, str):
                return getattr(name, "_output_field_or_none", None)
            if name in self.annotations:
                return getattr(self.annotations[name], "_output_field_or_none", None)
            return self.field_for_path(name)
        return None

    def field_for_path(self, path: str) -> Any:
        """Return the final field of a path like ``author__name`` (no joins)."""
        opts = self.model._meta
        field = None
        for part in check_path(path):
            if part == "pk":
                field = opts.pk
            else:
                try:
                    field = opts.get_field(part)
                except Exception:
                    return _transformed_field(field, part)
            related = getattr(field, "related_model", None)
            if related is not None and not isinstance(related, str):
                opts = related._meta
                if field is not None and getattr(field, "many_to_one", False):
                    continue
        return field

    # -- deferral ---------------------------------------------------------------
    def add_deferred_loading(self, names: tuple[str, ...]) -> None:
        """Defer ``names`` (add to the deferred set, or shrink the only set).

        Deferring every only() name cancels the only(); the names that were
        not in it become the deferred set.
        """
        existing, defer = self.deferred_loading
        if defer:
            self.deferred_loading = (existing.union(names), True)
            return
        remaining = existing.difference(names)
        if remaining:
            self.deferred_loading = (frozenset(remaining), False)
        else:
            self.deferred_loading = (frozenset(names).difference(existing), True)

    def add_immediate_loading(self, names: tuple[str, ...]) -> None:
        """Load only ``names`` (plus the primary key); replaces an earlier only()."""
        existing, defer = self.deferred_loading
        field_names = set(names)
        if "pk" in field_names:
            field_names.remove("pk")
            field_names.add(self.model._meta.pk.name)
        if defer:
            self.deferred_loading = (frozenset(field_names.difference(existing)), False)
        else:
            self.deferred_loading = (frozenset(field_names), False)

    def clear_deferred_loading(self) -> None:
        """Load every field."""
        self.deferred_loading = (frozenset(), True)

    def add_select_related(self, fields: tuple[str, ...]) -> None:
        """Record select_related paths as a nested dict."""
        tree = self.select_related if isinstance(self.select_related, dict) else {}
        for path in fields:
            node = tree
            for part in check_path(path):
                node = node.setdefault(part, {})
        self.select_related = tree

    @property
    def alias_map(self) -> dict[str, Any]:
        """Describe the tables the compiled query reads, by SQL alias.

        The first entry is the model's table (a ``BaseTable``); each relation
        followed by filters, annotations, ordering or select_related adds a
        ``Join`` whose ``join_type`` tells INNER from LEFT OUTER.
        """
        from manouche.db import connections
        from manouche.db.models.sql._joins import inner_join_keys
        from manouche.db.models.sql.compiler import SQLCompiler
        from manouche.db.models.sql.constants import INNER, LOUTER
        from manouche.db.models.sql.datastructures import BaseTable, Join

        connection = connections["default"]
        compiler = SQLCompiler(self, connection)
        compiled = compiler.as_select().compile(dialect=connection.dialect)
        names = compiled.anon_map

        def alias_name(table: Any) -> str:
            name = table.name
            return str(name % names) if "%(" in str(name) else str(name)

        root = compiler.root
        described: dict[str, Any] = {
            alias_name(root): BaseTable(self.model._meta.db_table, alias_name(root))
        }
        # As the FROM clause has them: a filter rejecting NULL makes a join INNER.
        rejection = compiler._rejection
        inner = inner_join_keys(
            compiler.joins, rejection.required if rejection is not None else ()
        )
        for key, join in compiler.joins.items():
            alias = alias_name(join.alias)
            described[alias] = Join(
                table_name=str(getattr(join.alias, "original", join.alias).name),
                table_alias=alias,
                path="__".join(key),
                join_type=LOUTER if join.outer and key not in inner else INNER,
            )
        return described

    @property
    def alias_refcount(self) -> dict[str, int]:
        """Count the references to each table alias of ``alias_map``.

        The compiler only joins the tables something refers to, so each
        alias counts once: none is a leftover join.
        """
        return dict.fromkeys(self.alias_map, 1)

    def count_active_tables(self) -> int:
        """Return how many tables (the model's and the joined ones) are read."""
        return len(self.alias_map)

    def get_compiler(
        self, using: str | None = None, connection: Any = None, elide_empty: bool = True
    ) -> Any:
        """Return a compiler whose ``as_sql()`` and ``compile(expression)`` give SQL.

        Django's API for reading a query's SQL text and parameters (``%s``
        placeholders); executing goes through the QuerySet, never through it.
        """
        from manouche.db import connections
        from manouche.db.models._as_sql import AsSQLCompiler
        from manouche.db.models.sql.compiler import SQLCompiler

        if connection is None:
            if using is None:
                raise ValueError("Need either using or connection")
            connection = connections[using]
        return AsSQLCompiler(SQLCompiler(self, connection), standalone=True)

    def __str__(self) -> str:
        from manouche.db import connections
        from manouche.db.models.sql.compiler import SQLCompiler

        connection = connections["default"]
        statement = SQLCompiler(self, connection).as_select()
        sql = display_sql(statement, connection.dialect)
        # SQLAlchemy writes a bare JOIN; spell it as Django displays it.
        return _BARE_JOIN.sub(" INNER JOIN ", sql)


def _contains_aggregate(expression: Any) -> bool:
    """Tell whether an ordering expression aggregates (OrderBy looks inside)."""
    if getattr(expression, "contains_aggregate", False):
        return True
    inner = getattr(expression, "expression", None)
    return inner is not None and bool(getattr(inner, "contains_aggregate", False))


class RawQuery:
    """A raw SQL query with ``%s`` parameters (``Manager.raw``)."""

    def __init__(self, sql: str, using: str, params: Any = ()) -> None:
        self.sql = sql
        self.using = using
        self.params = params

    def clone(self, using: str) -> RawQuery:
        """Return a copy for another database."""
        return RawQuery(self.sql, using, params=self.params)

    def __str__(self) -> str:
        return self.sql


def _replace_ref(expression: Any, name: str, replacement: Any) -> Any:
    """Return ``expression`` with every ``F(name)`` swapped for ``replacement``."""
    from manouche.db.models.expressions import Expression, F, OuterRef

    if isinstance(expression, F) and not isinstance(expression, OuterRef):
        return replacement if expression.name == name else expression
    sources = getattr(expression, "get_source_expressions", None)
    setter = getattr(type(expression), "set_source_expressions", None)
    if sources is None or setter in (None, Expression.set_source_expressions):
        return expression
    current = list(sources())
    replaced = [_replace_ref(source, name, replacement) for source in current]
    return with_sources(expression, current, replaced)


def _transformed_field(field: Any, name: str) -> Any:
    """Return the field a transform (``pubdate__year``) yields, else ``field``."""
    from manouche.db.models.expressions import Expression

    get_transform = getattr(field, "get_transform", None)
    transform = get_transform(name) if get_transform is not None else None
    if transform is None:
        return field
    try:
        output = transform(Expression(field))._output_field_or_none
    except Exception:
        return field
    return output if output is not None else field


def _is_extra(annotation: Any) -> bool:
    """Tell an extra(select=...) column from an annotation."""
    from manouche.db.models._extra import ExtraSelect

    return isinstance(annotation, ExtraSelect)


def _check_first_name(query: Query, path: str) -> None:
    """Raise FieldError when a filter path starts with no field of the model.

    Refused when filter() is called, as Django does, rather than when the
    query runs; the rest of the path is resolved by the compiler.
    """
    if query.model is None:
        return
    name = path.split("__", 1)[0]
    if name == "pk":
        return  # asked first: get_field() would raise for it
    opts = query.model._meta
    try:
        opts.get_field(name)
        return
    except FieldDoesNotExist:
        pass
    from manouche.db.models.sql._compiler_filters import annotation_prefix
    from manouche.db.models.sql._compiler_paths import unknown_name

    if name in query.filtered_relations or annotation_prefix(
        path.split("__"), query.annotations
    ):
        return
    raise unknown_name(name, opts, query.annotations)


def _check_values_path(query: Query, name: str) -> None:
    """Raise FieldError when a values() path names no field.

    A path that starts with an unknown name, or names no field of the model a
    relation leads to, is refused now (with the names it could use) rather
    than when the query runs. ``values("name__foo")`` can only mean a
    transform of ``name``; anything else is refused too.
    """
    from manouche.db.models.sql._compiler_filters import annotation_prefix
    from manouche.db.models.sql._compiler_paths import unknown_name

    parts = name.split("__")
    if (
        query.model is None
        or parts[0] in query.filtered_relations
        or annotation_prefix(parts, query.annotations)
    ):
        return
    opts = query.model._meta
    for index, part in enumerate(parts):
        try:
            field = opts.pk if part == "pk" else opts.get_field(part)
        except FieldDoesNotExist:
            annotations = query.annotations if index == 0 else ()
            raise unknown_name(part, opts, annotations) from None
        if index == len(parts) - 1:
            return
        related = getattr(field, "related_model", None)
        if related is not None and not isinstance(related, str):
            opts = related._meta
            continue
        following = parts[index + 1]
        if (
            field.get_transform(following) is None
            and field.get_lookup(following) is None
        ):
            raise FieldError(
                f"Cannot resolve keyword '{following}' into field. "
                f"Join on '{part}' not permitted."
            )
        return
