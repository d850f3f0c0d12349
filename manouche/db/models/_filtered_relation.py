"""FilteredRelation: a relation joined with an extra condition in its ON clause.

``annotate(alias=FilteredRelation("books", condition=Q(books__rating__gte=4)))``
makes ``alias`` a name lookups can start from (``filter(alias__title=...)``,
``values("alias__title")``, ``Count("alias")``). The compiler builds one
LEFT OUTER JOIN per alias, shared by every reference to it.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from manouche.core.exceptions import FieldDoesNotExist, FieldError
from manouche.db.models.expressions import F
from manouche.db.models.query_utils import LOOKUP_SEP, Q, check_path

__all__ = [
    "FilteredRelation",
    "add_filtered_relation",
    "filtered_relation_start",
    "select_filtered_relation",
]


class FilteredRelation:
    """Name a relation joined only to the rows matching ``condition``."""

    def __init__(self, relation_name: str, *, condition: Q | None = None) -> None:
        if not isinstance(relation_name, str) or not relation_name:
            raise ValueError("relation_name cannot be empty.")
        check_path(relation_name)
        if condition is None:
            condition = Q()
        if not isinstance(condition, Q):
            raise ValueError("condition argument must be a Q() instance.")
        self.relation_name = relation_name
        self.condition = condition
        self.alias: str | None = None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, FilteredRelation):
            return NotImplemented
        return (
            self.relation_name == other.relation_name
            and self.alias == other.alias
            and self.condition == other.condition
        )

    def __hash__(self) -> int:
        return hash((self.relation_name, self.alias))

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}({self.relation_name!r}, "
            f"condition={self.condition!r})"
        )

    def clone(self) -> FilteredRelation:
        """Return a copy (the alias included)."""
        clone = FilteredRelation(self.relation_name, condition=self.condition.copy())
        clone.alias = self.alias
        return clone

    def deconstruct(self) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        """Return (path, args, kwargs) rebuilding this relation."""
        kwargs = {"condition": self.condition} if self.condition else {}
        return "manouche.db.models.FilteredRelation", (self.relation_name,), kwargs


def add_filtered_relation(query: Any, alias: str, relation: FilteredRelation) -> None:
    """Validate ``relation`` against ``query``'s model and register it as ``alias``."""
    parts = relation.relation_name.split(LOOKUP_SEP)
    opts = query.model._meta
    for index, part in enumerate(parts):
        try:
            field = opts.get_field(part)
        except FieldDoesNotExist:
            field = None
        is_relation = field is not None and field.related_model is not None
        if not is_relation and (field is None or index < len(parts) - 1):
            raise ValueError(
                f"FilteredRelation's relation_name cannot contain lookups (got "
                f"{relation.relation_name!r})."
            )
        if field is None or not is_relation:
            raise ValueError(
                f"FilteredRelation's relation_name must name relations; "
                f"{part!r} of {relation.relation_name!r} is not one."
            )
        opts = field.related_model._meta
    prefix = relation.relation_name + LOOKUP_SEP
    for child in relation.condition.flatten():
        if isinstance(child, tuple) and not (
            child[0] == relation.relation_name or child[0].startswith(prefix)
        ):
            raise ValueError(
                f"FilteredRelation's condition doesn't support relations outside "
                f"the {relation.relation_name!r} (got {child[0]!r})."
            )
    registered = relation.clone()
    registered.alias = alias
    query.filtered_relations = {**query.filtered_relations, alias: registered}


def filtered_relation_start(
    compiler: Any, alias: str
) -> tuple[Any, Any, tuple[str, ...]]:
    """Join ``alias``'s relation (once per compiler); return (table, opts, key)."""
    built: dict[str, tuple[Any, Any, tuple[str, ...]]] = compiler.__dict__.setdefault(
        "_filtered_relations_built", {}
    )
    if alias in built:
        return built[alias]
    relation = compiler.query.filtered_relations[alias]
    table: Any = compiler.root
    opts = compiler.query.model._meta
    key: tuple[str, ...] = (f"<filtered {alias}>",)
    join_key = key
    for part in relation.relation_name.split(LOOKUP_SEP):
        table, opts, key, join_key = _join_step(compiler, table, opts, key, part)
    built[alias] = (table, opts, key)
    condition = _rewrite(relation.condition, relation.relation_name, alias)
    if condition:
        before = set(compiler.joins)
        compiled = compiler.compile_condition(condition)
        if set(compiler.joins) - before:
            raise FieldError(
                "FilteredRelation's condition doesn't support nested relations "
                f"deeper than the relation_name (got {relation.condition!r} for "
                f"{relation.relation_name!r})."
            )
        join = compiler.joins[join_key]
        join.onclause = sa.and_(join.onclause, compiled)
    return table, opts, key


class _AliasTarget:
    """Where select_related() puts the object reached through an alias."""

    def __init__(self, alias: str) -> None:
        self.name = alias

    def attach_selected(self, obj: Any, related_obj: Any) -> None:
        """Set ``obj.<alias>`` (None when no row matched the condition)."""
        setattr(obj, self.name, related_obj)


def select_filtered_relation(
    compiler: Any, columns: list[Any], info: Any, alias: str, subtree: Any, depth: int
) -> None:
    """Add ``select_related(alias)``: select the joined row into ``obj.<alias>``."""
    from manouche.db.models.sql.compiler import KlassInfo

    relation = compiler.query.filtered_relations[alias]
    opts = compiler.query.model._meta
    for part in relation.relation_name.split(LOOKUP_SEP):
        field = opts.get_field(part)
        if field.many_to_many or field.one_to_many:
            raise FieldError(
                f"select_related() cannot follow the multi-valued FilteredRelation "
                f"{alias!r} ({relation.relation_name!r})."
            )
        opts = field.related_model._meta
    table, opts, key = filtered_relation_start(compiler, alias)
    model = opts.model
    start = len(columns)
    attnames = []
    for field in model._meta.concrete_fields:
        field_table, _opts, _key = compiler._parent_alias(table, opts, field, key)
        columns.append(field_table.c[field.attname])
        attnames.append(field.attname)
    child = KlassInfo(model, attnames, start, len(columns))
    child.field = _AliasTarget(alias)
    info.related.append(child)
    if isinstance(subtree, dict) and subtree:
        compiler._add_select_related(
            columns, child, model._meta, table, subtree, key, True, depth + 1
        )


def _join_step(
    compiler: Any, table: Any, opts: Any, key: tuple[str, ...], name: str
) -> tuple[Any, Any, tuple[str, ...], tuple[str, ...]]:
    """Join one relation; return (table, opts, key, key of the join to filter)."""
    field = opts.get_field(name)
    table, opts, key = compiler._parent_alias(table, opts, field, key)
    if getattr(field, "sa_join", None) is not None:
        raise FieldError(
            f"FilteredRelation does not support the generic relation {name!r}."
        )
    if field.many_to_many:
        table, opts, _column, _field, _multivalued = compiler._join_m2m(
            field, table, key, True
        )
        key = (*key, field.name)
        return table, opts, key, key
    key = (*key, name)
    if field.concrete:
        model = field.related_model._meta.concrete_model
        local, target = table.c[field.attname], field.target_field
        joined = compiler._join(
            key,
            compiler._new_alias(model) if key not in compiler.joins else None,
            lambda a: local == a.c[target.attname],
            outer=True,
        )
        return joined, model._meta, key, key
    remote, model, current = field.field, field.related_model, table
    joined = compiler._join(
        key,
        compiler._new_alias(model._meta.concrete_model)
        if key not in compiler.joins
        else None,
        lambda a: a.c[remote.attname] == current.c[remote.target_field.attname],
        outer=True,
    )
    join_key = key
    opts = model._meta
    if remote.model._meta.concrete_model is not model._meta.concrete_model:
        joined, opts, key = compiler._parent_alias(joined, opts, remote, key)
    return joined, opts, key, join_key


def _rewrite(node: Any, relation_name: str, alias: str) -> Any:
    """Point the condition's ``relation_name__...`` paths at ``alias``."""
    if isinstance(node, Q):
        clone = Q(_connector=node.connector, _negated=node.negated)
        clone.children = [
            _rewrite(child, relation_name, alias) for child in node.children
        ]
        return clone
    if isinstance(node, tuple):
        return (
            _rename(node[0], relation_name, alias),
            _rewrite(node[1], relation_name, alias),
        )
    if type(node) is F:
        return F(_rename(node.name, relation_name, alias))
    return node


def _rename(path: str, relation_name: str, alias: str) -> str:
    if path == relation_name:
        return alias
    prefix = relation_name + LOOKUP_SEP
    if path.startswith(prefix):
        return alias + LOOKUP_SEP + path[len(prefix) :]
    return path
