"""Field-path resolution and joins for SQLCompiler: kept apart as one concept.

``setup_path`` turns ``author__name`` into a column of an aliased table and
records the joins it needs; the rest of the compiler builds on it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from manouche.core.exceptions import FieldDoesNotExist, FieldError
from manouche.db.models._filtered_relation import filtered_relation_start

if TYPE_CHECKING:
    from manouche.db.models.sql._compiler_select import KlassInfo
    from manouche.db.models.sql._joins import NullRejection
    from manouche.db.models.sql.compiler import SQLCompiler


class _Join:
    __slots__ = ("alias", "onclause", "outer")

    def __init__(self, alias: Any, onclause: Any, outer: bool) -> None:
        self.alias = alias
        self.onclause = onclause
        self.outer = outer


class _Path:
    __slots__ = (
        "alias",
        "column",
        "field",
        "key_join",
        "multivalued",
        "nullable",
        "remaining",
    )
    # The join key a path ending on a foreign key column would follow
    # (``author=1`` stops at ``author_id``); None for other paths.
    key_join: tuple[str, ...] | None

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
        self.key_join = None


def unknown_name(name: str, opts: Any, annotations: Any = ()) -> FieldError:
    """The error for a path part naming nothing ``opts`` (or ``annotations``) has."""
    return FieldError(
        f"Cannot resolve keyword '{name}' into field. Choices are: "
        f"{_choices(opts, annotations)}"
    )


def _choices(opts: Any, annotations: Any = ()) -> str:
    """The names a lookup may start with: fields, their attnames, annotations."""
    names = set(annotations)
    for field in opts.get_fields():
        # Reverse relations' ``name`` is their related query name.
        names.add(field.name)
        if getattr(field, "concrete", False) and field.attname:
            names.add(field.attname)
    return ", ".join(sorted(names))


class PathCompilerMixin:
    """Resolve field paths into columns, adding the joins they need."""

    # Set by SQLCompiler.__init__ (compiler.py); declared for the mixins.
    query: Any
    connection: Any
    parent: SQLCompiler | None
    root: Any
    for_update_statement: bool
    joins: dict[tuple[str, ...], _Join]
    _annotation_cache: dict[str, Any]
    klass_info: KlassInfo | None
    annotation_positions: list[tuple[str, int]]
    values_count: int
    _join_scope: str | None
    _rejection: NullRejection | None
    _row_conditions: int
    _shares_joins: bool

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
        """Return the table to join for ``model``: its own name, first time.

        As in Django, the first join of a table in a statement goes by the
        table's name (raw SQL in extra() and RawSQL may refer to it); any
        other occurrence, and every table of a nested query, is aliased so
        that SQLAlchemy never correlates two of them.
        """
        table = model._meta.sa_table
        taken = table is self.root or any(
            join.alias is table for join in self.joins.values()
        )
        if not taken and self._names_joined_tables():
            return table
        return table.alias()

    def _names_joined_tables(self) -> bool:
        """Tell whether this compiles an outermost SELECT over its plain table."""
        table = self.query.model._meta.sa_table
        return (
            self.parent is None and not self.for_update_statement and self.root is table
        )

    def _parent_alias(
        self,
        alias: Any,
        opts: Any,
        field: Any,
        key: tuple[str, ...],
        outer: bool = False,
    ) -> tuple[Any, Any, tuple[str, ...]]:
        """Join the parent tables up to the one holding ``field``.

        ``outer``: ``alias`` itself may be a missing (LEFT OUTER) row, so
        its parents are joined the same way or they would drop the row.
        """
        owner = getattr(field, "model", None)
        # A reverse relation (a ForeignObjectRel) is held by the model its
        # key points to, a many-to-many by the model declaring it: a parent
        # of ``opts`` when the relation is inherited.
        joined = getattr(field, "many_to_many", False) or (
            getattr(field, "auto_created", False) and hasattr(field, "field")
        )
        if (
            owner is None
            or not (getattr(field, "concrete", False) or joined)
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
                outer=outer,
            )
            opts = parent._meta
        return alias, opts, key

    def _child_alias(
        self, alias: Any, holder: Any, target: Any, key: tuple[str, ...]
    ) -> tuple[Any, Any, tuple[str, ...]]:
        """Join down from ``holder``'s table to the table of ``target``, its child.

        A generic relation to a multi-table child joins the parent table
        holding the object id first; the child's own columns are one more
        join away, through its parent link. Any other ``target`` leaves
        ``holder`` as it is.
        """
        concrete = target._meta.concrete_model
        links = concrete._meta.get_path_to_parent(holder)
        if not links:
            return alias, holder, key
        for link in reversed(links):
            child = link.model._meta.concrete_model
            key = (*key, f">{child._meta.label}")
            child_alias = self._new_alias(child) if key not in self.joins else None
            parent = alias
            alias = self._join(
                key,
                child_alias,
                lambda a, link=link, parent=parent: (
                    a.c[link.attname] == parent.c[link.related_model._meta.pk.attname]
                ),
                outer=True,
            )
        return alias, concrete, key

    def setup_path(self, names: list[str], allow_annotations: bool = True) -> _Path:  # noqa: C901
        """Resolve ``names`` from the query's model, joining as needed."""
        opts = self.query.model._meta
        alias = self.root
        key: tuple[str, ...] = ()
        nullable = False
        multivalued = False
        field: Any = None
        column: Any = None
        key_join: tuple[str, ...] | None = None
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
                    raise unknown_name(name, opts, annotations)
                break
            field = candidate
            index += 1
            more = index < len(names)
            alias, opts, key = self._parent_alias(alias, opts, field, key, nullable)
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
                alias, model, key = self._child_alias(
                    alias, model, field.related_model, key
                )
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
                key_join = (*key, field.name)
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
                    and _is_key_tail(target, related_opts, names[index + 1 :])
                    and (next_name != "pk" or related_opts.pk is target)
                ):
                    # ``movie__id`` reads the key column: NULL where it is.
                    nullable = nullable or field.null
                    field = target
                    column = local
                    index += 1
                    break
                nullable = nullable or field.null
                key, key_join = key_join, None
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
                alias, opts, key = self._parent_alias(
                    alias, opts, remote, key, outer=True
                )
            if not more:
                field = opts.pk
                column = alias.c[field.attname]
                break
            column = None
        if column is None:
            field = opts.pk
            column = alias.c[field.attname]
        path = _Path(field, column, list(names[index:]), nullable, multivalued, alias)
        path.key_join = key_join
        return path

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
        # Keyed as the reverse relation of ``source_fk`` is: a filter on the
        # through model (``employment__title``) then shares this join.
        through_key = (*key, source_fk.related_query_name())
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


def _is_lookup_tail(opts: Any, names: list[str]) -> bool:
    if not names:
        return True
    if names[0] == "pk":
        return False
    try:
        opts.get_field(names[0])
    except FieldDoesNotExist:
        return True
    return False


def _is_key_tail(target: Any, opts: Any, names: list[str]) -> bool:
    """Whether ``names`` after a key's ``target`` are lookups on the key itself.

    A target that is itself a relation (a one-to-one primary key) only takes
    its own lookups: any other name is a field of the model it leads to.
    """
    if not _is_lookup_tail(opts, names):
        return False
    if not names or not target.is_relation:
        return True
    return (
        target.get_lookup(names[0]) is not None
        or target.get_transform(names[0]) is not None
    )


def _is_pk_lookup(model: Any, names: list[str]) -> bool:
    """Whether ``names`` is one lookup on ``model``'s primary key."""
    return len(names) == 1 and model._meta.pk.get_lookup(names[0]) is not None
