"""Descriptors for relation access (``book.author``, ``author.book_set``...).

Forward access caches the related object on the instance. In async code a
lazy load is refused with SynchronousOnlyOperation: use select_related(),
prefetch_related() or an async query instead of blocking the event loop.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from manouche.db import router
from manouche.db.models._io import (
    Operation,
    in_async_context,
    run,
)
from manouche.db.models.fields._descriptor_support import (
    _deprecated_prefetch_queryset,
    _lazy_load_refused,
    _on_instances_db,
    _one_queryset,
    _reverse_prefetch,
    _store_prefetched,
)
from manouche.db.models.fields._manager_cache import cached_related_manager
from manouche.db.models.fields._many_to_many_manager import (
    _PrefetchRef,
)
from manouche.db.models.fields._many_to_many_manager import (
    create_forward_many_to_many_manager as create_forward_many_to_many_manager,
)
from manouche.db.models.fields._prefetched_set import prefetched_reverse_set
from manouche.db.models.fields._reverse_many_to_one_manager import (
    _ReverseManyToOneManager,
)
from manouche.db.models.fields._reverse_many_to_one_manager import (
    create_reverse_many_to_one_manager as create_reverse_many_to_one_manager,
)
from manouche.db.models.query_utils import DeferredAttribute

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


def _cached_on_ancestor(instance: Any, field: Any) -> Any:
    """Return ``field``'s related object if a cached parent row already has it.

    An instance reached by walking down a multi-table hierarchy caches its
    parent row; a relation declared on an ancestor may be cached there.
    """
    link = instance._meta.get_ancestor_link(field.model)
    if link is None:
        return None
    ancestor = instance._state.fields_cache.get(link.name)
    while ancestor is not None:
        cached = ancestor._state.fields_cache
        if field.name in cached:
            found = cached[field.name]
            if found is not None and getattr(
                found, field.target_field.attname, None
            ) == getattr(instance, field.attname):
                return found
            return None
        if ancestor._meta.concrete_model is field.model:
            return None
        link = ancestor._meta.get_ancestor_link(field.model)
        ancestor = cached.get(link.name) if link is not None else None
    return None


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
        if value is not None and self.field.model is not instance._meta.concrete_model:
            related = _cached_on_ancestor(instance, self.field)
            if related is not None:
                cache[name] = related
                return related
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

    def _check_assignable(self, instance: Any, value: Any) -> None:
        """Refuse a value of another model, or one the routers keep apart.

        As in Django, an instance without a database takes the one the
        routers give for writing it next to ``value`` (and the other way
        round), then ``allow_relation`` must accept the pair.
        """
        remote_model = self.field.remote_field.model
        if value is None:
            return
        if not isinstance(value, remote_model._meta.concrete_model):
            raise ValueError(
                f'Cannot assign "{value!r}": "{instance._meta.object_name}.'
                f'{self.field.name}" must be a "{remote_model._meta.object_name}" '
                "instance."
            )
        if instance._state.db is None:
            instance._state.db = router.db_for_write(type(instance), instance=value)
        if value._state.db is None:
            value._state.db = router.db_for_write(type(value), instance=instance)
        if not router.allow_relation(value, instance):
            raise ValueError(
                f'Cannot assign "{value!r}": the current database router '
                "prevents this relation."
            )

    def __set__(self, instance: Any, value: Any) -> None:
        self._check_assignable(instance, value)
        cache = instance._state.fields_cache
        if value is None:
            previous = cache.get(self.field.name)
            if previous is not None and self.field.one_to_one:
                # The previous target now has no row pointing at it.
                previous._state.fields_cache[
                    self.field.remote_field.get_cache_name()
                ] = None
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
