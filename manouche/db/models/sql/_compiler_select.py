"""ORDER BY and select-list compilation for SQLCompiler, split out by concept.

Builds the ordering terms and the selected columns, including the
select_related() joins and the ``KlassInfo`` map from row to instances.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from manouche.core.exceptions import FieldDoesNotExist, FieldError
from manouche.db.models._aggregate_references import refers_to_aggregate
from manouche.db.models._filtered_relation import select_filtered_relation
from manouche.db.models.expressions import OrderBy, OuterRef, Subquery, Value
from manouche.db.models.query_utils import LOOKUP_SEP, check_path
from manouche.db.models.sql._compiler_filters import (
    FilterCompilerMixin,
    check_related_name,
)
from manouche.db.models.sql._deferral import (
    check_not_deferred,
    loaded_attnames,
    validate_deferred_names,
)
from manouche.db.models.sql._ordering_terms import (
    drop_duplicate_terms,
    prefix_references,
)
from manouche.db.models.sql._subquery_grouping import outer_columns


class KlassInfo:
    """Where one model's columns sit in a row, and its select_related children."""

    __slots__ = ("attnames", "end", "field", "model", "related", "reverse", "start")

    def __init__(self, model: Any, attnames: list[str], start: int, end: int) -> None:
        self.model = model
        self.attnames = attnames
        self.start = start
        self.end = end
        self.related: list[KlassInfo] = []
        self.field: Any = None
        self.reverse = False


def _reads_outer_query(expression: Any) -> bool:
    """Tell whether ``expression`` refers to the enclosing query (OuterRef)."""
    if isinstance(expression, OuterRef):
        return True
    sources = getattr(expression, "get_source_expressions", None)
    return sources is not None and any(
        _reads_outer_query(source) for source in sources() if source is not None
    )


class SelectCompilerMixin(FilterCompilerMixin):
    """Compile ordering terms and the select list."""

    # -- ordering ----------------------------------------------------------------
    def compile_ordering_term(self, item: Any, reverse: bool = False) -> list[Any]:
        """Compile one order_by term into ORDER BY elements."""
        if isinstance(item, str):
            if item == "?":
                return [sa.func.random()]
            descending = item.startswith("-")
            name = item.lstrip("-+")
            if name in self.query.annotations and self._orders_by_label(name):
                # SQLite reads no outer column in a subquery's ORDER BY: the
                # selected value is named instead.
                column: Any = sa.column(name)
            elif name in self.query.annotations:
                column = self.compile_annotation(name)
            elif name.split(LOOKUP_SEP, 1)[0] in self.query.annotations:
                # A transform of an annotation: ``order_by("total__mod100")``.
                column = self.compile_ref(name)
            else:
                parts = check_path(name)
                path = self.setup_path(parts)
                if path.remaining:
                    check_related_name(path.field, path.remaining[0])
                    column = self._apply_transforms(
                        path.column, path.field, path.remaining
                    )
                elif (
                    path.field is not None
                    and path.field.is_relation
                    and getattr(path.field, "concrete", False)
                    and path.field.related_model._meta.ordering
                    and not parts[-1].endswith("_id")
                    # A parent link as primary key orders by its own value.
                    and name != "pk"
                ):
                    return self._related_ordering(
                        name, path.field, descending != reverse
                    )
                else:
                    column = path.column
            if descending != reverse:
                return [column.desc()]
            return [column.asc()]
        if not isinstance(item, OrderBy):
            item = OrderBy(item)
        if reverse:
            item = item.reverse_ordering()
        terms: list[Any] = item.as_sa_list(self)
        return terms

    def _orders_by_label(self, name: str) -> bool:
        """Tell whether ORDER BY must name the selected annotation ``name``."""
        query = self.query
        if self.parent is None or query.combinator:
            return False
        if query.values_select is not None:
            selected = name in query.values_select
        else:
            selected = name in query.annotation_select
        return selected and _reads_outer_query(query.annotations[name])

    def _related_ordering(self, name: str, field: Any, descending: bool) -> list[Any]:
        # Meta.orderings that lead back to a relation already being followed
        # (LoopX orders by y, LoopY by x) would expand forever.
        expanding = self.__dict__.setdefault("_expanding_orderings", set())
        if field in expanding:
            raise FieldError("Infinite loop caused by ordering.")
        expanding.add(field)
        try:
            return self._related_ordering_terms(name, field, descending)
        finally:
            expanding.discard(field)

    def _related_ordering_terms(
        self, name: str, field: Any, descending: bool
    ) -> list[Any]:
        terms: list[Any] = []
        for related_item in field.related_model._meta.ordering or ():
            if not isinstance(related_item, str):
                expression = prefix_references(related_item, f"{name}{LOOKUP_SEP}")
                if not isinstance(expression, OrderBy):
                    expression = OrderBy(expression)
                if descending:
                    expression = expression.reverse_ordering()
                terms.extend(expression.as_sa_list(self))
                continue
            related_desc = related_item.startswith("-")
            related_name = related_item.lstrip("-+")
            if related_name == "?":
                continue
            terms.extend(
                self.compile_ordering_term(
                    ("-" if related_desc != descending else "")
                    + f"{name}{LOOKUP_SEP}{related_name}"
                )
            )
        return terms

    def ordering_terms(self) -> list[Any]:
        """Return the ORDER BY elements of the query."""
        query = self.query
        if query.order_by:
            ordering = list(query.order_by)
        elif query.default_ordering and not (
            query.has_aggregate_annotation or query.group_by is not None
        ):
            # Meta.ordering never applies to GROUP BY queries (as in Django).
            ordering = list(query.model._meta.ordering or ())
        else:
            ordering = []
        reverse = not query.standard_ordering
        terms: list[Any] = []
        for item in ordering:
            terms.extend(self.compile_ordering_term(item, reverse))
        return drop_duplicate_terms(terms)

    # -- SELECT ------------------------------------------------------------------
    def _model_columns(self) -> tuple[list[Any], list[str]]:
        opts = self.query.model._meta
        validate_deferred_names(self.query)
        wanted = loaded_attnames(self.query, opts, ())
        columns = []
        attnames = []
        for field in opts.concrete_fields:
            if wanted is not None and field.attname not in wanted:
                continue
            alias, _opts, _key = self._parent_alias(self.root, opts, field, ())
            columns.append(alias.c[field.attname])
            attnames.append(field.attname)
        return columns, attnames

    def _add_select_related(
        self,
        columns: list[Any],
        info: KlassInfo,
        opts: Any,
        alias: Any,
        tree: Any,
        key: tuple[str, ...],
        nullable: bool,
        depth: int,
    ) -> None:
        if tree is True and depth > 5:
            # Only the bare select_related() walk is depth-limited; named
            # paths are followed as deep as they go.
            return
        if tree is True:
            candidates = [
                f
                for f in opts.fields
                if f.is_relation
                and f.concrete
                and (f.many_to_one or f.one_to_one)
                and not f.null
            ]
            requested: dict[str, Any] = {f.name: True for f in candidates}
        else:
            requested = tree
        for name, subtree in requested.items():
            if not key and name in self.query.filtered_relations:
                select_filtered_relation(self, columns, info, name, subtree, depth)
                continue
            try:
                field = opts.get_field(name)
            except FieldDoesNotExist:
                raise FieldError(
                    f"Invalid field name(s) given in select_related: '{name}'. "
                    f"Choices are: {', '.join(_related_choices(opts))}"
                )
            if not field.is_relation:
                raise FieldError(
                    f"Non-relational field given in select_related: '{name}'. "
                    f"Choices are: {', '.join(_related_choices(opts))}"
                )
            if not _single_valued(field):
                raise FieldError(
                    f"Invalid field name(s) given in select_related: '{name}'. "
                    f"Choices are: {', '.join(_related_choices(opts))}"
                )
            owner_alias, owner_opts, owner_key = self._parent_alias(
                alias, opts, field, key, nullable
            )
            join_key = (*owner_key, name)
            if field.concrete and tree is not True:
                check_not_deferred(self.query, opts, field, _name_path(key))
            if field.concrete:
                model = field.related_model._meta.concrete_model
                target = field.target_field
                local = owner_alias.c[field.attname]
                outer = nullable or field.null
                related_alias = self._join(
                    join_key,
                    self._new_alias(model) if join_key not in self.joins else None,
                    lambda a, local=local, target=target: local == a.c[target.attname],
                    outer=outer,
                )
                reverse = False
            else:
                remote = field.field
                model = field.related_model
                current = owner_alias
                outer = True
                related_alias = self._join(
                    join_key,
                    self._new_alias(model._meta.concrete_model)
                    if join_key not in self.joins
                    else None,
                    lambda a, current=current, remote=remote: (
                        a.c[remote.attname] == current.c[remote.target_field.attname]
                    ),
                    outer=True,
                )
                reverse = True
            related_model = field.related_model
            start = len(columns)
            attnames = []
            wanted = loaded_attnames(
                self.query, related_model._meta, _name_path(join_key)
            )
            shared = _shared_with_owner(related_model, owner_opts, reverse)
            for related_field in related_model._meta.concrete_fields:
                if wanted is not None and related_field.attname not in wanted:
                    continue
                # A multi-table child's parent columns are the owner's own
                # row: read them there rather than join the parent again.
                from_owner = related_field.model._meta.concrete_model in shared
                field_alias, _o, _k = self._parent_alias(
                    *(
                        (owner_alias, owner_opts, related_field, owner_key, nullable)
                        if from_owner
                        else (
                            related_alias,
                            related_model._meta,
                            related_field,
                            join_key,
                            outer,
                        )
                    )
                )
                columns.append(field_alias.c[related_field.attname])
                attnames.append(related_field.attname)
            child = KlassInfo(related_model, attnames, start, len(columns))
            child.field = field
            child.reverse = reverse
            info.related.append(child)
            if subtree and subtree is not True:
                self._add_select_related(
                    columns,
                    child,
                    related_model._meta,
                    related_alias,
                    subtree,
                    join_key,
                    outer,
                    depth + 1,
                )
            elif tree is True:
                self._add_select_related(
                    columns,
                    child,
                    related_model._meta,
                    related_alias,
                    True,
                    join_key,
                    outer,
                    depth + 1,
                )

    def _select_list(self) -> tuple[list[Any], list[Any]]:
        """Return (selected columns, non-aggregate columns for GROUP BY)."""
        query = self.query
        columns: list[Any] = []
        group: list[Any] = []
        if query.exists_only:
            return [sa.literal(1).label("a")], []
        if query.values_select is not None:
            for name in query.values_select:
                if isinstance(name, str) and name in query.annotations:
                    check_output_type(self, query.annotations[name])
                    compiled = self.compile_annotation(name)
                    columns.append(compiled.label(name))
                    if not refers_to_aggregate(
                        query.annotations[name], query.annotations
                    ):
                        group.append(compiled)
                    else:
                        group.extend(self._grouped_parts(query.annotations[name]))
                    continue
                compiled = (
                    self.compile_ref(name)
                    if isinstance(name, str)
                    else (self.compile_expression(name))
                )
                label = name if isinstance(name, str) else None
                columns.append(compiled.label(label) if label else compiled)
                group.append(compiled)
            self.values_count = len(columns)
            return columns, group
        model_columns, attnames = self._model_columns()
        columns.extend(model_columns)
        group.extend(model_columns)
        info = KlassInfo(query.model, attnames, 0, len(columns))
        if query.select_related:
            start = len(columns)
            self._add_select_related(
                columns,
                info,
                query.model._meta,
                self.root,
                query.select_related,
                (),
                False,
                1,
            )
            group.extend(columns[start:])
        self.klass_info = info
        for name, annotation in query.annotation_select.items():
            check_output_type(self, annotation)
            compiled = self.compile_annotation(name)
            self.annotation_positions.append((name, len(columns)))
            columns.append(compiled.label(name))
            if getattr(annotation, "contains_over_clause", False):
                continue
            if not refers_to_aggregate(annotation, query.annotations):
                group.extend(self._group_terms(annotation, compiled))
            else:
                group.extend(self._grouped_parts(annotation))
        return columns, group

    def _group_terms(self, annotation: Any, compiled: Any) -> list[Any]:
        """Group a subquery by the outer columns it reads (the rows' own are).

        A column of a joined table may vary within one row of the model
        (a reverse or many-to-many join): grouping by it would split the
        row, so the subquery's value is grouped by instead.
        """
        if not isinstance(annotation, Subquery):
            return [compiled]
        tables = [self.root, *(join.alias for join in self.joins.values())]
        columns = outer_columns(compiled, tables)
        if columns is None or any(column.table is not self.root for column in columns):
            return [compiled]
        return columns

    def _grouped_parts(self, annotation: Any) -> list[Any]:
        """Compile the parts of an aggregating annotation that vary per row.

        ``Sum("x") + F("y")`` is computed per group only if ``y`` is a
        grouping column; a constant or an outer reference needs none.
        """
        query = self.query
        parts = []
        for part in getattr(annotation, "get_group_by_cols", list)():
            if isinstance(part, (OuterRef, Value)) or refers_to_aggregate(
                part, query.annotations
            ):
                continue
            parts.append(self.compile_expression(part))
        return parts


def check_output_type(compiler: Any, expression: Any) -> None:
    """Raise FieldError if a selected expression's result type is ambiguous.

    Arithmetic on operands that cannot combine (text + date, float +
    decimal) needs an explicit output_field once its value is read back.
    """
    check = getattr(expression, "_compiled_field", None)
    if check is not None:
        check(compiler)


def _name_path(key: tuple[str, ...]) -> tuple[str, ...]:
    """Drop the parent-link steps (``<app.Model>``) from a join key."""
    return tuple(part for part in key if not part.startswith("<"))


def _shared_with_owner(model: Any, owner_opts: Any, reverse: bool) -> tuple[Any, ...]:
    """The models whose columns a multi-table child shares with its owner row.

    Reached by the reverse parent link, the child's columns inherited from
    the owner (and the owner's own parents) are the owner's row; its primary
    key (the link) stays its own, so a missing child still reads as None.
    """
    if not reverse:
        return ()
    opts = model._meta.concrete_model._meta
    link = opts.parents.get(owner_opts.concrete_model)
    if link is None or opts.pk is not link:
        return ()
    return (owner_opts.concrete_model, *owner_opts.get_parent_list())


def _single_valued(field: Any) -> bool:
    """Tell whether select_related() can follow ``field`` in one join."""
    if field.concrete:
        return bool(field.many_to_one or field.one_to_one)
    # Reverse one-to-one relations join too; generic and many-valued ones don't.
    return bool(field.one_to_one and hasattr(field, "field"))


def _related_choices(opts: Any) -> list[str]:
    names = [
        f.name for f in opts.fields if f.is_relation and (f.many_to_one or f.one_to_one)
    ]
    names += [
        r.related_query_name() if hasattr(r, "related_query_name") else r.name
        for r in opts.related_objects
        if r.one_to_one
    ]
    return sorted(names) or ["(none)"]
