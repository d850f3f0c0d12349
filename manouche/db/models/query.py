"""QuerySet: lazy, chainable queries with sync and async evaluation.

Every evaluating method is one *operation* (a generator yielding statements,
see ``_io``) run by a sync method (``get``) and its async twin (``aget``).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from typing import Any

import sqlalchemy as sa

from manouche.core.exceptions import FieldDoesNotExist, FieldError
from manouche.db import NotSupportedError, connections
from manouche.db.models._extra import apply_extra
from manouche.db.models._fast_get import NO_FAST_PATH, fast_get
from manouche.db.models._filtered_relation import (
    FilteredRelation,
    add_filtered_relation,
)
from manouche.db.models._io import Atomic, CallBlocking, Execute, Operation, arun, run
from manouche.db.models._iterables import (
    FlatValuesListIterable,
    ModelIterable,
    NamedValuesListIterable,
    ValuesIterable,
    ValuesListIterable,
)
from manouche.db.models._prefetch import (
    Prefetch,
    _prefetch_operation,
    aprefetch_related_objects,
    prefetch_related_objects,
)
from manouche.db.models._raw import RawQuerySet
from manouche.db.models.expressions import F
from manouche.db.models.query_utils import Q, check_alias, check_identifier
from manouche.db.models.sql._conditions import NO_ROWS, returns_no_rows
from manouche.db.models.sql._fast import fast_statement
from manouche.db.models.sql.compiler import SQLCompiler
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

MAX_GET_RESULTS = 21
REPR_OUTPUT_SIZE = 20


_EXPLAIN_OPTION_NAME = re.compile(r"[A-Za-z0-9_]+(?:-[A-Za-z0-9_]+)*")


def _connection(using: str) -> Any:
    return connections[using]


class QuerySet:
    """A lazy database lookup for a set of objects."""

    def __init__(
        self,
        model: Any = None,
        query: Query | None = None,
        using: str | None = None,
        hints: dict[str, Any] | None = None,
    ) -> None:
        self.model = model
        self._db = using
        self._hints = hints or {}
        self._query = query if query is not None else Query(model)
        self._result_cache: list[Any] | None = None
        self._sticky_filter = False
        self._for_write = False
        self._prefetch_related_lookups: tuple[Any, ...] = ()
        self._prefetch_done = False
        self._known_related_objects: dict[Any, dict[Any, Any]] = {}
        self._iterable_class: Any = ModelIterable
        self._fields: tuple[Any, ...] | None = None

    # Builds ``_query`` on first use: a prefetched related set only needs
    # its filtered Query if something asks for SQL (see _lazy_related.py).
    _query_factory: Callable[[], Query] | None = None

    @property
    def query(self) -> Query:
        """Return the underlying Query."""
        if self._query_factory is not None:
            factory = self._query_factory
            self._query_factory = None
            self._query = factory()
        return self._query

    @query.setter
    def query(self, value: Query) -> None:
        self._query_factory = None
        self._query = value

    @classmethod
    def as_manager(cls) -> Any:
        """Return a Manager exposing this QuerySet's methods."""
        from manouche.db.models.manager import Manager

        manager = Manager.from_queryset(cls)()
        manager._built_with_as_manager = True
        return manager

    as_manager.queryset_only = True  # type: ignore[attr-defined]

    def __class_getitem__(cls, *args: Any, **kwargs: Any) -> type:
        return cls

    def __deepcopy__(self, memo: dict[int, Any]) -> QuerySet:
        self.query  # noqa: B018 - builds a deferred Query before copying
        obj = self.__class__()
        for key, value in self.__dict__.items():
            if key == "_result_cache":
                obj.__dict__[key] = None
            else:
                import copy

                obj.__dict__[key] = copy.deepcopy(value, memo)
        return obj

    def __getstate__(self) -> dict[str, Any]:
        self._fetch_all()
        self.query  # noqa: B018 - builds a deferred Query before pickling
        return {**self.__dict__}

    def __repr__(self) -> str:
        data = list(self[: REPR_OUTPUT_SIZE + 1])
        if len(data) > REPR_OUTPUT_SIZE:
            data[-1] = "...(remaining elements truncated)..."
        return f"<{self.__class__.__name__} {data!r}>"

    def __len__(self) -> int:
        self._fetch_all()
        assert self._result_cache is not None
        return len(self._result_cache)

    def __iter__(self) -> Iterator[Any]:
        self._fetch_all()
        assert self._result_cache is not None
        return iter(self._result_cache)

    def __aiter__(self) -> AsyncIterator[Any]:
        async def generator() -> AsyncIterator[Any]:
            if self._result_cache is None:
                self._result_cache = await arun(self._fetch_operation())
            for item in self._result_cache:
                yield item

        return generator()

    def __bool__(self) -> bool:
        self._fetch_all()
        return bool(self._result_cache)

    def __getitem__(self, k: Any) -> Any:
        if not isinstance(k, (int, slice)):
            raise TypeError(
                f"QuerySet indices must be integers or slices, not {type(k).__name__}."
            )
        if (isinstance(k, int) and k < 0) or (
            isinstance(k, slice)
            and (
                (k.start is not None and k.start < 0)
                or (k.stop is not None and k.stop < 0)
            )
        ):
            raise ValueError("Negative indexing is not supported.")
        if self._result_cache is not None:
            return self._result_cache[k]
        if isinstance(k, slice):
            qs = self._chain()
            start = int(k.start) if k.start is not None else None
            stop = int(k.stop) if k.stop is not None else None
            qs.query.set_limits(start, stop)
            return list(qs)[:: k.step] if k.step else qs
        qs = self._chain()
        qs.query.set_limits(k, k + 1)
        qs._fetch_all()
        assert qs._result_cache is not None
        return qs._result_cache[0]

    def __and__(self, other: QuerySet) -> QuerySet:
        self._check_operator_queryset(other, "&")
        if isinstance(other, EmptyQuerySet):
            return other
        if isinstance(self, EmptyQuerySet):
            return self
        combined = self._chain()
        combined.query.where.extend(other.query.where)
        return combined

    def __or__(self, other: QuerySet) -> QuerySet:
        self._check_operator_queryset(other, "|")
        if isinstance(self, EmptyQuerySet):
            return other
        if isinstance(other, EmptyQuerySet):
            return self
        combined = self._chain()
        left = Q(*self.query.where) if self.query.where else Q()
        right = Q(*other.query.where) if other.query.where else Q()
        combined.query.where = [] if not (left and right) else [left | right]
        return combined

    def __xor__(self, other: QuerySet) -> QuerySet:
        self._check_operator_queryset(other, "^")
        combined = self._chain()
        left = Q(*self.query.where)
        right = Q(*other.query.where)
        combined.query.where = [left ^ right]
        return combined

    def _check_operator_queryset(self, other: Any, operator_: str) -> None:
        if self.query.combinator or getattr(other.query, "combinator", None):
            raise TypeError(f"Cannot use {operator_} operator with combined queryset.")
        if self.query.is_sliced or other.query.is_sliced:
            raise TypeError("Cannot combine queries once a slice has been taken.")

    # -- database -----------------------------------------------------------------
    @property
    def db(self) -> str:
        """Return the database alias this query will use."""
        from manouche.db import router

        if self._for_write:
            return self._db or router.db_for_write(self.model, **self._hints)
        return self._db or router.db_for_read(self.model, **self._hints)

    @property
    def ordered(self) -> bool:
        """Tell whether results come back in a defined order."""
        if isinstance(self, EmptyQuerySet):
            return True
        return self.query.has_ordering() and not (
            self.query.has_aggregate_annotation and not self.query.order_by
        )

    # -- cloning --------------------------------------------------------------------
    def _chain(self) -> QuerySet:
        obj = self._clone()
        if obj._sticky_filter:
            obj._sticky_filter = False
            obj.query.sticky_pending = True
        return obj

    def _next_is_sticky(self) -> QuerySet:
        """Make the next filter() and the one after it share their joins."""
        self._sticky_filter = True
        return self

    def _clone(self) -> QuerySet:
        clone = self.__class__(
            model=self.model,
            query=self.query.clone(),
            using=self._db,
            hints=self._hints,
        )
        clone._sticky_filter = self._sticky_filter
        clone._for_write = self._for_write
        clone._prefetch_related_lookups = self._prefetch_related_lookups[:]
        clone._known_related_objects = self._known_related_objects
        clone._iterable_class = self._iterable_class
        clone._fields = self._fields
        return clone

    def _fetch_all(self) -> None:
        if self._result_cache is None:
            self._result_cache = run(self._fetch_operation())

    # -- operations -------------------------------------------------------------------
    def _fetch_operation(self) -> Operation:
        query = self.query
        if query.is_empty:
            results: list[Any] = []
        else:
            using = self.db
            connection = _connection(using)
            fast = fast_statement(query, connection)
            if fast is not None:
                statement, parameters, compiler = fast
                result = yield Execute(using, statement, parameters)
            else:
                compiler = SQLCompiler(query, connection)
                statement = compiler.as_select()
                if returns_no_rows(compiler):
                    result = NO_ROWS
                else:
                    result = yield Execute(using, statement)
            results = self._iterable_class.build(self, compiler, result.rows, using)
        if (
            self._prefetch_related_lookups
            and not self._prefetch_done
            and self._iterable_class is ModelIterable
            and results
        ):
            yield from _prefetch_operation(results, self._prefetch_related_lookups)
            self._prefetch_done = True
        return results

    def _count_operation(self) -> Operation:
        if self._result_cache is not None:
            return len(self._result_cache)
        if self.query.is_empty:
            return 0
        using = self.db
        compiler = SQLCompiler(self.query, _connection(using))
        statement = compiler.as_count()
        if returns_no_rows(compiler):
            return 0
        result = yield Execute(using, statement)
        return int(result.rows[0][0])

    def _exists_operation(self) -> Operation:
        if self._result_cache is not None:
            return bool(self._result_cache)
        if self.query.is_empty:
            return False
        using = self.db
        compiler = SQLCompiler(self.query, _connection(using))
        statement = compiler.as_exists()
        if returns_no_rows(compiler):
            return False
        result = yield Execute(using, statement)
        return bool(result.rows)

    def _get_operation(self, *args: Any, **kwargs: Any) -> Operation:
        if self.query.combinator and (args or kwargs):
            combinator = self.query.combinator
            raise NotImplementedError(
                f"Calling QuerySet.get(...) with filters after {combinator}() "
                "is not supported."
            )
        if self.query.combinator:
            clone = self._chain()
        elif not args and self.query.can_filter():
            # One clone instead of filter() + order_by(): get() is hot.
            clone = self._chain()
            condition = Q(**kwargs)
            if condition:
                clone.query.add_q(condition)
            if not self.query.distinct_fields:
                clone.query.order_by = ()
                clone.query.default_ordering = False
        else:
            clone = self.filter(*args, **kwargs)
            if self.query.can_filter() and not self.query.distinct_fields:
                clone = clone.order_by()
        limit = None
        if (
            not clone.query.select_for_update
            or _connection(clone.db).features.supports_select_for_update_with_limit
        ):
            limit = MAX_GET_RESULTS
            clone.query.set_limits(high=limit)
        results = yield from clone._fetch_operation()
        count = len(results)
        if count == 1:
            return results[0]
        if not count:
            raise self.model.DoesNotExist(
                f"{self.model._meta.object_name} matching query does not exist."
            )
        shown = count if not limit or count < limit else f"more than {limit - 1}"
        raise self.model.MultipleObjectsReturned(
            f"get() returned more than one {self.model._meta.object_name} -- it "
            f"returned {shown}!"
        )

    def _create_operation(self, kwargs: dict[str, Any]) -> Operation:
        from manouche.db.models.base import Model

        obj = self.model(**kwargs)
        self._for_write = True
        using = self.db
        if type(obj).save is not Model.save:
            yield CallBlocking(lambda: obj.save(force_insert=True, using=using))
        else:
            yield from obj._save_operation(True, False, using, None)
        return obj

    def _get_or_create_operation(
        self, defaults: dict[str, Any] | None, kwargs: dict[str, Any]
    ) -> Operation:
        from manouche.db import IntegrityError

        self._for_write = True
        try:
            obj = yield from self._get_operation(**kwargs)
            return obj, False
        except self.model.DoesNotExist:
            params = self._extract_model_params(defaults, **kwargs)
            try:
                params = {k: v() if callable(v) else v for k, v in params.items()}
                obj = yield Atomic(self.db, self._create_operation(params))
                return obj, True
            except IntegrityError:
                try:
                    obj = yield from self._get_operation(**kwargs)
                    return obj, False
                except self.model.DoesNotExist:
                    pass
                raise

    def _update_or_create_operation(
        self,
        defaults: dict[str, Any] | None,
        create_defaults: dict[str, Any] | None,
        kwargs: dict[str, Any],
    ) -> Operation:
        def inner() -> Operation:
            obj, created = yield from self.select_for_update()._get_or_create_operation(
                create_defaults if create_defaults is not None else defaults, kwargs
            )
            if created:
                return obj, created
            values = {k: v() if callable(v) else v for k, v in (defaults or {}).items()}
            for key, value in values.items():
                setattr(obj, key, value)
            update_fields = set(values)
            concrete = obj._meta._non_pk_concrete_field_names
            if update_fields.issubset(concrete):
                for field in obj._meta.local_concrete_fields:
                    if field.pre_save is not None and getattr(field, "auto_now", False):
                        update_fields.add(field.name)
                yield from obj._save_operation(
                    False, False, self.db, update_fields or None
                )
            else:
                yield from obj._save_operation(False, False, self.db, None)
            return obj, False

        self._for_write = True
        result = yield Atomic(self.db, inner())
        return result

    def _extract_model_params(
        self, defaults: dict[str, Any] | None, **kwargs: Any
    ) -> dict[str, Any]:
        defaults = defaults or {}
        params = {k: v for k, v in kwargs.items() if "__" not in k}
        params.update(defaults)
        property_names = self.model._meta._property_names
        invalid = []
        for param in params:
            try:
                self.model._meta.get_field(param)
            except FieldDoesNotExist:
                if param not in property_names and not (param.endswith("_id")):
                    invalid.append(param)
        if invalid:
            names = "', '".join(sorted(invalid))
            raise FieldError(
                f"Invalid field name(s) for model {self.model._meta.object_name}: "
                f"'{names}'."
            )
        return params

    def _first_operation(self, last: bool = False) -> Operation:
        if self.ordered:
            queryset = self.reverse() if last else self
        else:
            self._check_ordering_first_last_queryset_aggregation(
                "last" if last else "first"
            )
            queryset = self.order_by("-pk" if last else "pk")
        queryset = queryset._chain()
        queryset.query.set_limits(high=1)
        results = yield from queryset._fetch_operation()
        return results[0] if results else None

    def _check_ordering_first_last_queryset_aggregation(self, method: str) -> None:
        if self.query.group_by is not None or (
            self.query.values_select is not None and self.query.has_aggregate_annotation
        ):
            raise TypeError(
                f"Cannot use QuerySet.{method}() on an unordered queryset performing "
                "aggregation. Add an ordering with order_by()."
            )

    def _earliest_operation(self, fields: tuple[Any, ...], latest: bool) -> Operation:
        if fields:
            order_by = fields
        else:
            order_by = self.model._meta.get_latest_by
            if order_by and not isinstance(order_by, (tuple, list)):
                order_by = (order_by,)
        if order_by is None or not order_by:
            raise ValueError(
                "earliest() and latest() require either fields as positional "
                "arguments or 'get_latest_by' in the model's Meta."
            )
        obj = self._chain()
        obj.query.set_limits(high=1)
        obj.query.clear_ordering(force=True)
        obj.query.add_ordering(*order_by)
        if latest:
            obj.query.standard_ordering = not obj.query.standard_ordering
        result = yield from obj._get_operation()
        return result

    def _aggregate_operation(
        self, args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> Operation:
        if self.query.distinct_fields:
            raise NotImplementedError("aggregate() + distinct(fields) not implemented.")
        aggregates = dict(kwargs)
        for arg in args:
            try:
                alias = arg.default_alias
            except (AttributeError, TypeError):
                raise TypeError("Complex aggregates require an alias")
            aggregates[alias] = arg
        for alias, aggregate in aggregates.items():
            check_alias(alias)
            if not getattr(aggregate, "contains_aggregate", False):
                raise TypeError(f"{aggregate!r} is not an aggregate expression")
        if self.query.is_empty:
            return {
                alias: getattr(aggregate, "empty_result_set_value", None)
                if getattr(aggregate, "default", None) is None
                else aggregate.default
                for alias, aggregate in aggregates.items()
            }
        using = self.db
        statement = SQLCompiler(self.query, _connection(using)).as_aggregate(aggregates)
        result = yield Execute(using, statement)
        row = result.rows[0] if result.rows else (None,) * len(aggregates)
        return dict(zip(aggregates, row, strict=True))

    def _update_values(self, kwargs: dict[str, Any]) -> list[tuple[Any, Any]]:
        values = []
        opts = self.model._meta
        for name, value in kwargs.items():
            field = opts.get_field(name)
            direct = (
                not (field.auto_created and not field.concrete) or not field.concrete
            )
            if not direct or field.many_to_many or not field.concrete:
                raise FieldError(
                    f"Cannot update model field {field!r} (only non-relations and "
                    "foreign keys permitted)."
                )
            if field.generated:
                raise FieldError(f"Cannot update the generated field {field!r}.")
            if field.is_relation and hasattr(value, "_meta"):
                value = getattr(value, field.target_field.attname)
            values.append((field, value))
        return values

    def _update_operation(self, kwargs: dict[str, Any]) -> Operation:
        if self.query.is_sliced:
            raise TypeError("Cannot update a query once a slice has been taken.")
        values = self._update_values(kwargs)
        self._for_write = True
        using = self.db
        if self.query.is_empty:
            return 0
        query = self.query.clone()
        query.annotations = {}
        query.clear_ordering(force=True)
        compiler = SQLCompiler(query, _connection(using))
        if SQLCompiler.update_tables(values) == 1:
            result = yield Execute(using, compiler.as_update(values)[0])
            rows = result.rowcount
        else:
            rows = yield Atomic(
                using, self._multi_table_update(compiler, values), savepoint=False
            )
        self._result_cache = None
        return rows

    def _multi_table_update(
        self, compiler: SQLCompiler, values: list[tuple[Any, Any]]
    ) -> Operation:
        using = self.db
        pk_query = self.query.values_pk_query()
        found = yield Execute(
            using, SQLCompiler(pk_query, compiler.connection).as_select()
        )
        pks = [row[0] for row in found.rows]
        if not pks:
            return 0
        counts = []
        for statement in compiler.as_update(values, pks):
            result = yield Execute(using, statement)
            counts.append(result.rowcount)
        return counts[-1] if counts else 0

    def _delete_operation(self) -> Operation:
        from manouche.db.models.deletion import Collector

        self._not_support_combined_queries("delete")
        if self.query.is_sliced:
            raise TypeError("Cannot use 'limit' or 'offset' with delete().")
        if self.query.distinct_fields:
            raise TypeError("Cannot call delete() after .distinct(*fields).")
        if self._fields is not None:
            raise TypeError("Cannot call delete() after .values() or .values_list()")
        del_query = self._chain()
        del_query._for_write = True
        del_query.query.select_for_update = False
        del_query.query.select_related = False
        del_query.query.clear_ordering(force=True)
        collector = Collector(using=del_query.db, origin=self)
        yield from collector.collect(del_query)
        result = yield from collector.delete()
        self._result_cache = None
        return result

    def _not_support_combined_queries(self, operation_name: str) -> None:
        if self.query.combinator:
            raise NotSupportedError(
                f"Calling QuerySet.{operation_name}() after "
                f"{self.query.combinator}() is not supported."
            )

    # -- evaluation (sync and async twins) ----------------------------------------
    def count(self) -> int:
        """Return the number of rows (len() of the cache if already fetched)."""
        return int(run(self._count_operation()))

    async def acount(self) -> int:
        """Return the number of rows (async)."""
        return int(await arun(self._count_operation()))

    def exists(self) -> bool:
        """Tell whether any row matches."""
        return bool(run(self._exists_operation()))

    async def aexists(self) -> bool:
        """Tell whether any row matches (async)."""
        return bool(await arun(self._exists_operation()))

    def contains(self, obj: Any) -> bool:
        """Tell whether ``obj`` is in the results."""
        return bool(run(self._contains_operation(obj)))

    async def acontains(self, obj: Any) -> bool:
        """Tell whether ``obj`` is in the results (async)."""
        return bool(await arun(self._contains_operation(obj)))

    def _contains_operation(self, obj: Any) -> Operation:
        self._not_support_combined_queries("contains")
        if self._fields is not None:
            raise TypeError(
                "Cannot call QuerySet.contains() after .values() or .values_list()."
            )
        try:
            if obj._meta.concrete_model != self.model._meta.concrete_model:
                return False
        except AttributeError:
            raise TypeError("'obj' must be a model instance.")
        if obj.pk is None:
            raise ValueError("QuerySet.contains() cannot be used on unsaved objects.")
        if self._result_cache is not None:
            return obj in self._result_cache
        result = yield from self.filter(pk=obj.pk)._exists_operation()
        return result

    def get(self, *args: Any, **kwargs: Any) -> Any:
        """Return the one object matching the filters."""
        found = fast_get(self, args, kwargs, MAX_GET_RESULTS)
        if found is not NO_FAST_PATH:
            return found
        return run(self._get_operation(*args, **kwargs))

    async def aget(self, *args: Any, **kwargs: Any) -> Any:
        """Return the one object matching the filters (async)."""
        return await arun(self._get_operation(*args, **kwargs))

    def create(self, **kwargs: Any) -> Any:
        """Create, save and return an object."""
        return run(self._create_operation(kwargs))

    async def acreate(self, **kwargs: Any) -> Any:
        """Create, save and return an object (async)."""
        return await arun(self._create_operation(kwargs))

    def get_or_create(
        self, defaults: dict[str, Any] | None = None, **kwargs: Any
    ) -> tuple[Any, bool]:
        """Return (object, created), creating it atomically when missing."""
        result: tuple[Any, bool] = run(self._get_or_create_operation(defaults, kwargs))
        return result

    async def aget_or_create(
        self, defaults: dict[str, Any] | None = None, **kwargs: Any
    ) -> tuple[Any, bool]:
        """Return (object, created) (async)."""
        result: tuple[Any, bool] = await arun(
            self._get_or_create_operation(defaults, kwargs)
        )
        return result

    def update_or_create(
        self,
        defaults: dict[str, Any] | None = None,
        create_defaults: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> tuple[Any, bool]:
        """Update the matching object with ``defaults`` or create it."""
        result: tuple[Any, bool] = run(
            self._update_or_create_operation(defaults, create_defaults, kwargs)
        )
        return result

    async def aupdate_or_create(
        self,
        defaults: dict[str, Any] | None = None,
        create_defaults: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> tuple[Any, bool]:
        """Update or create (async)."""
        result: tuple[Any, bool] = await arun(
            self._update_or_create_operation(defaults, create_defaults, kwargs)
        )
        return result

    def first(self) -> Any:
        """Return the first object (by ordering, else pk), or None."""
        return run(self._first_operation())

    async def afirst(self) -> Any:
        """Return the first object or None (async)."""
        return await arun(self._first_operation())

    def last(self) -> Any:
        """Return the last object, or None."""
        return run(self._first_operation(last=True))

    async def alast(self) -> Any:
        """Return the last object or None (async)."""
        return await arun(self._first_operation(last=True))

    def earliest(self, *fields: Any) -> Any:
        """Return the earliest object by ``fields`` or Meta.get_latest_by."""
        return run(self._earliest_operation(fields, latest=False))

    async def aearliest(self, *fields: Any) -> Any:
        """Return the earliest object (async)."""
        return await arun(self._earliest_operation(fields, latest=False))

    def latest(self, *fields: Any) -> Any:
        """Return the latest object by ``fields`` or Meta.get_latest_by."""
        return run(self._earliest_operation(fields, latest=True))

    async def alatest(self, *fields: Any) -> Any:
        """Return the latest object (async)."""
        return await arun(self._earliest_operation(fields, latest=True))

    def aggregate(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """Return a dict of aggregate values over the rows."""
        result: dict[str, Any] = run(self._aggregate_operation(args, kwargs))
        return result

    async def aaggregate(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """Return aggregate values (async)."""
        result: dict[str, Any] = await arun(self._aggregate_operation(args, kwargs))
        return result

    def update(self, **kwargs: Any) -> int:
        """Update every matching row; return the number of rows matched."""
        self._not_support_combined_queries("update")
        return int(run(self._update_operation(kwargs)))

    update.alters_data = True  # type: ignore[attr-defined]

    async def aupdate(self, **kwargs: Any) -> int:
        """Update matching rows (async)."""
        self._not_support_combined_queries("update")
        return int(await arun(self._update_operation(kwargs)))

    aupdate.alters_data = True  # type: ignore[attr-defined]

    def delete(self) -> tuple[int, dict[str, int]]:
        """Delete matching rows and their cascades; return the counts."""
        result: tuple[int, dict[str, int]] = run(self._delete_operation())
        return result

    delete.alters_data = True  # type: ignore[attr-defined]
    delete.queryset_only = True  # type: ignore[attr-defined]

    async def adelete(self) -> tuple[int, dict[str, int]]:
        """Delete matching rows (async)."""
        result: tuple[int, dict[str, int]] = await arun(self._delete_operation())
        return result

    adelete.alters_data = True  # type: ignore[attr-defined]
    adelete.queryset_only = True  # type: ignore[attr-defined]

    def in_bulk(
        self, id_list: Sequence[Any] | None = None, *, field_name: str = "pk"
    ) -> dict[Any, Any]:
        """Return {value: object} for the given key values (all when None)."""
        result: dict[Any, Any] = run(self._in_bulk_operation(id_list, field_name))
        return result

    async def ain_bulk(
        self, id_list: Sequence[Any] | None = None, *, field_name: str = "pk"
    ) -> dict[Any, Any]:
        """Return {value: object} (async)."""
        result: dict[Any, Any] = await arun(
            self._in_bulk_operation(id_list, field_name)
        )
        return result

    def _in_bulk_operation(self, id_list: Any, field_name: str) -> Operation:
        if self.query.is_sliced:
            raise TypeError("Cannot use 'limit' or 'offset' with in_bulk().")
        opts = self.model._meta
        unique_fields = (
            [
                constraint.fields[0]
                for constraint in opts.total_unique_constraints
                if len(constraint.fields) == 1
            ]
            if hasattr(opts, "total_unique_constraints")
            else []
        )
        if field_name != "pk":
            field = opts.get_field(field_name)
            if not field.unique and field_name not in unique_fields:
                raise ValueError(
                    f"in_bulk()'s field_name must be a unique field but "
                    f"{field_name!r} isn't."
                )
            attname = field.attname
        else:
            attname = opts.pk.attname
        if id_list is not None:
            id_list = list(id_list)
            if not id_list:
                return {}
            batch = 999 if _connection(self.db).vendor == "sqlite" else len(id_list)
            objects: list[Any] = []
            for start in range(0, len(id_list), batch):
                chunk = id_list[start : start + batch]
                found = (
                    yield from self.filter(**{f"{field_name}__in": chunk})
                    .order_by()
                    ._fetch_operation()
                )
                objects.extend(found)
        else:
            objects = yield from self._chain()._fetch_operation()
        return {getattr(obj, attname): obj for obj in objects}

    def iterator(self, chunk_size: int | None = None) -> Iterator[Any]:
        """Stream results in chunks without filling the result cache."""
        if chunk_size is None:
            chunk_size = 2000
        elif chunk_size <= 0:
            raise ValueError("Chunk size must be strictly positive.")
        from manouche.db.models._io import SYNC_IN_ASYNC_MESSAGE, in_async_context

        if in_async_context():
            from manouche.core.exceptions import SynchronousOnlyOperation

            raise SynchronousOnlyOperation(SYNC_IN_ASYNC_MESSAGE)
        if self.query.is_empty:
            return
        using = self.db
        connection = _connection(using)
        compiler = SQLCompiler(self.query, connection)
        statement = compiler.as_select()
        chunk: list[Any] = []
        for row in connection.iterate(statement, chunk_size):
            chunk.append(row)
            if len(chunk) >= chunk_size:
                yield from self._finish_chunk(compiler, chunk)
                chunk = []
        if chunk:
            yield from self._finish_chunk(compiler, chunk)

    def _finish_chunk(self, compiler: SQLCompiler, rows: list[Any]) -> list[Any]:
        results = self._iterable_class.build(self, compiler, rows, self.db)
        if self._prefetch_related_lookups and self._iterable_class is ModelIterable:
            run(_prefetch_operation(results, self._prefetch_related_lookups))
        return results  # type: ignore[no-any-return]

    async def aiterator(self, chunk_size: int = 2000) -> AsyncIterator[Any]:
        """Stream results asynchronously in chunks."""
        if chunk_size <= 0:
            raise ValueError("Chunk size must be strictly positive.")
        if self.query.is_empty:
            return
        using = self.db
        connection = _connection(using)
        compiler = SQLCompiler(self.query, connection)
        statement = compiler.as_select()
        chunk: list[Any] = []
        async for row in connection.aiterate(statement, chunk_size):
            chunk.append(row)
            if len(chunk) >= chunk_size:
                for item in await self._afinish_chunk(compiler, chunk):
                    yield item
                chunk = []
        if chunk:
            for item in await self._afinish_chunk(compiler, chunk):
                yield item

    async def _afinish_chunk(self, compiler: SQLCompiler, rows: list[Any]) -> list[Any]:
        results = self._iterable_class.build(self, compiler, rows, self.db)
        if self._prefetch_related_lookups and self._iterable_class is ModelIterable:
            await arun(_prefetch_operation(results, self._prefetch_related_lookups))
        return results  # type: ignore[no-any-return]

    def explain(self, *, format: str | None = None, **options: Any) -> str:
        """Return the database's plan for the query."""
        return str(run(self._explain_operation(format, options)))

    async def aexplain(self, *, format: str | None = None, **options: Any) -> str:
        """Return the plan (async)."""
        return str(await arun(self._explain_operation(format, options)))

    def _explain_operation(
        self, format_: str | None, options: dict[str, Any]
    ) -> Operation:
        for name in options:
            # Option names are written into the SQL: allow plain words only.
            if not _EXPLAIN_OPTION_NAME.fullmatch(name):
                raise ValueError(f"Invalid option name: {name!r}.")
        using = self.db
        connection = _connection(using)
        statement = SQLCompiler(self.query, connection).as_select()
        compiled = str(
            statement.compile(
                dialect=connection.dialect, compile_kwargs={"literal_binds": True}
            )
        )
        prefix = connection.ops.explain_query_prefix(format_, **options) + " "
        text = sa.text(prefix + compiled.replace(":", "\\:"))
        result = yield Execute(using, text)
        return "\n".join(" ".join(str(col) for col in row) for row in result.rows)

    # -- bulk operations ---------------------------------------------------------------
    def bulk_create(
        self,
        objs: Sequence[Any],
        batch_size: int | None = None,
        ignore_conflicts: bool = False,
        update_conflicts: bool = False,
        update_fields: Sequence[str] | None = None,
        unique_fields: Sequence[str] | None = None,
    ) -> list[Any]:
        """Insert objects in few statements; set their pks when possible."""
        from manouche.db.models._bulk import bulk_create_operation

        result: list[Any] = run(
            bulk_create_operation(
                self,
                objs,
                batch_size,
                ignore_conflicts,
                update_conflicts,
                update_fields,
                unique_fields,
            )
        )
        return result

    async def abulk_create(
        self,
        objs: Sequence[Any],
        batch_size: int | None = None,
        ignore_conflicts: bool = False,
        update_conflicts: bool = False,
        update_fields: Sequence[str] | None = None,
        unique_fields: Sequence[str] | None = None,
    ) -> list[Any]:
        """Insert objects in few statements (async)."""
        from manouche.db.models._bulk import bulk_create_operation

        result: list[Any] = await arun(
            bulk_create_operation(
                self,
                objs,
                batch_size,
                ignore_conflicts,
                update_conflicts,
                update_fields,
                unique_fields,
            )
        )
        return result

    def bulk_update(
        self, objs: Sequence[Any], fields: Sequence[str], batch_size: int | None = None
    ) -> int:
        """Update ``fields`` of many objects in few statements."""
        from manouche.db.models._bulk import bulk_update_operation

        return int(run(bulk_update_operation(self, objs, fields, batch_size)))

    async def abulk_update(
        self, objs: Sequence[Any], fields: Sequence[str], batch_size: int | None = None
    ) -> int:
        """Update many objects (async)."""
        from manouche.db.models._bulk import bulk_update_operation

        return int(await arun(bulk_update_operation(self, objs, fields, batch_size)))

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
        clone = self._chain()
        for arg in args:
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
                add_filtered_relation(clone.query, alias, annotation)
                continue
            if isinstance(annotation, Q):
                from manouche.db.models.expressions import ExpressionWrapper
                from manouche.db.models.fields import BooleanField

                annotation = ExpressionWrapper(annotation, output_field=BooleanField())
            elif isinstance(annotation, str):
                annotation = F(annotation)
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
        clone._fields = fields + tuple(expressions)
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
