"""Expression and condition compilation for SQLCompiler, split out by concept.

Compiles ``F()`` references, annotations, expressions, Q trees and
``path__lookup=value`` filters into SQLAlchemy elements.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

import sqlalchemy as sa

from manouche.core.exceptions import FieldError
from manouche.db.models._as_sql import bridged_as_sa, has_late_sql_hook
from manouche.db.models._expressions_types import typed_copy
from manouche.db.models.expressions import Col, F, Value
from manouche.db.models.query_utils import LOOKUP_SEP, Q, check_path
from manouche.db.models.sql._compiler_paths import PathCompilerMixin, unknown_name
from manouche.db.models.sql._join_scopes import (
    CallScopes,
    nested_scope,
    node_multivalued,
)

if TYPE_CHECKING:
    from manouche.db.models.sql.compiler import SQLCompiler


def check_related_name(field: Any, name: str) -> None:
    """Raise FieldError for a path naming no field (nor transform) of a relation."""
    related = getattr(field, "related_model", None)
    if related is None or isinstance(related, str) or field.get_transform(name):
        return
    if _value_field(field).get_transform(name):
        return  # ``date__month`` on a key to a date: a transform of its values
    raise unknown_name(name, related._meta)


def annotation_prefix(parts: list[str], annotations: dict[str, Any]) -> int:
    """Return how many leading ``parts`` name an annotation (0: none)."""
    if parts[0] in annotations:
        return 1
    for count in range(len(parts), 1, -1):
        if LOOKUP_SEP.join(parts[:count]) in annotations:
            return count
    return 0


class FilterCompilerMixin(PathCompilerMixin):
    """Compile references, expressions and filter conditions."""

    # -- expressions --------------------------------------------------------------
    def compile_ref(self, name: str) -> Any:
        """Compile ``F(name)``: an annotation or a (possibly joined) field."""
        annotations = self.query.annotations
        if name in annotations:
            return self.compile_annotation(name)
        parts = check_path(name)
        if parts[0] in annotations and len(parts) > 1:
            # ``Max("books__published")`` is a date once its F() is known.
            field = self.annotation_field(parts[0])
            return self._apply_transforms(
                self.compile_annotation(parts[0]), field, parts[1:]
            )
        path = self.setup_path(parts)
        if path.remaining:
            check_related_name(path.field, path.remaining[0])
            return self._apply_transforms(path.column, path.field, path.remaining)
        return path.column

    def annotation_field(self, name: str) -> Any:
        """Return the field the annotation ``name`` outputs, or None if unknown.

        ``F("data__key")`` (or an F() of another annotation) reads as the
        field it names, so transforms apply to it as they would there.
        """
        annotation = self.query.annotations[name]
        field = getattr(typed_copy(annotation, self), "_output_field_or_none", None)
        if field is None and isinstance(annotation, F):
            parts = check_path(annotation.name)
            if parts[0] in self.query.annotations and parts[0] != name:
                return self.annotation_field(parts[0])
            return self.setup_path(parts).field
        return field

    def compile_annotation(self, name: str) -> Any:
        """Compile an annotation once per compiler."""
        cached = self._annotation_cache.get(name)
        if cached is None:
            # Annotations use the shared joins, even when a filter() call
            # with joins of its own refers to them.
            scope, self._join_scope = self._join_scope, None
            try:
                cached = self.compile_expression(self.query.annotations[name])
            finally:
                self._join_scope = scope
            self._annotation_cache[name] = cached
        return cached

    def _apply_transforms(self, column: Any, field: Any, names: list[str]) -> Any:
        expression: Any = Col(column, _value_field(field))
        if field is not None and names and not field.get_transform(names[0]):
            field = _value_field(field)  # a key's transforms are its values'
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
            if has_late_sql_hook(expression, cast("SQLCompiler", self).vendor):
                return bridged_as_sa(expression, self)
            return expression.as_sa(self)
        if isinstance(expression, str):
            return Value(expression).as_sa(self)
        return Value(expression).as_sa(self)

    def compile_subquery(self, query: Any) -> Any:
        """Compile a nested query that may reference this one (OuterRef)."""
        from manouche.db.models.sql.compiler import SQLCompiler

        compiler = SQLCompiler(query, self.connection, parent=cast("SQLCompiler", self))
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
        if any(_is_empty_q(child) for child in q.children):
            # An empty Q() (negated or not) constrains nothing: drop it.
            kept = [child for child in q.children if not _is_empty_q(child)]
            if not kept:
                return sa.true()
            q = Q.create(kept, q.connector, q.negated)
        inner_negated = negated or q.negated
        excluded = self._multivalued_exclusion(q, negated)
        if excluded is not None:
            return excluded

        def compile_plain(child: Any) -> Any:
            if isinstance(child, Q):
                return self._compile_q(child, inner_negated)
            if isinstance(child, tuple):
                return self.build_filter(child[0], child[1], inner_negated)
            return self.compile_condition(child, inner_negated)

        compile_child: Callable[[Any], Any] = compile_plain
        if isinstance(q, CallScopes):
            compile_child = self._scoped_children(q, compile_plain)

        rejection = self._rejection
        if rejection is None:
            parts = [compile_child(child) for child in q.children]
        else:
            parts = rejection.compile_children(q, compile_child)
        if not parts:
            return sa.true()  # nothing to negate either
        condition: Any
        if q.connector == Q.OR:
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

    def _scoped_children(
        self, q: CallScopes, compile_child: Callable[[Any], Any]
    ) -> Callable[[Any], Any]:
        """Wrap ``compile_child`` to compile each child of ``q`` in its scope.

        Children are compiled once each, in order: the scopes follow them.
        """
        scopes = iter(q.scopes)

        def compile_scoped(child: Any) -> Any:
            outer = self._join_scope
            self._join_scope = nested_scope(outer, next(scopes))
            try:
                return compile_child(child)
            finally:
                self._join_scope = outer

        return compile_scoped

    def _multivalued_exclusion(self, q: Q, negated: bool) -> Any:
        """Compile ``~q`` across a many-valued relation per object (None: not one).

        exclude() rejects every object having some related row matching,
        not the joined rows that match.
        """
        if (
            not q.negated
            or negated
            or self._row_conditions
            or not self._is_multivalued(q)
        ):
            return None
        if self._shares_joins:
            shared = self._on_shared_joins(q)
            if shared is not None:
                return shared
        positive = Q(*q.children, _connector=q.connector)
        return sa.not_(self._pk_in_subquery(positive))

    def _on_shared_joins(self, q: Q) -> Any:
        """Compile ``q`` on the joined rows if it needs no join of its own.

        A related manager's ``exclude(through_model__x=1)`` tests the rows
        the manager joined (``alex.employers``: Alex's employments), not
        every related row. None (nothing kept) when ``q`` needs new joins.
        """
        joins = {key: (join, join.outer) for key, join in self.joins.items()}
        rejection = self._rejection
        mark = len(rejection.required) if rejection is not None else 0
        condition = self.compile_row_condition(q)
        if set(self.joins) == set(joins):
            return condition
        for join, outer in joins.values():
            join.outer = outer
        self.joins = {key: join for key, (join, _outer) in joins.items()}
        if rejection is not None:
            del rejection.required[mark:]
        return None

    def compile_row_condition(self, node: Any) -> Any:
        """Compile a condition on each joined row (an aggregate's filter).

        ``~Q(friends__name="x")`` then rejects the rows of that friend only,
        where exclude() would reject every object having such a friend.
        """
        self._row_conditions += 1
        try:
            return self.compile_condition(node)
        finally:
            self._row_conditions -= 1

    def _is_multivalued(self, q: Q) -> bool:
        """Whether ``q`` follows a many-valued relation, at any depth."""
        return node_multivalued(self.query.model._meta, q)

    def _pk_in_subquery(self, q: Q) -> Any:
        """Return EXISTS (this row, matching ``q`` through its own joins).

        What exclude() negates across a many-valued relation: "has some
        related row matching", tested per object, never per joined row.
        """
        from manouche.db.models.sql.compiler import SQLCompiler
        from manouche.db.models.sql.query import Query

        inner = Query(self.query.model)
        inner.filtered_relations = self.query.filtered_relations
        inner.where = [q]
        inner.exists_only = True
        inner.default_ordering = False
        # The subquery stands for this query's own rows: its OuterRef()s
        # name the query enclosing this one, as the excluded condition's do.
        compiler = SQLCompiler(inner, self.connection, parent=self.parent)
        compiler.root = self.query.model._meta.sa_table.alias()
        select = compiler.as_select(subquery=True)
        pk = self.query.model._meta.pk.attname
        return select.where(compiler.root.c[pk] == self.root.c[pk]).exists()

    def build_filter(self, key: str, value: Any, negated: bool = False) -> Any:
        """Compile one ``path__lookup=value`` condition."""
        parts = check_path(key)
        annotations = self.query.annotations
        named = annotation_prefix(parts, annotations)
        if named:
            # ``book__count__gt``: the annotation may be named with "__".
            name = LOOKUP_SEP.join(parts[:named])
            parts = [name, *parts[named:]]
            lhs_field = self.annotation_field(name)
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
            if path.key_join is not None:
                # A key that is not NULL has its related row: were that
                # relation joined, the join could be INNER.
                self._rejection.leaf(path.remaining, value, path.key_join)
            bounds = value if path.remaining == ["range"] else [value]
            for bound in bounds if isinstance(bounds, (list, tuple)) else ():
                referenced = self._referenced_table(bound)
                if referenced is not None:
                    # ``x=F("b__y")`` (or BETWEEN F(...) AND ...) is not true
                    # either where ``b`` is missing.
                    self._rejection.leaf(path.remaining, value, referenced)
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
        if negated and lookup_name != "isnull" and maybe_null and value is not None:
            # NOT (x = v) must keep rows where x IS NULL, as Django does
            # (not for ``data__key=None``, a JSON null: NULL matches neither).
            condition = sa.and_(condition, column.is_not(None))
        if negated and lookup_name != "isnull":
            nullable_reference = self._nullable_reference(value)
            if nullable_reference is not None:
                # ... and where the F() compared with is NULL.
                condition = sa.and_(condition, nullable_reference.is_not(None))
        return condition

    def _referenced_table(self, value: Any) -> Any:
        """Return the table of the column ``F(path)`` names, else None."""
        if type(value) is not F:
            return None
        parts = check_path(value.name)
        if annotation_prefix(parts, self.query.annotations):
            return None
        path = self.setup_path(parts)
        return None if path.remaining else path.column.table

    def _nullable_reference(self, value: Any) -> Any:
        """Return the column of ``F(path)`` when its field may be NULL, else None."""
        if type(value) is not F or value.name in self.query.annotations:
            return None
        parts = check_path(value.name)
        if annotation_prefix(parts, self.query.annotations):
            return None
        path = self.setup_path(parts)
        if path.remaining or not getattr(path.field, "null", False):
            return None
        return path.column


def _lookup_source(lhs: Any, field: Any) -> Any:
    # A transform knows its own lookups (JSON key transforms do); else the field.
    from manouche.db.models.lookups import Transform

    return lhs if isinstance(lhs, Transform) else field


def _unsupported(name: str, field: Any) -> FieldError:
    return FieldError(
        f"Unsupported lookup '{name}' for {type(field).__name__} or join on the "
        "field not permitted."
    )


def _value_field(field: Any) -> Any:
    """Return the field whose values a (foreign key) column holds.

    A key to a DateTimeField holds datetimes: transforms (``__year``) read
    them as such.
    """
    while getattr(field, "is_relation", False) and (
        getattr(field, "target_field", None) is not None
    ):
        field = field.target_field
    return field


def _transformable(lhs: Any) -> Any:
    """Return ``lhs`` typed by the values it holds, for a transform to read."""
    if isinstance(lhs, Col) and getattr(lhs.target, "is_relation", False):
        return Col(lhs.column, _value_field(lhs.target))
    return lhs


def _resolve_lookup(
    lhs: Any, field: Any, names: list[str]
) -> tuple[Any, Any, str, Any]:
    """Apply transforms; return (lhs, lookup class, lookup name, output field)."""
    lookup_name = names[-1]
    current_field = field
    for position, name in enumerate(names[:-1]):
        source = _lookup_source(lhs, current_field)
        transform = source.get_transform(name) if source is not None else None
        if transform is None:
            # Name the rest of the path: none of it can be resolved.
            raise _unsupported(LOOKUP_SEP.join(names[position:]), current_field)
        lhs = transform(_transformable(lhs))
        current_field = lhs._output_field_or_none or current_field
    source = _lookup_source(lhs, current_field)
    lookup_class = source.get_lookup(lookup_name) if source is not None else None
    if lookup_class is None:
        transform = source.get_transform(lookup_name) if source is not None else None
        if transform is None:
            raise _unsupported(lookup_name, current_field)
        lhs = transform(_transformable(lhs))
        current_field = lhs._output_field_or_none or current_field
        lookup_class = _lookup_source(lhs, current_field).get_lookup("exact")
        lookup_name = "exact"
    return lhs, lookup_class, lookup_name, current_field


def _model_value(value: Any, field: Any) -> Any:
    """Turn model instances in lookup values into their key values."""
    from manouche.db.models.base import Model

    if isinstance(value, Model):
        source = getattr(field, "target_field", None)
        # Follow keys to keys (``to_field`` chains) until ``value`` has the
        # field; an instance of another model in the chain gives its pk.
        while (
            source is not None
            and not isinstance(value, source.model)
            and getattr(source, "target_field", None) is not None
        ):
            source = source.target_field
        if source is not None and isinstance(value, source.model):
            return getattr(value, source.attname)
        return value.pk
    if isinstance(value, (list, tuple, set, frozenset)) and any(
        isinstance(item, Model) for item in value
    ):
        return [_model_value(item, field) for item in value]
    return value


def _is_empty_q(node: Any) -> bool:
    """Tell whether ``node`` is a Q holding no condition at any depth."""
    return isinstance(node, Q) and all(_is_empty_q(child) for child in node.children)
