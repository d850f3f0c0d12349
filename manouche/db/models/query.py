"""QuerySet: lazy, chainable queries with sync and async evaluation.

Every evaluating method is one *operation* (a generator yielding statements,
see ``_io``) run by a sync method (``get``) and its async twin (``aget``).
"""

from __future__ import annotations

from typing import Any

from manouche.core.exceptions import FieldDoesNotExist, FieldError
from manouche.db.models._extra import apply_extra
from manouche.db.models._filtered_relation import (
    FilteredRelation,
    add_filtered_relation,
)
from manouche.db.models._iterables import (
    FlatValuesListIterable,
    NamedValuesListIterable,
    ValuesIterable,
    ValuesListIterable,
)
from manouche.db.models._iterables import (
    ModelIterable as ModelIterable,  # Django's public path for it
)
from manouche.db.models._prefetch import (
    Prefetch,
    aprefetch_related_objects,
    prefetch_related_objects,
)
from manouche.db.models._queryset_core import (
    REPR_OUTPUT_SIZE as REPR_OUTPUT_SIZE,  # Django's public path for it
)
from manouche.db.models._queryset_evaluation import QuerySetEvaluation
from manouche.db.models._queryset_operations import MAX_GET_RESULTS
from manouche.db.models._raw import RawQuerySet
from manouche.db.models.expressions import F, Subquery
from manouche.db.models.query_utils import Q, check_alias, check_identifier
from manouche.db.models.sql._join_scopes import call_scopes
from manouche.db.models.sql.query import Query

__all__ = [
    "EmptyQuerySet",
    "MAX_GET_RESULTS",
    "Prefetch",
    "QuerySet",
    "RawQuerySet",
    "aprefetch_related_objects",
    "prefetch_related_objects",
]


class QuerySet(QuerySetEvaluation):
    """A lazy database lookup for a set of objects."""

    def __and__(self, other: QuerySet) -> QuerySet:
        self._check_operator_queryset(other, "&")
        if isinstance(other, EmptyQuerySet):
            return other
        if isinstance(self, EmptyQuerySet):
            return self
        self._check_same_model(other)
        combined = self._chain()
        combined.query.where.extend(other.query.where)
        combined._merge_known_related_objects(other)
        return combined

    def __or__(self, other: QuerySet) -> QuerySet:
        self._check_operator_queryset(other, "|", allow_sliced=True)
        if isinstance(self, EmptyQuerySet):
            return other
        if isinstance(other, EmptyQuerySet):
            return self
        self._check_same_model(other)
        this, other = self._filterable(), other._filterable()
        combined = this._chain()
        left = call_scopes(this.query)
        right = call_scopes(other.query)
        combined.query.where = [] if not (left and right) else [left | right]
        combined.query.sticky_where = frozenset()
        combined.query.shared_where = None
        combined._merge_known_related_objects(other)
        return combined

    def __xor__(self, other: QuerySet) -> QuerySet:
        self._check_operator_queryset(other, "^", allow_sliced=True)
        self._check_same_model(other)
        this, other = self._filterable(), other._filterable()
        combined = this._chain()
        combined.query.where = [call_scopes(this.query) ^ call_scopes(other.query)]
        combined.query.sticky_where = frozenset()
        combined.query.shared_where = None
        return combined

    def _merge_known_related_objects(self, other: QuerySet) -> None:
        """Also attach the related instances ``other`` knows (``a | b``)."""
        if not other._known_related_objects:
            return
        merged = {
            field: dict(objects)
            for field, objects in self._known_related_objects.items()
        }
        for field, objects in other._known_related_objects.items():
            merged.setdefault(field, {}).update(objects)
        self._known_related_objects = merged

    def _check_operator_queryset(
        self, other: Any, operator_: str, *, allow_sliced: bool = False
    ) -> None:
        if self.query.combinator or getattr(other.query, "combinator", None):
            raise TypeError(f"Cannot use {operator_} operator with combined queryset.")
        if allow_sliced:
            return
        if self.query.is_sliced or other.query.is_sliced:
            raise TypeError("Cannot combine queries once a slice has been taken.")

    def _filterable(self) -> QuerySet:
        """Return self, or for a sliced queryset ``pk__in`` its sliced primary keys.

        ``a[:1] | b`` keeps the slice's rows: the slice becomes a subquery the
        combined conditions can be ORed with.
        """
        if not self.query.is_sliced:
            return self
        manager = self.model._base_manager.db_manager(self.db)
        filterable: QuerySet = manager.filter(pk__in=self.values("pk"))
        filterable._known_related_objects = self._known_related_objects
        return filterable

    def _check_same_model(self, other: Any) -> None:
        # The conditions of one model's query mean nothing to another's.
        if other.model is not self.model:
            raise TypeError("Cannot combine queries on two different base models.")

    @property
    def ordered(self) -> bool:
        """Tell whether results come back in a defined order."""
        if isinstance(self, EmptyQuerySet):
            return True
        return self.query.has_ordering() and not (
            self.query.has_aggregate_annotation and not self.query.order_by
        )

    # -- chaining ---------------------------------------------------------------------
    def all(self) -> QuerySet:
        """Return a copy of this QuerySet."""
        return self._chain()

    def filter(self, *args: Any, **kwargs: Any) -> QuerySet:
        """Return rows matching the conditions."""
        self._not_support_combined_queries("filter")
        return self._filter_or_exclude(False, args, kwargs)

    def exclude(self, *args: Any, **kwargs: Any) -> QuerySet:
        """Return rows not matching the conditions."""
        self._not_support_combined_queries("exclude")
        return self._filter_or_exclude(True, args, kwargs)

    def _filter_or_exclude(
        self, negate: bool, args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> QuerySet:
        if (args or kwargs) and self.query.is_sliced:
            raise TypeError("Cannot filter a query once a slice has been taken.")
        reserved = sorted({"_connector", "_negated"}.intersection(kwargs))
        if reserved:
            # Q()'s own arguments, never field lookups.
            shown = ", ".join(repr(name) for name in reserved)
            raise TypeError(f"The following kwargs are invalid: {shown}")
        clone = self._chain()
        for arg in args:
            if isinstance(arg, dict):
                raise FieldError("Cannot parse keyword query as dict")
            if not isinstance(arg, Q) and not getattr(arg, "conditional", False):
                raise TypeError("Cannot filter against a non-conditional expression.")
        condition = Q(*args, **kwargs)
        if negate:
            condition = ~condition
        if condition:
            clone.query.add_q(condition)
        return clone

    def complex_filter(self, filter_obj: Any) -> QuerySet:
        """Filter by a Q or a dict."""
        if isinstance(filter_obj, Q):
            clone = self._chain()
            clone.query.add_q(filter_obj)
            return clone
        return self._filter_or_exclude(False, (), filter_obj)

    def none(self) -> QuerySet:
        """Return an empty QuerySet that never queries."""
        clone = self._chain()
        clone.query.set_empty()
        clone.__class__ = _empty_class(type(self))
        return clone

    def order_by(self, *field_names: Any) -> QuerySet:
        """Return a copy ordered by ``field_names`` (replacing the ordering)."""
        if self.query.is_sliced:
            raise TypeError("Cannot reorder a query once a slice has been taken.")
        clone = self._chain()
        clone.query.clear_ordering(force=True, clear_default=False)
        clone.query.add_ordering(*field_names)
        return clone

    def reverse(self) -> QuerySet:
        """Return a copy in reverse order."""
        if self.query.is_sliced:
            raise TypeError("Cannot reverse a query once a slice has been taken.")
        clone = self._chain()
        clone.query.standard_ordering = not clone.query.standard_ordering
        if not clone.query.has_ordering():
            clone.query.order_by = ("pk",)
        return clone

    def distinct(self, *field_names: str) -> QuerySet:
        """Return a copy without duplicate rows."""
        self._not_support_combined_queries("distinct")
        if self.query.is_sliced:
            raise TypeError(
                "Cannot create distinct fields once a slice has been taken."
            )
        clone = self._chain()
        clone.query.distinct = True
        for name in field_names:
            check_identifier(name.replace("__", "_x_"), "Field names")
        clone.query.distinct_fields = tuple(field_names)
        return clone

    def select_related(self, *fields: Any) -> QuerySet:
        """Fetch related objects in the same query through joins."""
        self._not_support_combined_queries("select_related")
        if self._fields is not None:
            raise TypeError(
                "Cannot call select_related() after .values() or .values_list()"
            )
        clone = self._chain()
        if fields == (None,):
            clone.query.select_related = False
        elif fields:
            clone.query.add_select_related(fields)
        else:
            clone.query.select_related = True
        return clone

    def prefetch_related(self, *lookups: Any) -> QuerySet:
        """Fetch related objects in one extra query per relation."""
        self._not_support_combined_queries("prefetch_related")
        clone = self._chain()
        if lookups == (None,):
            clone._prefetch_related_lookups = ()
        else:
            for lookup in lookups:
                name = lookup.prefetch_to if isinstance(lookup, Prefetch) else lookup
                if not isinstance(name, str):
                    raise TypeError(f"Invalid prefetch lookup {lookup!r}")
                if "__" in name and (
                    name.split("__")[0] in self.query.annotations
                    or name.split("__")[0] in self.query.filtered_relations
                ):
                    raise ValueError(
                        "prefetch_related() is not supported with FilteredRelation."
                    )
            clone._prefetch_related_lookups = clone._prefetch_related_lookups + lookups
        return clone

    def annotate(self, *args: Any, **kwargs: Any) -> QuerySet:
        """Add a computed value to every row."""
        self._not_support_combined_queries("annotate")
        return self._annotate(args, kwargs, select=True)

    def extra(
        self,
        select: dict[str, str] | None = None,
        where: list[str] | None = None,
        params: list[Any] | None = None,
        tables: list[str] | None = None,
        order_by: list[Any] | None = None,
        select_params: list[Any] | None = None,
    ) -> QuerySet:
        """Add raw SQL columns, WHERE clauses or ordering (see ``_extra``)."""
        self._not_support_combined_queries("extra")
        if self.query.is_sliced:
            raise TypeError("Cannot change a query once a slice has been taken.")
        clone: QuerySet = apply_extra(
            self, select, where, params, tables, order_by, select_params
        )
        return clone

    def alias(self, *args: Any, **kwargs: Any) -> QuerySet:
        """Add a computed value usable in filters without selecting it."""
        self._not_support_combined_queries("alias")
        return self._annotate(args, kwargs, select=False)

    def _annotate(
        self, args: tuple[Any, ...], kwargs: dict[str, Any], select: bool
    ) -> QuerySet:
        annotations: dict[str, Any] = {}
        for arg in args:
            try:
                alias = arg.default_alias
            except (AttributeError, TypeError):
                raise TypeError("Complex annotations require an alias")
            if alias in kwargs:
                raise ValueError(
                    f"The named annotation '{alias}' conflicts with the default name "
                    "for another annotation."
                )
            annotations[alias] = arg
        annotations.update(kwargs)
        clone = self._chain()
        names = {
            name
            for field in self.model._meta.get_fields()
            for name in (field.name, getattr(field, "attname", field.name))
        }
        for alias, annotation in annotations.items():
            check_alias(alias)
            if alias in names:
                raise ValueError(
                    f"The annotation '{alias}' conflicts with a field on the model."
                )
            if isinstance(annotation, FilteredRelation):
                if "." in alias:
                    raise ValueError(
                        "FilteredRelation doesn't support aliases with periods "
                        f"(got '{alias}')."
                    )
                add_filtered_relation(clone.query, alias, annotation)
                continue
            if isinstance(annotation, Q):
                from manouche.db.models.expressions import ExpressionWrapper
                from manouche.db.models.fields import BooleanField

                annotation = ExpressionWrapper(annotation, output_field=BooleanField())
            elif isinstance(annotation, str):
                annotation = F(annotation)
            elif isinstance(annotation, QuerySet):
                from manouche.db.models.expressions import Subquery

                annotation = Subquery(annotation)  # one value per row, as Django
            elif not hasattr(annotation, "as_sa"):
                raise TypeError(
                    f"QuerySet.annotate() received non-expression(s): {annotation!r}."
                )
            clone.query.add_annotation(alias, annotation, select=select)
            if select and clone.query.values_select is not None:
                clone.query.values_select = (*clone.query.values_select, alias)
                clone.query.values_names = (*clone.query.values_names, alias)
                if clone.query.annotation_select_mask is not None:
                    clone.query.annotation_select_mask.add(alias)
        return clone

    def only(self, *fields: str) -> QuerySet:
        """Load only ``fields`` now; others load on access."""
        self._not_support_combined_queries("only")
        if self._fields is not None:
            raise TypeError("Cannot call only() after .values() or .values_list()")
        if None in fields:
            raise TypeError("Cannot pass None as an argument to only().")
        for name in fields:
            self._check_deferrable(name)
        clone = self._chain()
        clone.query.add_immediate_loading(fields)
        return clone

    def defer(self, *fields: Any) -> QuerySet:
        """Load ``fields`` only on access."""
        self._not_support_combined_queries("defer")
        if self._fields is not None:
            raise TypeError("Cannot call defer() after .values() or .values_list()")
        clone = self._chain()
        if fields == (None,):
            clone.query.clear_deferred_loading()
        else:
            for name in fields:
                self._check_deferrable(name)
            clone.query.add_deferred_loading(fields)
        return clone

    def _check_deferrable(self, name: str) -> None:
        if "__" in name:
            return
        try:
            self.model._meta.get_field(name)
        except FieldDoesNotExist:
            if name != "pk":
                raise FieldDoesNotExist(
                    f"{self.model._meta.object_name} has no field named '{name}'"
                )

    def using(self, alias: str | None) -> QuerySet:
        """Return a copy bound to database ``alias``."""
        clone = self._chain()
        clone._db = alias
        return clone

    def select_for_update(
        self,
        nowait: bool = False,
        skip_locked: bool = False,
        of: tuple[str, ...] = (),
        no_key: bool = False,
    ) -> QuerySet:
        """Lock the selected rows until the end of the transaction."""
        if nowait and skip_locked:
            raise ValueError("The nowait option cannot be used with skip_locked.")
        clone = self._chain()
        clone._for_write = True
        clone.query.select_for_update = True
        clone.query.select_for_update_nowait = nowait
        clone.query.select_for_update_skip_locked = skip_locked
        clone.query.select_for_update_of = tuple(of)
        return clone

    def _values(self, *fields: Any, **expressions: Any) -> QuerySet:
        clone = self._chain()
        if expressions:
            clone = clone.annotate(**expressions)
        # values("x", x=...) selects the expression once, where "x" is named.
        clone._fields = tuple(dict.fromkeys(fields + tuple(expressions)))
        clone.query.set_values(clone._fields)
        return clone

    def values(self, *fields: Any, **expressions: Any) -> QuerySet:
        """Return dicts instead of instances."""
        for name in fields:
            if not isinstance(name, str):
                raise TypeError(f"values() arguments must be strings, got {name!r}")
        clone = self._values(*fields, **expressions)
        clone._iterable_class = ValuesIterable
        return clone

    def values_list(
        self, *fields: Any, flat: bool = False, named: bool = False
    ) -> QuerySet:
        """Return tuples (or single values with flat=True)."""
        if flat and named:
            raise TypeError("'flat' and 'named' can't be used together.")
        if flat and len(fields) > 1:
            raise TypeError(
                "'flat' is not valid when values_list is called with more than one "
                "field."
            )
        field_names = {f for f in fields if isinstance(f, str)}
        _fields = []
        expressions = {}
        counter = 1
        for field in fields:
            if isinstance(field, (QuerySet, Query)):
                # A queryset (or its query) selects one value per row.
                field = Subquery(field)
            if hasattr(field, "as_sa") or isinstance(field, F):
                field_id_prefix = getattr(
                    field, "default_alias", field.__class__.__name__.lower()
                )
                while True:
                    field_id = f"{field_id_prefix}{counter}"
                    counter += 1
                    if field_id not in field_names:
                        break
                expressions[field_id] = field
                _fields.append(field_id)
            else:
                _fields.append(field)
        clone = self._values(*_fields, **expressions)
        clone._fields = tuple(_fields)
        clone.query.set_values(tuple(_fields))
        if named:
            clone._iterable_class = NamedValuesListIterable
        elif flat:
            clone._iterable_class = FlatValuesListIterable
        else:
            clone._iterable_class = ValuesListIterable
        return clone

    def _combinator_query(
        self, combinator: str, *other_qs: QuerySet, all: bool = False
    ) -> QuerySet:
        clone = self._chain()
        clone.query.clear_ordering(force=True)
        clone.query.clear_limits()
        clone.query.combined_queries = (
            self.query,
            *(qs.query for qs in other_qs),
        )
        clone.query.combinator = combinator
        clone.query.combinator_all = all
        clone.query.where = []
        members = [q.is_empty for q in clone.query.combined_queries]
        if (
            (combinator == "union" and False not in members)
            or (combinator == "intersection" and True in members)
            or (combinator == "difference" and members[0])
        ):
            clone.query.set_empty()
        return clone

    def union(self, *other_qs: QuerySet, all: bool = False) -> QuerySet:
        """Return rows of this query and the others (SQL UNION)."""
        if isinstance(self, EmptyQuerySet):
            qs = [q for q in other_qs if not isinstance(q, EmptyQuerySet)]
            if not qs:
                return self
            if len(qs) == 1:
                return qs[0]
            return qs[0]._combinator_query("union", *qs[1:], all=all)
        return self._combinator_query("union", *other_qs, all=all)

    def intersection(self, *other_qs: QuerySet) -> QuerySet:
        """Return rows common to all queries (SQL INTERSECT)."""
        if isinstance(self, EmptyQuerySet):
            return self
        for other in other_qs:
            if isinstance(other, EmptyQuerySet):
                return other
        return self._combinator_query("intersection", *other_qs)

    def difference(self, *other_qs: QuerySet) -> QuerySet:
        """Return rows of this query not in the others (SQL EXCEPT)."""
        if isinstance(self, EmptyQuerySet):
            return self
        return self._combinator_query("difference", *other_qs)

    def raw(
        self,
        raw_query: str,
        params: Any = (),
        translations: dict[str, str] | None = None,
        using: str | None = None,
    ) -> RawQuerySet:
        """Map the rows of a raw SQL query (``%s`` parameters) to instances."""
        return RawQuerySet(
            raw_query,
            model=self.model,
            params=params,
            translations=translations,
            using=using or self.db,
        )

    def dates(self, field_name: str, kind: str, order: str = "ASC") -> QuerySet:
        """Return distinct dates truncated to ``kind`` (year, month, week, day)."""
        from manouche.db.models.fields import DateField
        from manouche.db.models.functions import Trunc

        if kind not in ("year", "month", "week", "day"):
            raise ValueError("'kind' must be one of 'year', 'month', 'week', or 'day'.")
        if order not in ("ASC", "DESC"):
            raise ValueError("'order' must be either 'ASC' or 'DESC'.")
        self._check_temporal_field(field_name)
        return (
            self.annotate(
                datefield=Trunc(field_name, kind, output_field=DateField()),
                plain_field=F(field_name),
            )
            .values_list("datefield", flat=True)
            .distinct()
            .filter(plain_field__isnull=False)
            .order_by(("-" if order == "DESC" else "") + "datefield")
        )

    def _check_temporal_field(self, field_name: str) -> None:
        """Refuse dates()/datetimes() on a field that holds no date or time."""
        from manouche.db.models.fields import DateField, TimeField
        from manouche.db.models.sql.query import _check_first_name

        _check_first_name(self.query, field_name)
        field = self.query.field_for_path(field_name)
        if field is not None and not isinstance(field, (DateField, TimeField)):
            raise TypeError(
                f"{field.name!r} isn't a DateField, TimeField, or DateTimeField."
            )

    def datetimes(
        self, field_name: str, kind: str, order: str = "ASC", tzinfo: Any = None
    ) -> QuerySet:
        """Return distinct datetimes truncated to ``kind``."""
        from manouche.db.models.fields import DateTimeField
        from manouche.db.models.functions import Trunc

        if kind not in ("year", "month", "week", "day", "hour", "minute", "second"):
            raise ValueError(
                "'kind' must be one of 'year', 'month', 'week', 'day', 'hour', "
                "'minute', or 'second'."
            )
        if order not in ("ASC", "DESC"):
            raise ValueError("'order' must be either 'ASC' or 'DESC'.")
        self._check_temporal_field(field_name)
        return (
            self.annotate(
                datetimefield=Trunc(field_name, kind, output_field=DateTimeField()),
                plain_field=F(field_name),
            )
            .values_list("datetimefield", flat=True)
            .distinct()
            .filter(plain_field__isnull=False)
            .order_by(("-" if order == "DESC" else "") + "datetimefield")
        )


class InstanceCheckMeta(type):
    """Make isinstance(qs, EmptyQuerySet) true for none() querysets."""

    def __instancecheck__(cls, instance: Any) -> bool:
        return isinstance(instance, QuerySet) and instance.query.is_empty


class EmptyQuerySet(metaclass=InstanceCheckMeta):
    """Marker class: ``isinstance(qs.none(), EmptyQuerySet)`` is True."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("EmptyQuerySet can't be instantiated")


def _empty_class(cls: type) -> type:
    return cls
