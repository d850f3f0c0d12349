"""Descriptors for relation access (``book.author``, ``author.book_set``...).

Forward access caches the related object on the instance. In async code a
lazy load is refused with SynchronousOnlyOperation: use select_related(),
prefetch_related() or an async query instead of blocking the event loop.
"""

from __future__ import annotations

import functools
import operator
import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from manouche.core.exceptions import SynchronousOnlyOperation
from manouche.db.models import signals
from manouche.db.models._io import (
    Atomic,
    Execute,
    Operation,
    SendSignal,
    arun,
    in_async_context,
    run,
)
from manouche.db.models.fields._manager_cache import cached_related_manager
from manouche.db.models.fields._prefetched_set import prefetched_reverse_set
from manouche.db.models.query_utils import DeferredAttribute
from manouche.utils.deprecation import RemovedInDjango60Warning

if TYPE_CHECKING:
    from manouche.db.models.manager import Manager as _ManagerBase
else:
    _ManagerBase = object

__all__ = [
    "ForeignKeyDeferredAttribute",
    "ForwardManyToOneDescriptor",
    "ForwardOneToOneDescriptor",
    "ManyToManyDescriptor",
    "ReverseManyToOneDescriptor",
    "ReverseOneToOneDescriptor",
]


def _on_instances_db(queryset: Any, instances: list[Any]) -> Any:
    """Read prefetched rows from the instances' database unless told otherwise."""
    return queryset.using(queryset._db or instances[0]._state.db)


def _lazy_load_refused(model: Any, name: str) -> SynchronousOnlyOperation:
    return SynchronousOnlyOperation(
        f"Accessing '{model.__name__}.{name}' would run a database query, which "
        "cannot block the event loop. Load it ahead with "
        f"select_related('{name}') or prefetch_related('{name}'), or query it "
        "asynchronously (e.g. await Model.objects.aget(...))."
    )


def _one_queryset(querysets: Sequence[Any] | None) -> Any:
    """The single queryset get_prefetch_querysets() accepts, or None."""
    if querysets is None:
        return None
    if len(querysets) != 1:
        raise ValueError(
            "querysets argument of get_prefetch_querysets() should have a length of 1."
        )
    return querysets[0]


def _reverse_prefetch(
    queryset: Any, field: Any, instances: Any, single: bool, cache_name: str
) -> tuple[Any, ...]:
    """Prefetch the rows whose ``field`` points at ``instances`` (reverse FK/O2O)."""
    target = field.target_field.attname
    keys = [getattr(obj, target) for obj in instances]
    return (
        queryset.filter(**{f"{field.attname}__in": keys}),
        operator.attrgetter(field.attname),
        operator.attrgetter(target),
        single,
        cache_name,
        False,
    )


def _deprecated_prefetch_queryset(
    owner: Any, instances: Any, queryset: Any
) -> tuple[Any, ...]:
    warnings.warn(
        "get_prefetch_queryset() is deprecated. Use get_prefetch_querysets() instead.",
        RemovedInDjango60Warning,
        stacklevel=3,
    )
    querysets = None if queryset is None else [queryset]
    result: tuple[Any, ...] = owner.get_prefetch_querysets(instances, querysets)
    return result


class ForeignKeyDeferredAttribute(DeferredAttribute):
    """``book.author_id``: setting it forgets a cached ``book.author``."""

    def __set__(self, instance: Any, value: Any) -> None:
        data = instance.__dict__
        attname = self.field.attname
        if data.get(attname, _MISSING) != value:
            cache = instance._state.fields_cache
            if self.field.name in cache:
                cached = cache[self.field.name]
                if (
                    cached is None
                    or getattr(cached, self.field.target_field.attname, _MISSING)
                    != value
                ):
                    del cache[self.field.name]
        data[attname] = value


_MISSING = object()


class RelatedObjectDoesNotExistMixin:
    """Mixin for the per-relation RelatedObjectDoesNotExist exceptions."""


class ForwardManyToOneDescriptor:
    """``book.author``: the related object, fetched once and cached."""

    def __init__(self, field_with_rel: Any) -> None:
        self.field = field_with_rel

    @functools.cached_property
    def RelatedObjectDoesNotExist(self) -> type:
        """Return the exception raised when the related object is missing."""
        related = self.field.remote_field.model
        return type(
            "RelatedObjectDoesNotExist",
            (related.DoesNotExist, AttributeError),
            {
                "__module__": self.field.model.__module__,
                "__qualname__": f"{self.field.model.__qualname__}."
                f"{self.field.name}.RelatedObjectDoesNotExist",
            },
        )

    def is_cached(self, instance: Any) -> bool:
        """Tell whether the related object is cached."""
        return self.field.name in instance._state.fields_cache

    def get_queryset(self, **hints: Any) -> Any:
        """Return the queryset used to fetch the related object."""
        return self.field.remote_field.model._base_manager.db_manager(hints=hints).all()

    def get_object_operation(self, instance: Any) -> Operation:
        """Fetch the related object (an operation)."""
        target = self.field.target_field
        value = getattr(instance, self.field.attname)
        queryset = self.get_queryset(instance=instance)
        if instance._state.db:
            queryset = queryset.using(instance._state.db)
        result = yield from queryset._get_operation(**{target.attname: value})
        return result

    def __get__(self, instance: Any, cls: Any = None) -> Any:
        if instance is None:
            return self
        cache = instance._state.fields_cache
        name = self.field.name
        try:
            return cache[name]
        except KeyError:
            pass
        value = getattr(instance, self.field.attname)
        related = None
        if value is not None:
            if in_async_context():
                raise _lazy_load_refused(type(instance), name)
            try:
                related = run(self.get_object_operation(instance))
            except self.field.remote_field.model.DoesNotExist:
                related = None
            if related is not None and self.field.one_to_one:
                remote = self.field.remote_field
                related._state.fields_cache[remote.get_cache_name()] = instance
        cache[name] = related
        if related is None and not self.field.null:
            raise self.RelatedObjectDoesNotExist(
                f"{self.field.model.__name__} has no {self.field.name}."
            )
        return related

    def __set__(self, instance: Any, value: Any) -> None:
        remote_model = self.field.remote_field.model
        if value is not None and not isinstance(
            value, remote_model._meta.concrete_model
        ):
            raise ValueError(
                f'Cannot assign "{value!r}": "{instance._meta.object_name}.'
                f'{self.field.name}" must be a "{remote_model._meta.object_name}" '
                "instance."
            )
        cache = instance._state.fields_cache
        if value is None:
            previous = cache.get(self.field.name)
            if previous is not None and self.field.one_to_one:
                previous._state.fields_cache.pop(
                    self.field.remote_field.get_cache_name(), None
                )
            instance.__dict__[self.field.attname] = None
        else:
            instance.__dict__[self.field.attname] = getattr(
                value, self.field.target_field.attname
            )
        cache[self.field.name] = value
        if value is not None and self.field.one_to_one:
            value._state.fields_cache[self.field.remote_field.get_cache_name()] = (
                instance
            )

    def get_prefetch_querysets(
        self, instances: Any, querysets: Sequence[Any] | None = None
    ) -> tuple[Any, ...]:
        """Django's prefetch protocol: the query and how to match its rows."""
        queryset = _one_queryset(querysets)
        if queryset is None:
            queryset = self.get_queryset()
        field = self.field
        target = field.target_field.attname
        values = {getattr(obj, field.attname) for obj in instances} - {None}
        queryset = queryset.filter(**{f"{target}__in": list(values)})
        return (
            queryset,
            operator.attrgetter(target),
            operator.attrgetter(field.attname),
            True,
            field.name,
            False,
        )

    def get_prefetch_queryset(
        self, instances: Any, queryset: Any = None
    ) -> tuple[Any, ...]:
        """Deprecated single-queryset form of get_prefetch_querysets()."""
        return _deprecated_prefetch_queryset(self, instances, queryset)

    def get_prefetch_operation(
        self, instances: list[Any], queryset: Any, to_attr: str | None
    ) -> Operation:
        """Fetch the related objects of many instances in one query."""
        field = self.field
        target = field.target_field
        if queryset is None:
            queryset = self.get_queryset()
        queryset = _on_instances_db(queryset, instances)
        values = {getattr(obj, field.attname) for obj in instances} - {None}
        related: list[Any] = []
        if values:
            related = yield from queryset.filter(
                **{f"{target.attname}__in": list(values)}
            )._fetch_operation()
        by_key = {getattr(obj, target.attname): obj for obj in related}
        for obj in instances:
            found = by_key.get(getattr(obj, field.attname))
            if to_attr:
                setattr(obj, to_attr, found)
            else:
                obj._state.fields_cache[field.name] = found
            if found is not None and field.one_to_one:
                found._state.fields_cache[field.remote_field.get_cache_name()] = obj
        return related


class ForwardOneToOneDescriptor(ForwardManyToOneDescriptor):
    """``restaurant.place``; for parent links, built from the child's own row."""

    def __get__(self, instance: Any, cls: Any = None) -> Any:
        if instance is None:
            return self
        name = self.field.name
        if (
            name not in instance._state.fields_cache
            and self.field.remote_field.parent_link
        ):
            parent = self.field.remote_field.model
            data = instance.__dict__
            attnames = [f.attname for f in parent._meta.concrete_fields]
            if all(attname in data for attname in attnames):
                obj = parent.from_db(
                    instance._state.db, attnames, [data[a] for a in attnames]
                )
                instance._state.fields_cache[name] = obj
                return obj
        return super().__get__(instance, cls)


class ReverseOneToOneDescriptor:
    """``place.restaurant``: the object whose one-to-one points here."""

    def __init__(self, related: Any) -> None:
        self.related = related

    @functools.cached_property
    def RelatedObjectDoesNotExist(self) -> type:
        """Return the exception raised when there is no related object."""
        return type(
            "RelatedObjectDoesNotExist",
            (self.related.related_model.DoesNotExist, AttributeError),
            {
                "__module__": self.related.model.__module__,
                "__qualname__": f"{self.related.model.__qualname__}."
                f"{self.related.name}.RelatedObjectDoesNotExist",
            },
        )

    def is_cached(self, instance: Any) -> bool:
        """Tell whether the related object is cached."""
        return self.related.get_cache_name() in instance._state.fields_cache

    def get_queryset(self, **hints: Any) -> Any:
        """Return the queryset used for the lookup."""
        return self.related.related_model._base_manager.db_manager(hints=hints).all()

    def __get__(self, instance: Any, cls: Any = None) -> Any:
        if instance is None:
            return self
        cache = instance._state.fields_cache
        key = self.related.get_cache_name()
        if key in cache:
            related = cache[key]
        else:
            if instance.pk is None:
                related = None
            else:
                if in_async_context():
                    raise _lazy_load_refused(
                        type(instance), self.related.get_accessor_name()
                    )
                field = self.related.field
                queryset = self.get_queryset(instance=instance)
                try:
                    related = queryset.get(
                        **{field.attname: getattr(instance, field.target_field.attname)}
                    )
                except self.related.related_model.DoesNotExist:
                    related = None
                if related is not None:
                    related._state.fields_cache[field.name] = instance
            cache[key] = related
        if related is None:
            raise self.RelatedObjectDoesNotExist(
                f"{type(instance).__name__} has no {self.related.get_accessor_name()}."
            )
        return related

    def __set__(self, instance: Any, value: Any) -> None:
        key = self.related.get_cache_name()
        if value is None:
            previous = instance._state.fields_cache.get(key)
            if previous is not None:
                setattr(previous, self.related.field.attname, None)
                previous._state.fields_cache.pop(self.related.field.name, None)
            instance._state.fields_cache[key] = None
            return
        if not isinstance(value, self.related.related_model):
            raise ValueError(
                f'Cannot assign "{value!r}": "{instance._meta.object_name}.'
                f'{self.related.get_accessor_name()}" must be a '
                f'"{self.related.related_model._meta.object_name}" instance.'
            )
        field = self.related.field
        setattr(value, field.attname, getattr(instance, field.target_field.attname))
        instance._state.fields_cache[key] = value
        value._state.fields_cache[field.name] = instance

    def get_prefetch_querysets(
        self, instances: Any, querysets: Sequence[Any] | None = None
    ) -> tuple[Any, ...]:
        """Django's prefetch protocol: the query and how to match its rows."""
        queryset = _one_queryset(querysets)
        if queryset is None:
            queryset = self.get_queryset()
        return _reverse_prefetch(
            queryset, self.related.field, instances, True, self.related.get_cache_name()
        )

    def get_prefetch_queryset(
        self, instances: Any, queryset: Any = None
    ) -> tuple[Any, ...]:
        """Deprecated single-queryset form of get_prefetch_querysets()."""
        return _deprecated_prefetch_queryset(self, instances, queryset)

    def get_prefetch_operation(
        self, instances: list[Any], queryset: Any, to_attr: str | None
    ) -> Operation:
        """Fetch the reverse objects of many instances in one query."""
        field = self.related.field
        if queryset is None:
            queryset = self.get_queryset()
        queryset = _on_instances_db(queryset, instances)
        keys = [getattr(obj, field.target_field.attname) for obj in instances]
        related = yield from queryset.filter(
            **{f"{field.attname}__in": keys}
        )._fetch_operation()
        by_key = {getattr(obj, field.attname): obj for obj in related}
        cache_name = self.related.get_cache_name()
        for obj in instances:
            found = by_key.get(getattr(obj, field.target_field.attname))
            if to_attr:
                setattr(obj, to_attr, found)
            else:
                obj._state.fields_cache[cache_name] = found
            if found is not None:
                found._state.fields_cache[field.name] = obj
        return related


class ReverseManyToOneDescriptor:
    """``author.book_set``: a manager of the objects pointing here."""

    def __init__(self, rel: Any) -> None:
        self.rel = rel
        self.field = rel.field

    def __get__(self, instance: Any, cls: Any = None) -> Any:
        if instance is None:
            return self
        return cached_related_manager(
            instance,
            self.rel.get_accessor_name(),
            lambda: create_reverse_many_to_one_manager(
                self.rel.related_model._default_manager.__class__, self.rel
            ),
        )

    def __set__(self, instance: Any, value: Any) -> None:
        raise TypeError(
            "Direct assignment to the reverse side of a related set is prohibited. "
            f"Use {self.rel.get_accessor_name()}.set() instead."
        )

    def get_prefetch_operation(
        self, instances: list[Any], queryset: Any, to_attr: str | None
    ) -> Operation:
        """Fetch the related sets of many instances in one query."""
        field = self.field
        if queryset is None:
            queryset = self.rel.related_model._default_manager.all()
        queryset = _on_instances_db(queryset, instances)
        target, attname, name = field.target_field.attname, field.attname, field.name
        keys = [getattr(obj, target) for obj in instances]
        related = yield from queryset.filter(**{f"{name}__in": keys})._fetch_operation()
        by_key = dict(zip(keys, instances, strict=True))
        grouped: dict[Any, list[Any]] = {}
        for obj in related:
            key = getattr(obj, attname)
            grouped.setdefault(key, []).append(obj)
            owner = by_key.get(key)
            if owner is not None:
                obj._state.fields_cache[name] = owner
        cache_name = self.rel.get_accessor_name()
        for obj, key in zip(instances, keys, strict=True):
            items = grouped.get(key, [])
            if to_attr:
                setattr(obj, to_attr, items)
                continue
            manager = getattr(obj, cache_name)
            # The model manager's get_queryset, which the related one filters.
            base = super(_ReverseManyToOneManager, manager).get_queryset  # type: ignore[misc]
            cache = obj.__dict__.setdefault("_prefetched_objects_cache", {})
            cache[cache_name] = prefetched_reverse_set(manager, base, items)
        return related


def _store_prefetched(
    obj: Any, cache_name: str, to_attr: str | None, items: list[Any], manager: Any
) -> None:
    if to_attr:
        setattr(obj, to_attr, items)
        return
    queryset = manager.get_queryset()
    queryset._result_cache = items
    queryset._prefetch_done = True
    if not hasattr(obj, "_prefetched_objects_cache"):
        obj._prefetched_objects_cache = {}
    obj._prefetched_objects_cache[cache_name] = queryset


class _ReverseManyToOneManager(_ManagerBase):
    """Methods of ``author.book_set`` (mixed into the model's manager class)."""

    rel: Any
    instance: Any
    model: Any
    field: Any
    _db: str | None

    def __init__(self, instance: Any) -> None:
        super().__init__()
        self.instance = instance
        self.model = self.rel.related_model
        self.field = self.rel.field
        self.core_filters = {self.field.name: instance}

    def __call__(self, *, manager: str) -> Any:
        manager_obj = getattr(self.model, manager)
        klass = create_reverse_many_to_one_manager(manager_obj.__class__, self.rel)
        return klass(self.instance)

    def get_prefetch_querysets(
        self, instances: Any, querysets: Sequence[Any] | None = None
    ) -> tuple[Any, ...]:
        """Django's prefetch protocol: the query and how to match its rows."""
        queryset = _one_queryset(querysets)
        if queryset is None:
            queryset = super().get_queryset()
        return _reverse_prefetch(
            queryset, self.field, instances, False, self.rel.get_accessor_name()
        )

    def get_prefetch_queryset(
        self, instances: Any, queryset: Any = None
    ) -> tuple[Any, ...]:
        """Deprecated single-queryset form of get_prefetch_querysets()."""
        return _deprecated_prefetch_queryset(self, instances, queryset)

    def _check_fk_val(self) -> None:
        for field in self.field.foreign_related_fields:
            if getattr(self.instance, field.attname) is None:
                raise ValueError(
                    f'"{self.instance!r}" needs to have a value for field '
                    f'"{field.attname}" before this relationship can be used.'
                )

    def _apply_rel_filters(self, queryset: Any) -> Any:
        db = self._db or self.instance._state.db
        queryset._hints = {"instance": self.instance}
        if db:
            queryset = queryset.using(db)
        queryset._defer_next_filter = True
        value = getattr(self.instance, self.field.target_field.attname)
        if value is None:
            return queryset.none()
        # The column holding the key: the field's own, or a ForeignObject's
        # from_field.
        key_attname = self.field.local_related_fields[0].attname
        queryset = queryset.filter(**{key_attname: value})
        if self.field.concrete:
            queryset._known_related_objects = {self.field: {value: self.instance}}
        return queryset

    def get_queryset(self) -> Any:
        if self.instance.pk is None:
            raise ValueError(
                f"{self.instance.__class__.__name__!r} instance needs to have a "
                "primary key value before this relationship can be used."
            )
        cache = getattr(self.instance, "_prefetched_objects_cache", {})
        key = self.rel.get_accessor_name()
        if key in cache:
            return cache[key]
        return self._apply_rel_filters(super().get_queryset())

    def _remove_prefetched_objects(self) -> None:
        cache = getattr(self.instance, "_prefetched_objects_cache", None)
        if cache:
            cache.pop(self.rel.get_accessor_name(), None)

    def _add_operation(self, objs: tuple[Any, ...], bulk: bool) -> Operation:
        self._check_fk_val()
        self._remove_prefetched_objects()
        db = self._db or self.instance._state.db or "default"
        value = getattr(self.instance, self.field.target_field.attname)
        for obj in objs:
            if not isinstance(obj, self.model):
                raise TypeError(
                    f"'{self.model._meta.object_name}' instance expected, got {obj!r}"
                )
        if bulk:
            pks = []
            for obj in objs:
                if obj._state.adding or obj._state.db != db:
                    raise ValueError(
                        f"{obj!r} instance isn't saved. Use bulk=False or save "
                        "the object first."
                    )
                pks.append(obj.pk)
            yield from (
                self.model._base_manager.using(db)
                .filter(pk__in=pks)
                ._update_operation({self.field.name: self.instance})
            )
            for obj in objs:
                setattr(obj, self.field.attname, value)
                obj._state.fields_cache[self.field.name] = self.instance
        else:
            for obj in objs:
                setattr(obj, self.field.name, self.instance)
                yield from obj._save_operation(False, False, db, None)

    def add(self, *objs: Any, bulk: bool = True) -> None:
        """Point ``objs`` at this instance."""
        run(self._add_operation(objs, bulk))

    async def aadd(self, *objs: Any, bulk: bool = True) -> None:
        """Point ``objs`` at this instance (async)."""
        await arun(self._add_operation(objs, bulk))

    def _create_kwargs(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        self._check_fk_val()
        kwargs[self.field.name] = self.instance
        return kwargs

    def create(self, **kwargs: Any) -> Any:
        """Create an object pointing at this instance."""
        self._remove_prefetched_objects()
        db = self._db or self.instance._state.db
        return super(_ReverseManyToOneManager, self.db_manager(db)).create(
            **self._create_kwargs(kwargs)
        )

    async def acreate(self, **kwargs: Any) -> Any:
        """Create an object pointing at this instance (async)."""
        self._remove_prefetched_objects()
        db = self._db or self.instance._state.db
        return await super(_ReverseManyToOneManager, self.db_manager(db)).acreate(
            **self._create_kwargs(kwargs)
        )

    def get_or_create(self, **kwargs: Any) -> Any:
        """get_or_create() scoped to this relation."""
        db = self._db or self.instance._state.db
        return super(_ReverseManyToOneManager, self.db_manager(db)).get_or_create(
            **self._create_kwargs(kwargs)
        )

    async def aget_or_create(self, **kwargs: Any) -> Any:
        """get_or_create() scoped to this relation (async)."""
        db = self._db or self.instance._state.db
        return await super(
            _ReverseManyToOneManager, self.db_manager(db)
        ).aget_or_create(**self._create_kwargs(kwargs))

    def update_or_create(self, **kwargs: Any) -> Any:
        """update_or_create() scoped to this relation."""
        db = self._db or self.instance._state.db
        return super(_ReverseManyToOneManager, self.db_manager(db)).update_or_create(
            **self._create_kwargs(kwargs)
        )

    async def aupdate_or_create(self, **kwargs: Any) -> Any:
        """update_or_create() scoped to this relation (async)."""
        db = self._db or self.instance._state.db
        return await super(
            _ReverseManyToOneManager, self.db_manager(db)
        ).aupdate_or_create(**self._create_kwargs(kwargs))

    def _clear_operation(self, queryset: Any, bulk: bool) -> Operation:
        self._remove_prefetched_objects()
        db = self._db or self.instance._state.db or "default"
        queryset = queryset.using(db)
        if bulk:
            yield from queryset._update_operation({self.field.name: None})
        else:
            objs = yield from queryset._fetch_operation()
            for obj in objs:
                setattr(obj, self.field.name, None)
                yield from obj._save_operation(False, False, db, [self.field.name])

    def _set_operation(self, objs: Any, bulk: bool, clear: bool) -> Operation:
        self._check_fk_val()
        objs = tuple(objs)
        db = self._db or self.instance._state.db or "default"
        current = yield from self._apply_rel_filters(
            super().get_queryset()
        )._fetch_operation()
        if self.field.null:
            if clear:
                yield from self._clear_operation(
                    self._apply_rel_filters(super().get_queryset()), bulk
                )
                yield from self._add_operation(objs, bulk)
                return None
            wanted = set(objs)
            old = [obj for obj in current if obj not in wanted]
            new = [obj for obj in objs if obj not in set(current)]
            if old:
                yield from self._remove_operation(tuple(old), bulk)
            if new:
                yield from self._add_operation(tuple(new), bulk)
        else:
            new = [obj for obj in objs if obj not in set(current)]
            yield from self._add_operation(tuple(new), bulk)
        del db
        return None

    def set(self, objs: Any, *, bulk: bool = True, clear: bool = False) -> None:
        """Make ``objs`` the related set."""
        run(self._set_operation(objs, bulk, clear))

    async def aset(self, objs: Any, *, bulk: bool = True, clear: bool = False) -> None:
        """Make ``objs`` the related set (async)."""
        await arun(self._set_operation(objs, bulk, clear))

    def _remove_operation(self, objs: tuple[Any, ...], bulk: bool) -> Operation:
        if not objs:
            return None
        self._check_fk_val()
        value = getattr(self.instance, self.field.target_field.attname)
        pks = []
        for obj in objs:
            if not isinstance(obj, self.model):
                raise TypeError(
                    f"'{self.model._meta.object_name}' instance expected, got {obj!r}"
                )
            if getattr(obj, self.field.attname) != value:
                raise self.field.remote_field.model.DoesNotExist(
                    f"{obj!r} is not related to {self.instance!r}."
                )
            pks.append(obj.pk)
        yield from self._clear_operation(
            super().get_queryset().filter(pk__in=pks), bulk
        )
        for obj in objs:
            obj.__dict__[self.field.attname] = None
            obj._state.fields_cache[self.field.name] = None
        return None


class _NullableReverseManyToOneManager(_ReverseManyToOneManager):
    """remove() and clear(): only when the foreign key is nullable."""

    def remove(self, *objs: Any, bulk: bool = True) -> None:
        """Unlink ``objs`` (sets the key to NULL)."""
        run(self._remove_operation(objs, bulk))

    async def aremove(self, *objs: Any, bulk: bool = True) -> None:
        """Unlink ``objs`` (async)."""
        await arun(self._remove_operation(objs, bulk))

    def clear(self, *, bulk: bool = True) -> None:
        """Unlink every related object."""
        self._check_fk_val()
        run(
            self._clear_operation(self._apply_rel_filters(super().get_queryset()), bulk)
        )

    async def aclear(self, *, bulk: bool = True) -> None:
        """Unlink every related object (async)."""
        self._check_fk_val()
        await arun(
            self._clear_operation(self._apply_rel_filters(super().get_queryset()), bulk)
        )


@functools.cache
def create_reverse_many_to_one_manager(superclass: type, rel: Any) -> type:
    """Build the manager class behind ``author.book_set``."""
    mixin = (
        _NullableReverseManyToOneManager if rel.field.null else _ReverseManyToOneManager
    )
    return type("RelatedManager", (mixin, superclass), {"rel": rel})


class ManyToManyDescriptor:
    """``article.tags`` / ``tag.article_set``: a many-related manager."""

    def __init__(self, rel: Any, reverse: bool = False) -> None:
        self.rel = rel
        self.reverse = reverse
        self.field = rel.field

    @property
    def through(self) -> Any:
        """Return the join model."""
        return self.rel.through

    def __get__(self, instance: Any, cls: Any = None) -> Any:
        if instance is None:
            return self
        key = self.rel.get_accessor_name() if self.reverse else self.field.name
        model = self.rel.related_model if self.reverse else self.rel.model
        return cached_related_manager(
            instance,
            key,
            lambda: create_forward_many_to_many_manager(
                model._default_manager.__class__, self.rel, self.reverse
            ),
        )

    def __set__(self, instance: Any, value: Any) -> None:
        name = self.rel.get_accessor_name() if self.reverse else self.field.name
        raise TypeError(
            f"Direct assignment to the {'reverse' if self.reverse else 'forward'} "
            f"side of a many-to-many set is prohibited. Use {name}.set() instead."
        )

    def get_prefetch_operation(
        self, instances: list[Any], queryset: Any, to_attr: str | None
    ) -> Operation:
        """Fetch the related sets of many instances in one query."""
        manager = self.__get__(instances[0])
        if queryset is None:
            queryset = manager.model._default_manager.all()
        queryset = _on_instances_db(queryset, instances)
        query_name = manager.query_field_name
        keys = [obj.pk for obj in instances]
        filtered = queryset.filter(**{f"{query_name}__in": keys})
        # The owner's key is read through this filter's join.
        filtered.query.shared_where = len(filtered.query.where) - 1
        annotated = filtered.annotate(_prefetch_related_val=_PrefetchRef(query_name))
        related = yield from annotated._fetch_operation()
        grouped: dict[Any, list[Any]] = {}
        for obj in related:
            owner = obj.__dict__.pop("_prefetch_related_val")
            grouped.setdefault(owner, []).append(obj)
        cache_name = manager.prefetch_cache_name
        for obj in instances:
            items = grouped.get(obj.pk, [])
            _store_prefetched(obj, cache_name, to_attr, items, self.__get__(obj))
        return related


def _PrefetchRef(name: str) -> Any:
    from manouche.db.models.expressions import F

    return F(name)


class _ManyRelatedManager(_ManagerBase):
    """Methods of a many-to-many accessor (mixed into the manager class)."""

    rel: Any
    _reverse: bool
    instance: Any
    model: Any
    _db: str | None

    def __init__(self, instance: Any) -> None:
        super().__init__()
        self.instance = instance
        rel = self.rel
        field = rel.field
        self.through = rel.through
        if not self._reverse:
            self.model = rel.model
            self.query_field_name = field.related_query_name()
            self.prefetch_cache_name = field.name
            self.source_field_name = field.m2m_field_name()
            self.target_field_name = field.m2m_reverse_field_name()
            self.symmetrical = rel.symmetrical
        else:
            self.model = rel.related_model
            self.query_field_name = field.name
            self.prefetch_cache_name = field.related_query_name()
            self.source_field_name = field.m2m_reverse_field_name()
            self.target_field_name = field.m2m_field_name()
            self.symmetrical = False
        self.source_field = self.through._meta.get_field(self.source_field_name)
        self.target_field = self.through._meta.get_field(self.target_field_name)
        self.related_val = getattr(instance, self.source_field.target_field.attname)
        if self.related_val is None:
            raise ValueError(
                f'"{instance!r}" needs to have a value for field '
                f'"{self.source_field.target_field.attname}" before this '
                "many-to-many relationship can be used."
            )
        if self.query_field_name.isidentifier():
            self.core_filters = {self.query_field_name: self.related_val}
        else:
            # A hidden reverse name (symmetrical "self" relations): go
            # through the join table instead.
            links = self.through._base_manager.filter(
                **{self.source_field_name: self.related_val}
            ).values(self.target_field_name)
            self.core_filters = {"pk__in": links}
        self.reverse = self._reverse

    def __call__(self, *, manager: str) -> Any:
        manager_obj = getattr(self.model, manager)
        klass = create_forward_many_to_many_manager(
            manager_obj.__class__, self.rel, self._reverse
        )
        return klass(self.instance)

    def get_prefetch_querysets(
        self, instances: Any, querysets: Sequence[Any] | None = None
    ) -> tuple[Any, ...]:
        """Django's prefetch protocol: rows carry their owner's key."""
        from manouche.db.models.expressions import F

        queryset = _one_queryset(querysets)
        if queryset is None:
            queryset = super().get_queryset()
        source = self.source_field.target_field.attname
        keys = [getattr(obj, source) for obj in instances]
        name = self.query_field_name
        queryset = queryset.filter(**{f"{name}__{source}__in": keys}).annotate(
            _prefetch_related_val=F(f"{name}__{source}")
        )
        return (
            queryset,
            operator.attrgetter("_prefetch_related_val"),
            operator.attrgetter(source),
            False,
            self.prefetch_cache_name,
            False,
        )

    def get_prefetch_queryset(
        self, instances: Any, queryset: Any = None
    ) -> tuple[Any, ...]:
        """Deprecated single-queryset form of get_prefetch_querysets()."""
        return _deprecated_prefetch_queryset(self, instances, queryset)

    def _apply_rel_filters(self, queryset: Any) -> Any:
        queryset._hints = {"instance": self.instance}
        db = self._db or self.instance._state.db
        if db:
            queryset = queryset.using(db)
        return queryset._next_is_sticky().filter(**self.core_filters)

    def get_queryset(self) -> Any:
        cache = getattr(self.instance, "_prefetched_objects_cache", {})
        if self.prefetch_cache_name in cache:
            return cache[self.prefetch_cache_name]
        return self._apply_rel_filters(super().get_queryset())

    def _remove_prefetched_objects(self) -> None:
        cache = getattr(self.instance, "_prefetched_objects_cache", None)
        if cache:
            cache.pop(self.prefetch_cache_name, None)

    @property
    def _using(self) -> str:
        from manouche.db import router

        return self._db or router.db_for_write(self.through, instance=self.instance)

    def _target_ids(self, objs: tuple[Any, ...]) -> list[Any]:
        ids = []
        target_attname = self.target_field.target_field.attname
        for obj in objs:
            if isinstance(obj, self.model):
                if obj._state.adding:
                    raise ValueError(
                        f'Cannot add "{obj!r}": instance is on database '
                        f'"{self._using}", value is unsaved.'
                    )
                value = getattr(obj, target_attname)
                if value is None:
                    raise ValueError(
                        f'Cannot add "{obj!r}": the value for field '
                        f'"{target_attname}" is None'
                    )
                ids.append(value)
            elif hasattr(obj, "_meta"):
                raise TypeError(
                    f"'{self.model._meta.object_name}' instance expected, got {obj!r}"
                )
            else:
                ids.append(self.target_field.target_field.get_prep_value(obj))
        return list(dict.fromkeys(ids))

    def _signal(self, action: str, pk_set: Any) -> Any:
        if not signals.m2m_changed.receivers:
            return None
        return SendSignal(
            signals.m2m_changed,
            self.through,
            action=action,
            instance=self.instance,
            reverse=self.reverse,
            model=self.model,
            pk_set=pk_set,
            using=self._using,
        )

    def _add_items_operation(
        self,
        source_field_name: str,
        target_field_name: str,
        objs: tuple[Any, ...],
        through_defaults: dict[str, Any] | None,
        source_value: Any,
        send_signals: bool = True,
    ) -> Operation:
        if not objs:
            return None
        ids = self._target_ids(objs)
        table = self.through._meta.sa_table
        source = self.through._meta.get_field(source_field_name)
        target = self.through._meta.get_field(target_field_name)
        existing_query = sa.select(table.c[target.attname]).where(
            table.c[source.attname] == source_value,
            table.c[target.attname].in_(ids),
        )
        result = yield Execute(self._using, existing_query)
        present = {row[0] for row in result.rows}
        missing = [i for i in ids if i not in present]
        signal = self._signal("pre_add", set(missing))
        if signal is not None and send_signals:
            yield signal
        if missing:
            defaults = {
                k: v() if callable(v) else v
                for k, v in (through_defaults or {}).items()
            }
            through_objs = [
                self.through(
                    **defaults,
                    **{source.attname: source_value, target.attname: target_id},
                )
                for target_id in missing
            ]
            from manouche.db.models._bulk import bulk_create_operation

            yield from bulk_create_operation(
                self.through._default_manager.using(self._using),
                through_objs,
                None,
                False,
                False,
                None,
                None,
            )
        signal = self._signal("post_add", set(missing))
        if signal is not None and send_signals:
            yield signal
        return None

    def _add_operation(
        self, objs: tuple[Any, ...], through_defaults: dict[str, Any] | None
    ) -> Operation:
        self._remove_prefetched_objects()

        def inner() -> Operation:
            yield from self._add_items_operation(
                self.source_field_name,
                self.target_field_name,
                objs,
                through_defaults,
                self.related_val,
            )
            if self.symmetrical:
                for obj in objs:
                    if obj.pk == self.related_val:
                        continue
                    yield from self._add_items_operation(
                        self.source_field_name,
                        self.target_field_name,
                        (self.instance,),
                        through_defaults,
                        getattr(obj, self.target_field.target_field.attname),
                        send_signals=False,
                    )

        yield Atomic(self._using, inner(), savepoint=False)

    def add(self, *objs: Any, through_defaults: dict[str, Any] | None = None) -> None:
        """Link ``objs`` (instances or keys) to this instance."""
        run(self._add_operation(objs, through_defaults))

    async def aadd(
        self, *objs: Any, through_defaults: dict[str, Any] | None = None
    ) -> None:
        """Link ``objs`` (async)."""
        await arun(self._add_operation(objs, through_defaults))

    def _remove_operation(self, objs: tuple[Any, ...]) -> Operation:
        self._remove_prefetched_objects()
        if not objs:
            return None
        ids = self._target_ids_loose(objs)

        def inner() -> Operation:
            signal = self._signal("pre_remove", set(ids))
            if signal is not None:
                yield signal
            table = self.through._meta.sa_table
            source = self.source_field.attname
            target = self.target_field.attname
            condition = sa.and_(
                table.c[source] == self.related_val, table.c[target].in_(ids)
            )
            if self.symmetrical:
                condition = sa.or_(
                    condition,
                    sa.and_(
                        table.c[target] == self.related_val,
                        table.c[source].in_(ids),
                    ),
                )
            yield Execute(self._using, sa.delete(table).where(condition))
            signal = self._signal("post_remove", set(ids))
            if signal is not None:
                yield signal

        yield Atomic(self._using, inner(), savepoint=False)
        return None

    def _target_ids_loose(self, objs: tuple[Any, ...]) -> list[Any]:
        attname = self.target_field.target_field.attname
        return list(
            dict.fromkeys(
                getattr(obj, attname) if hasattr(obj, "_meta") else obj for obj in objs
            )
        )

    def remove(self, *objs: Any) -> None:
        """Unlink ``objs``."""
        run(self._remove_operation(objs))

    async def aremove(self, *objs: Any) -> None:
        """Unlink ``objs`` (async)."""
        await arun(self._remove_operation(objs))

    def _clear_operation(self) -> Operation:
        self._remove_prefetched_objects()

        def inner() -> Operation:
            signal = self._signal("pre_clear", None)
            if signal is not None:
                yield signal
            table = self.through._meta.sa_table
            condition = table.c[self.source_field.attname] == self.related_val
            if self.symmetrical:
                condition = sa.or_(
                    condition,
                    table.c[self.target_field.attname] == self.related_val,
                )
            yield Execute(self._using, sa.delete(table).where(condition))
            signal = self._signal("post_clear", None)
            if signal is not None:
                yield signal

        yield Atomic(self._using, inner(), savepoint=False)

    def clear(self) -> None:
        """Unlink every related object."""
        run(self._clear_operation())

    async def aclear(self) -> None:
        """Unlink every related object (async)."""
        await arun(self._clear_operation())

    def _set_operation(
        self, objs: Any, clear: bool, through_defaults: dict[str, Any] | None
    ) -> Operation:
        objs = tuple(objs)

        def inner() -> Operation:
            if clear:
                yield from self._clear_operation()
                yield from self._add_operation(objs, through_defaults)
                return None
            table = self.through._meta.sa_table
            result = yield Execute(
                self._using,
                sa.select(table.c[self.target_field.attname]).where(
                    table.c[self.source_field.attname] == self.related_val
                ),
            )
            old_ids = {row[0] for row in result.rows}
            wanted = []
            wanted_ids = set()
            attname = self.target_field.target_field.attname
            for obj in objs:
                key = (
                    getattr(obj, attname)
                    if hasattr(obj, "_meta")
                    else (self.target_field.target_field.get_prep_value(obj))
                )
                wanted_ids.add(key)
                if key not in old_ids:
                    wanted.append(obj)
            removed = old_ids - wanted_ids
            if removed:
                yield from self._remove_operation(tuple(removed))
            yield from self._add_operation(tuple(wanted), through_defaults)
            return None

        yield Atomic(self._using, inner(), savepoint=False)

    def set(
        self,
        objs: Any,
        *,
        clear: bool = False,
        through_defaults: dict[str, Any] | None = None,
    ) -> None:
        """Make ``objs`` the related set."""
        run(self._set_operation(objs, clear, through_defaults))

    async def aset(
        self,
        objs: Any,
        *,
        clear: bool = False,
        through_defaults: dict[str, Any] | None = None,
    ) -> None:
        """Make ``objs`` the related set (async)."""
        await arun(self._set_operation(objs, clear, through_defaults))

    def _create_operation(
        self, kwargs: dict[str, Any], through_defaults: dict[str, Any] | None
    ) -> Operation:
        db = self._using
        new_obj = (
            yield from super(_ManyRelatedManager, self.db_manager(db))
            .get_queryset()
            ._create_operation(kwargs)
        )
        yield from self._add_operation((new_obj,), through_defaults)
        return new_obj

    def create(
        self, *, through_defaults: dict[str, Any] | None = None, **kwargs: Any
    ) -> Any:
        """Create an object and link it."""
        return run(self._create_operation(kwargs, through_defaults))

    async def acreate(
        self, *, through_defaults: dict[str, Any] | None = None, **kwargs: Any
    ) -> Any:
        """Create an object and link it (async)."""
        return await arun(self._create_operation(kwargs, through_defaults))

    def get_or_create(
        self, *, through_defaults: dict[str, Any] | None = None, **kwargs: Any
    ) -> Any:
        """get_or_create() on the target model, linking the object."""
        obj, created = super(
            _ManyRelatedManager, self.db_manager(self._using)
        ).get_or_create(**kwargs)
        if created:
            self.add(obj, through_defaults=through_defaults)
        return obj, created

    def update_or_create(
        self, *, through_defaults: dict[str, Any] | None = None, **kwargs: Any
    ) -> Any:
        """update_or_create() on the target model, linking the object."""
        obj, created = super(
            _ManyRelatedManager, self.db_manager(self._using)
        ).update_or_create(**kwargs)
        if created:
            self.add(obj, through_defaults=through_defaults)
        return obj, created


@functools.cache
def create_forward_many_to_many_manager(
    superclass: type, rel: Any, reverse: bool
) -> type:
    """Build the manager class behind a many-to-many accessor."""
    return type(
        "ManyRelatedManager",
        (_ManyRelatedManager, superclass),
        {"rel": rel, "_reverse": reverse},
    )
