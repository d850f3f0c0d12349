"""Turn a Query into SQLAlchemy Core SELECT / UPDATE / DELETE statements.

The compiler resolves field paths (``author__name``) into columns of aliased
tables, adding the joins they need, compiles lookups and expressions, and
records how the selected columns map back to instances (``klass_info``).
It never executes anything.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from manouche.core.exceptions import FieldDoesNotExist, FieldError
from manouche.db.models._filtered_relation import (
    filtered_relation_start,
    select_filtered_relation,
)
from manouche.db.models.expressions import Col, F, OrderBy, Value
from manouche.db.models.query_utils import LOOKUP_SEP, Q, check_path
from manouche.db.models.sql._conditions import is_always_false
from manouche.db.models.sql._join_scopes import where_scopes
from manouche.db.models.sql._joins import NullRejection, inner_join_keys

__all__ = ["KlassInfo", "SQLCompiler"]


class _Join:
    __slots__ = ("alias", "onclause", "outer")

    def __init__(self, alias: Any, onclause: Any, outer: bool) -> None:
        self.alias = alias
        self.onclause = onclause
        self.outer = outer


class _Path:
    __slots__ = ("alias", "column", "field", "multivalued", "nullable", "remaining")

    def __init__(
        self,
        field: Any,
        column: Any,
        remaining: list[str],
        nullable: bool,
        multivalued: bool,
        alias: Any,
    ) -> None:
        self.field = field
        self.column = column
        self.remaining = remaining
        self.nullable = nullable
        self.multivalued = multivalued
        self.alias = alias


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


def _choices(opts: Any, annotations: Any = ()) -> str:
    """The names a lookup may start with: fields, their attnames, annotations."""
    names = set(annotations)
    for field in opts.get_fields():
        # Reverse relations' ``name`` is their related query name.
        names.add(field.name)
        if getattr(field, "concrete", False) and field.attname:
            names.add(field.attname)
    return ", ".join(sorted(names))


class SQLCompiler:
    """Compile one Query (and its subqueries) for one connection."""

    # Set by _where() when the WHERE clause cannot match any row.
    where_always_false = False
    # Which joins the WHERE clause rejects NULL rows of (see sql._joins).
    _rejection: NullRejection | None = None

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

    # -- joins and paths --------------------------------------------------------
    def _join(self, key: tuple[str, ...], table: Any, on: Any, outer: bool) -> Any:
        existing = self.joins.get(key)
        if existing is not None:
            if outer and not existing.outer:
                existing.outer = True
            return existing.alias
        alias = table
        onclause = on(alias)
        self.joins[key] = _Join(alias, onclause, outer)
        return alias

    def _new_alias(self, model: Any) -> Any:
        return model._meta.sa_table.alias()

    def _parent_alias(
        self, alias: Any, opts: Any, field: Any, key: tuple[str, ...]
    ) -> tuple[Any, Any, tuple[str, ...]]:
        owner = getattr(field, "model", None)
        if (
            owner is None
            or not getattr(field, "concrete", False)
            or owner._meta.concrete_model is opts.concrete_model
        ):
            return alias, opts, key
        # A proxy's parent links are its concrete model's.
        opts = opts.concrete_model._meta
        for link in opts.get_path_to_parent(owner._meta.concrete_model):
            parent = link.related_model._meta.concrete_model
            key = (*key, f"<{parent._meta.label}>")
            parent_alias = self._new_alias(parent) if key not in self.joins else None
            current = alias
            alias = self._join(
                key,
                parent_alias,
                lambda a, link=link, current=current, parent=parent: (
                    current.c[link.attname] == a.c[parent._meta.pk.attname]
                ),
                outer=False,
            )
            opts = parent._meta
        return alias, opts, key

    def setup_path(self, names: list[str], allow_annotations: bool = True) -> _Path:  # noqa: C901
        """Resolve ``names`` from the query's model, joining as needed."""
        opts = self.query.model._meta
        alias = self.root
        key: tuple[str, ...] = ()
        nullable = False
        multivalued = False
        field: Any = None
        column: Any = None
        index = 0
        if names and names[0] in self.query.filtered_relations:
            alias, opts, key = filtered_relation_start(self, names[0])
            field, nullable, index = opts.pk, True, 1
        while index < len(names):
            name = names[index]
            if name == "pk":
                candidate = opts.pk
            else:
                try:
                    candidate = opts.get_field(name)
                except FieldDoesNotExist:
                    candidate = None
            if candidate is None:
                if field is None:
                    annotations = self.query.annotations if index == 0 else ()
                    raise FieldError(
                        f"Cannot resolve keyword '{name}' into field. Choices are: "
                        f"{_choices(opts, annotations)}"
                    )
                break
            field = candidate
            index += 1
            more = index < len(names)
            alias, opts, key = self._parent_alias(alias, opts, field, key)
            if not field.is_relation:
                column = alias.c[field.attname]
                break
            sa_join = getattr(field, "sa_join", None)
            if sa_join is not None:
                # A relation that builds its own join (contenttypes' generic ones).
                model, on = sa_join(self, alias)
                nullable = True
                if field.one_to_many or field.many_to_many:
                    multivalued = True
                    key = self._scoped(key)
                key = (*key, name)
                new_alias = self._new_alias(model) if key not in self.joins else None
                alias = self._join(key, new_alias, on, outer=True)
                opts = model._meta
                if not more:
                    field = opts.pk
                    column = alias.c[field.attname]
                    break
                column = None
                continue
            if field.concrete and (field.many_to_one or field.one_to_one):
                local = alias.c[field.attname]
                target = field.target_field
                if not more:
                    column = local
                    break
                next_name = names[index]
                related_opts = field.related_model._meta
                if next_name != "pk" and _is_lookup_tail(related_opts, names[index:]):
                    # ``author__in=[...]``: a lookup on the key itself, no join.
                    column = local
                    break
                if (
                    next_name in ("pk", target.name, target.attname)
                    and (
                        index + 1 == len(names)
                        or _is_lookup_tail(related_opts, names[index + 1 :])
                    )
                    and (next_name != "pk" or related_opts.pk is target)
                ):
                    field = target
                    column = local
                    index += 1
                    break
                nullable = nullable or field.null
                key = (*key, field.name)
                model = field.related_model._meta.concrete_model
                new_alias = self._new_alias(model) if key not in self.joins else None
                alias = self._join(
                    key,
                    new_alias,
                    lambda a, local=local, target=target: local == a.c[target.attname],
                    outer=nullable,
                )
                opts = model._meta
                column = None
                continue
            if field.many_to_many:
                key = self._scoped(key)
                # ``tags__in=[...]``/``tags__isnull``: the through table's key
                # column answers; the target table need not be joined.
                more = more and not _is_pk_lookup(field.related_model, names[index:])
                alias, opts, column, field, multivalued_step = self._join_m2m(
                    field, alias, key, more
                )
                key = (*key, field.name if not more else names[index - 1])
                nullable = True
                multivalued = True
                del multivalued_step
                if column is not None:
                    break
                continue
            # reverse one-to-many / one-to-one relation
            remote = field.field
            nullable = True
            if field.one_to_many:
                multivalued = True
                key = self._scoped(key)
            key = (*key, name)
            model = field.related_model
            new_alias = (
                self._new_alias(model._meta.concrete_model)
                if key not in self.joins
                else None
            )
            current = alias
            alias, _opts, _key = alias, opts, key
            alias = self._join(
                key,
                new_alias,
                lambda a, current=current, remote=remote: (
                    a.c[remote.attname] == current.c[remote.target_field.attname]
                ),
                outer=True,
            )
            opts = model._meta
            if remote.model._meta.concrete_model is not model._meta.concrete_model:
                alias, opts, key = self._parent_alias(alias, opts, remote, key)
            if not more:
                field = opts.pk
                column = alias.c[field.attname]
                break
            column = None
        if column is None:
            field = opts.pk
            column = alias.c[field.attname]
        return _Path(field, column, list(names[index:]), nullable, multivalued, alias)

    def _scoped(self, key: tuple[str, ...]) -> tuple[str, ...]:
        """Mark ``key`` with the current filter's scope (once per path)."""
        scope = self._join_scope
        if scope is None or scope in key:
            return key
        return (*key, scope)

    def _join_m2m(
        self, field: Any, alias: Any, key: tuple[str, ...], more: bool
    ) -> tuple[Any, Any, Any, Any, bool]:
        if field.concrete is False and hasattr(field, "field"):
            # reverse side of a many-to-many (a ManyToManyRel)
            m2m = field.field
            through = m2m.remote_field.through
            source_fk = through._meta.get_field(m2m.m2m_reverse_field_name())
            target_fk = through._meta.get_field(m2m.m2m_field_name())
            target_model = field.related_model
            name = field.name
        else:
            through = field.remote_field.through
            source_fk = through._meta.get_field(field.m2m_field_name())
            target_fk = through._meta.get_field(field.m2m_reverse_field_name())
            target_model = field.related_model
            name = field.name
        through_key = (*key, name, "<through>")
        current = alias
        through_alias = self._join(
            through_key,
            through._meta.sa_table.alias() if through_key not in self.joins else None,
            lambda a: (
                a.c[source_fk.attname] == current.c[source_fk.target_field.attname]
            ),
            outer=True,
        )
        if not more:
            target_pk = target_model._meta.pk
            return (
                through_alias,
                target_model._meta,
                through_alias.c[target_fk.attname],
                target_pk,
                True,
            )
        target_key = (*key, name)
        target_alias = self._join(
            target_key,
            target_model._meta.sa_table.alias()
            if target_key not in self.joins
            else None,
            lambda a: (
                a.c[target_fk.target_field.attname]
                == through_alias.c[target_fk.attname]
            ),
            outer=True,
        )
        return target_alias, target_model._meta, None, field, True

    # -- expressions --------------------------------------------------------------
    def compile_ref(self, name: str) -> Any:
        """Compile ``F(name)``: an annotation or a (possibly joined) field."""
        annotations = self.query.annotations
        if name in annotations:
            return self.compile_annotation(name)
        parts = check_path(name)
        if parts[0] in annotations and len(parts) > 1:
            return self._apply_transforms(
                self.compile_annotation(parts[0]),
                annotations[parts[0]]._output_field_or_none,
                parts[1:],
            )
        path = self.setup_path(parts)
        if path.remaining:
            return self._apply_transforms(path.column, path.field, path.remaining)
        return path.column

    def compile_annotation(self, name: str) -> Any:
        """Compile an annotation once per compiler."""
        cached = self._annotation_cache.get(name)
        if cached is None:
            cached = self.compile_expression(self.query.annotations[name])
            self._annotation_cache[name] = cached
        return cached

    def _apply_transforms(self, column: Any, field: Any, names: list[str]) -> Any:
        expression: Any = Col(column, field)
        for name in names:
            transform = field.get_transform(name) if field is not None else None
            if transform is None:
                raise FieldError(
                    f"Unsupported lookup '{name}' for "
                    f"{type(field).__name__ if field is not None else 'expression'} "
                    "or join on the field not permitted."
                )
            expression = transform(expression)
            field = expression._output_field_or_none or field
        return expression.as_sa(self)

    def compile_expression(self, expression: Any, window: bool = False) -> Any:
        """Compile an expression, a Q, or a plain value (bound)."""
        if isinstance(expression, Q):
            return self.compile_condition(expression)
        if hasattr(expression, "as_sa"):
            return expression.as_sa(self)
        if isinstance(expression, str):
            return Value(expression).as_sa(self)
        return Value(expression).as_sa(self)

    def compile_subquery(self, query: Any) -> Any:
        """Compile a nested query that may reference this one (OuterRef)."""
        compiler = SQLCompiler(query, self.connection, parent=self)
        return compiler.as_select(subquery=True)

    # -- conditions ---------------------------------------------------------------
    def compile_condition(self, node: Any, negated: bool = False) -> Any:
        """Compile a Q tree or a boolean expression."""
        if isinstance(node, Q):
            return self._compile_q(node, negated)
        if hasattr(node, "as_sa"):
            return node.as_sa(self)
        raise TypeError(f"Cannot filter against a non-conditional expression: {node!r}")

    def _compile_q(self, q: Q, negated: bool) -> Any:
        inner_negated = negated or q.negated
        if q.negated and not negated and self._is_multivalued(q):
            positive = Q(*q.children, _connector=q.connector)
            return sa.not_(self._pk_in_subquery(positive))

        def compile_child(child: Any) -> Any:
            if isinstance(child, Q):
                return self._compile_q(child, inner_negated)
            if isinstance(child, tuple):
                return self.build_filter(child[0], child[1], inner_negated)
            return self.compile_condition(child, inner_negated)

        rejection = self._rejection
        if rejection is None:
            parts = [compile_child(child) for child in q.children]
        else:
            parts = rejection.compile_children(q, compile_child)
        if not parts:
            condition: Any = sa.true()
        elif q.connector == Q.OR:
            condition = sa.or_(*parts)
        elif q.connector == Q.XOR:
            ones = [sa.case((part, 1), else_=0) for part in parts]
            total: Any = ones[0]
            for one in ones[1:]:
                total = total + one
            condition = (total % 2) == 1
        else:
            condition = sa.and_(*parts)
        return sa.not_(condition) if q.negated else condition

    def _is_multivalued(self, q: Q) -> bool:
        opts = self.query.model._meta
        for child in q.flatten():
            if isinstance(child, tuple):
                name = child[0].split(LOOKUP_SEP)[0]
                if name in self.query.annotations:
                    continue
                try:
                    field = (
                        opts.get_field("pk" if name == "pk" else name)
                        if name != "pk"
                        else opts.pk
                    )
                except FieldDoesNotExist:
                    continue
                if field.is_relation and (field.many_to_many or field.one_to_many):
                    return True
                if child[0].count(LOOKUP_SEP) > 1 and field.is_relation:
                    related = field.related_model._meta
                    second = child[0].split(LOOKUP_SEP)[1]
                    try:
                        nested = related.get_field(second)
                    except FieldDoesNotExist:
                        continue
                    if nested.is_relation and (
                        nested.many_to_many or nested.one_to_many
                    ):
                        return True
        return False

    def _pk_in_subquery(self, q: Q) -> Any:
        from manouche.db.models.sql.query import Query

        inner = Query(self.query.model)
        inner.filtered_relations = self.query.filtered_relations
        inner.where = [q]
        inner.values_select = ("pk",)
        inner.default_ordering = False
        compiler = SQLCompiler(inner, self.connection, parent=self)
        select = compiler.as_select(subquery=True)
        pk_column = self.root.c[self.query.model._meta.pk.attname]
        return pk_column.in_(select)

    def build_filter(self, key: str, value: Any, negated: bool = False) -> Any:
        """Compile one ``path__lookup=value`` condition."""
        parts = check_path(key)
        annotations = self.query.annotations
        if parts[0] in annotations:
            annotation = annotations[parts[0]]
            lhs_field = getattr(annotation, "_output_field_or_none", None)
            if lhs_field is None and isinstance(annotation, F):
                lhs_field = self.setup_path(check_path(annotation.name)).field
            if lhs_field is None:
                from manouche.db.models.fields import Field

                lhs_field = Field()
            column = self.compile_annotation(parts[0])
            return self._build_lookup(
                column, lhs_field, parts[1:], value, negated, False
            )
        path = self.setup_path(parts)
        if self._rejection is not None:
            self._rejection.leaf(path.remaining, value, path.column.table)
        return self._build_lookup(
            path.column, path.field, path.remaining, value, negated, path.nullable
        )

    def _build_lookup(
        self,
        column: Any,
        field: Any,
        names: list[str],
        value: Any,
        negated: bool,
        nullable: bool,
    ) -> Any:
        lhs, lookup_class, lookup_name, current_field = _resolve_lookup(
            Col(column, field), field, list(names) or ["exact"]
        )
        if (
            value is None
            and lookup_name == "exact"
            and not lookup_class.can_use_none_as_rhs
        ):
            lookup_class = current_field.get_lookup("isnull")
            value = True
            lookup_name = "isnull"
        elif value is None and lookup_name not in ("exact", "isnull", "iexact"):
            raise ValueError("Cannot use None as a query value")
        value = _model_value(value, current_field)
        condition = lookup_class(lhs, value).as_sa(self)
        maybe_null = nullable or bool(getattr(field, "null", False))
        if negated and lookup_name != "isnull" and maybe_null:
            # NOT (x = v) must keep rows where x IS NULL, as Django does.
            condition = sa.and_(condition, column.is_not(None))
        return condition

    # -- ordering ----------------------------------------------------------------
    def compile_ordering_term(self, item: Any, reverse: bool = False) -> list[Any]:
        """Compile one order_by term into ORDER BY elements."""
        if isinstance(item, str):
            if item == "?":
                return [sa.func.random()]
            descending = item.startswith("-")
            name = item.lstrip("-+")
            if name in self.query.annotations:
                column = self.compile_annotation(name)
            else:
                parts = check_path(name)
                path = self.setup_path(parts)
                if path.remaining:
                    column = self._apply_transforms(
                        path.column, path.field, path.remaining
                    )
                elif (
                    path.field is not None
                    and path.field.is_relation
                    and getattr(path.field, "concrete", False)
                    and path.field.related_model._meta.ordering
                    and not parts[-1].endswith("_id")
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

    def _related_ordering(self, name: str, field: Any, descending: bool) -> list[Any]:
        terms: list[Any] = []
        for related_item in field.related_model._meta.ordering:
            if not isinstance(related_item, str):
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
            ordering = list(query.model._meta.ordering)
        else:
            ordering = []
        reverse = not query.standard_ordering
        terms: list[Any] = []
        for item in ordering:
            terms.extend(self.compile_ordering_term(item, reverse))
        return terms

    # -- SELECT ------------------------------------------------------------------
    def _model_columns(self) -> tuple[list[Any], list[str]]:
        opts = self.query.model._meta
        names, defer = self.query.deferred_loading
        columns = []
        attnames = []
        wanted = None
        if names:
            resolved = set()
            for name in names:
                try:
                    field = opts.get_field(name)
                except FieldDoesNotExist:
                    if "__" in name:
                        continue
                    raise FieldError(f"{opts.object_name} has no field named '{name}'")
                resolved.add(field.attname)
            wanted = resolved
        for field in opts.concrete_fields:
            if wanted is not None and not field.primary_key:
                if defer and field.attname in wanted:
                    continue
                if not defer and field.attname not in wanted:
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
        if depth > 5:
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
            if not field.is_relation or field.many_to_many or field.one_to_many:
                raise FieldError(
                    f"Non-relational field given in select_related: '{name}'. "
                    f"Choices are: {', '.join(_related_choices(opts))}"
                )
            owner_alias, _owner_opts, owner_key = self._parent_alias(
                alias, opts, field, key
            )
            join_key = (*owner_key, name)
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
            for related_field in related_model._meta.concrete_fields:
                field_alias, _o, _k = self._parent_alias(
                    related_alias, related_model._meta, related_field, join_key
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
                    compiled = self.compile_annotation(name)
                    columns.append(compiled.label(name))
                    if not getattr(
                        query.annotations[name], "contains_aggregate", False
                    ):
                        group.append(compiled)
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
            compiled = self.compile_annotation(name)
            self.annotation_positions.append((name, len(columns)))
            columns.append(compiled.label(name))
            if not getattr(annotation, "contains_aggregate", False) and not getattr(
                annotation, "contains_over_clause", False
            ):
                group.append(compiled)
        return columns, group

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
                in_having = self._refers_to_aggregate(node)
                rejection.active = not in_having
                condition = self.compile_condition(node)
                (having if in_having else where).append(condition)
        finally:
            self._join_scope = previous
            rejection.active = False
        self.where_always_false = any(map(is_always_false, where))
        return where, having

    def _refers_to_aggregate(self, node: Any) -> bool:
        annotations = self.query.annotations
        if isinstance(node, Q):
            for child in node.flatten():
                if isinstance(child, tuple):
                    name = child[0].split(LOOKUP_SEP)[0]
                    if name in annotations and getattr(
                        annotations[name], "contains_aggregate", False
                    ):
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
        statement = sa.select(*columns).select_from(self._from_clause())
        if where:
            statement = statement.where(*where)
        if grouping:
            if not group and query.values_select is not None:
                # annotate() then values() without plain columns: one row per
                # object, as Django groups by the primary key.
                group = [self.root.c[query.model._meta.pk.attname]]
            if group:
                statement = statement.group_by(*group)
        if having:
            statement = statement.having(*having)
        statement = self._apply_distinct(statement, distinct_columns)
        if order:
            statement = statement.order_by(*order)
        if with_limits:
            if query.high_mark is not None:
                statement = statement.limit(query.high_mark - query.low_mark)
            if query.low_mark:
                statement = statement.offset(query.low_mark)
        if query.select_for_update:
            statement = self._apply_locking(statement)
        return statement

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
        query = self.query
        selects = []
        first_compiler = None
        features = getattr(self.connection, "features", None)
        parentheses = getattr(features, "supports_parentheses_in_compound", True)
        for part in query.combined_queries:
            compiler = SQLCompiler(part, self.connection, parent=self.parent)
            # A member's ordering only matters when it is sliced.
            select = compiler.as_select(ordered=part.is_sliced)
            if not parentheses and (
                part.combinator
                or select._limit_clause is not None
                or select._offset_clause is not None
                or select._order_by_clauses
            ):
                # SQLite rejects "(SELECT ...) UNION ...": select from it instead.
                inner = select.subquery()
                select = sa.select(*inner.c)
            selects.append(select)
            if first_compiler is None:
                first_compiler = compiler
        assert first_compiler is not None
        self.klass_info = first_compiler.klass_info
        self.annotation_positions = first_compiler.annotation_positions
        self.values_count = first_compiler.values_count
        combinators = {
            ("union", False): sa.union,
            ("union", True): sa.union_all,
            ("intersection", False): sa.intersect,
            ("intersection", True): sa.intersect_all,
            ("difference", False): sa.except_,
            ("difference", True): sa.except_all,
        }
        compound = combinators[(query.combinator, query.combinator_all)](*selects)
        if query.order_by:
            names = [c.name for c in selects[0].selected_columns]
            terms = []
            for item in query.order_by:
                if not isinstance(item, str):
                    raise FieldError("Only field names may order a combined query.")
                descending = item.startswith("-")
                name = item.lstrip("-")
                field = None
                try:
                    field = (
                        query.model._meta.get_field(name)
                        if name != "pk"
                        else query.model._meta.pk
                    )
                except FieldDoesNotExist:
                    pass
                column_name = field.column if field is not None else name
                if column_name not in names and name not in names:
                    raise FieldError(
                        "ORDER BY term does not match any column in the result "
                        f"set: {name}"
                    )
                ref: Any = sa.literal_column(
                    column_name if column_name in names else name
                )
                terms.append(ref.desc() if descending else ref.asc())
            compound = compound.order_by(*terms)
        if query.high_mark is not None:
            compound = compound.limit(query.high_mark - query.low_mark)
        if query.low_mark:
            compound = compound.offset(query.low_mark)
        return compound

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
            inner = self.as_select(ordered=False).subquery()
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
        if (
            query.distinct
            or query.is_sliced
            or query.has_aggregate_annotation
            or query.combinator
        ):
            inner_query = query.clone()
            refs: set[str] = set()
            for aggregate in aggregates.values():
                refs |= aggregate.get_refs()
            names = [name for name in refs if name not in inner_query.annotations]
            inner_query.clear_ordering(force=not query.is_sliced)
            keep = [n for n in inner_query.annotations if n in refs]
            inner_query.values_select = (*names, *keep) if (names or keep) else ("pk",)
            inner_query.annotation_select_mask = set(keep)
            inner_compiler = SQLCompiler(
                inner_query, self.connection, parent=self.parent
            )
            inner = inner_compiler.as_select().subquery()
            outer = _SubqueryCompiler(self, inner)
            columns = [
                outer.compile_expression(aggregate).label(alias)
                for alias, aggregate in aggregates.items()
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


def _lookup_source(lhs: Any, field: Any) -> Any:
    # A transform knows its own lookups (JSON key transforms do); else the field.
    from manouche.db.models.lookups import Transform

    return lhs if isinstance(lhs, Transform) else field


def _unsupported(name: str, field: Any) -> FieldError:
    return FieldError(
        f"Unsupported lookup '{name}' for {type(field).__name__} or join on the "
        "field not permitted."
    )


def _resolve_lookup(
    lhs: Any, field: Any, names: list[str]
) -> tuple[Any, Any, str, Any]:
    """Apply transforms; return (lhs, lookup class, lookup name, output field)."""
    lookup_name = names[-1]
    current_field = field
    for name in names[:-1]:
        source = _lookup_source(lhs, current_field)
        transform = source.get_transform(name) if source is not None else None
        if transform is None:
            raise _unsupported(name, current_field)
        lhs = transform(lhs)
        current_field = lhs._output_field_or_none or current_field
    source = _lookup_source(lhs, current_field)
    lookup_class = source.get_lookup(lookup_name) if source is not None else None
    if lookup_class is None:
        transform = source.get_transform(lookup_name) if source is not None else None
        if transform is None:
            raise _unsupported(lookup_name, current_field)
        lhs = transform(lhs)
        current_field = lhs._output_field_or_none or current_field
        lookup_class = _lookup_source(lhs, current_field).get_lookup("exact")
        lookup_name = "exact"
    return lhs, lookup_class, lookup_name, current_field


def _is_lookup_tail(opts: Any, names: list[str]) -> bool:
    if not names:
        return True
    try:
        opts.get_field(names[0])
    except FieldDoesNotExist:
        return True
    return False


def _is_pk_lookup(model: Any, names: list[str]) -> bool:
    """Whether ``names`` is one lookup on ``model``'s primary key."""
    return len(names) == 1 and model._meta.pk.get_lookup(names[0]) is not None


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


def _model_value(value: Any, field: Any) -> Any:
    """Turn model instances in lookup values into their key values."""
    from manouche.db.models.base import Model

    if isinstance(value, Model):
        target = getattr(field, "target_field", None)
        if target is not None:
            return getattr(value, target.attname)
        return value.pk
    if isinstance(value, (list, tuple, set, frozenset)) and any(
        isinstance(item, Model) for item in value
    ):
        return [_model_value(item, field) for item in value]
    return value
