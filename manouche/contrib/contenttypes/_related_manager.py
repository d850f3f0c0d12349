"""``bookmark.tags``: the manager behind a GenericRelation.

Building the manager's queryset does no I/O (the content type is matched by
its cached id or by a subquery), so it works lazily in async code too;
add/remove/clear/set/create resolve the content type inside the operation.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from manouche.db.models import Q
from manouche.db.models._io import Operation, arun, run
from manouche.db.models.fields._descriptor_support import (
    _deprecated_prefetch_queryset,
    _one_queryset,
)
from manouche.db.models.fields._manager_cache import cached_related_manager

if TYPE_CHECKING:
    from manouche.db.models.manager import Manager as _ManagerBase
else:
    _ManagerBase = object

__all__ = ["ReverseGenericManyToOneDescriptor", "create_generic_related_manager"]


def _content_types() -> Any:
    from manouche.contrib.contenttypes.models import ContentType

    return ContentType.objects


def _content_type_filter(field: Any, model: Any, using: str | None) -> dict[str, Any]:
    """Filter kwargs matching ``model``'s content type without a query."""
    manager = _content_types()
    ct_field = field.remote_field.model._meta.get_field(field.content_type_field_name)
    cached = manager.cached_id_for_model(model, field.for_concrete_model, using=using)
    if cached is not None:
        return {ct_field.attname: cached}
    opts = model._meta.concrete_model._meta if field.for_concrete_model else model._meta
    subquery = (
        manager.db_manager(using)
        .filter(app_label=opts.app_label, model=opts.model_name)
        .values("pk")
    )
    return {f"{ct_field.name}__in": subquery}


class ReverseGenericManyToOneDescriptor:
    """``bookmark.tags``: a manager of the objects pointing here generically."""

    def __init__(self, rel: Any) -> None:
        self.rel = rel
        self.field = rel.field

    def __get__(self, instance: Any, cls: Any = None) -> Any:
        if instance is None:
            return self
        return cached_related_manager(
            instance,
            self.field.name,
            lambda: create_generic_related_manager(
                self.rel.model._default_manager.__class__, self.rel
            ),
        )

    def __set__(self, instance: Any, value: Any) -> None:
        raise TypeError(
            "Direct assignment to the reverse side of a related set is prohibited. "
            f"Use {self.field.name}.set() instead."
        )

    def get_prefetch_operation(
        self, instances: list[Any], queryset: Any, to_attr: str | None
    ) -> Operation:
        """Fetch the related sets of many instances: one query in all."""
        field = self.field
        target = self.rel.model
        opts = target._meta
        object_id = opts.get_field(field.object_id_field_name)
        ct_field = opts.get_field(field.content_type_field_name)
        if queryset is None:
            queryset = target._default_manager.all()
        using = instances[0]._state.db or queryset.db
        models = {type(obj) for obj in instances}
        cts = yield from _content_types()._get_for_models_operation(
            models, field.for_concrete_model, using
        )
        condition = Q()
        for model, ct in cts.items():
            pks = [
                object_id.to_python(obj.pk) for obj in instances if type(obj) is model
            ]
            condition |= Q(**{ct_field.attname: ct.pk, f"{object_id.name}__in": pks})
        related = yield from queryset.using(using).filter(condition)._fetch_operation()
        grouped: dict[tuple[Any, Any], list[Any]] = {}
        for obj in related:
            key = (getattr(obj, ct_field.attname), getattr(obj, object_id.attname))
            grouped.setdefault(key, []).append(obj)
        for obj in instances:
            key = (cts[type(obj)].pk, object_id.to_python(obj.pk))
            items = grouped.get(key, [])
            if to_attr:
                setattr(obj, to_attr, items)
                continue
            manager = getattr(obj, field.name)
            cached = manager.get_queryset()
            cached._result_cache = items
            cached._prefetch_done = True
            if not hasattr(obj, "_prefetched_objects_cache"):
                obj._prefetched_objects_cache = {}
            obj._prefetched_objects_cache[field.name] = cached
        return related


class _GenericRelatedObjectManager(_ManagerBase):
    """Methods of ``bookmark.tags`` (mixed into the target's manager class)."""

    rel: Any
    instance: Any
    model: Any
    _db: str | None

    def __init__(self, instance: Any) -> None:
        super().__init__()
        self.instance = instance
        self.model = self.rel.model
        field = self.rel.field
        self.field = field
        self.content_type_field_name = field.content_type_field_name
        self.object_id_field_name = field.object_id_field_name
        self.prefetch_cache_name = field.name
        self.pk_val = instance.pk

    def __call__(self, *, manager: str) -> Any:
        manager_obj = getattr(self.model, manager)
        klass = create_generic_related_manager(manager_obj.__class__, self.rel)
        return klass(self.instance)

    def __str__(self) -> str:
        return repr(self)

    def _using(self) -> str | None:
        return self._db or self.instance._state.db

    def _check_saved(self) -> None:
        if self.instance.pk is None:
            raise ValueError(
                f"{self.instance.__class__.__name__!r} instance needs to have a "
                "primary key value before this relationship can be used."
            )

    def _apply_rel_filters(self, queryset: Any) -> Any:
        db = self._using()
        queryset._hints = {"instance": self.instance}
        if db:
            queryset = queryset.using(db)
        object_id = self.model._meta.get_field(self.object_id_field_name)
        return queryset.filter(
            **_content_type_filter(self.field, type(self.instance), db),
            **{self.object_id_field_name: object_id.to_python(self.instance.pk)},
        )

    def get_queryset(self) -> Any:
        self._check_saved()
        cache = getattr(self.instance, "_prefetched_objects_cache", {})
        if self.prefetch_cache_name in cache:
            return cache[self.prefetch_cache_name]
        return self._apply_rel_filters(super().get_queryset())

    def get_prefetch_querysets(
        self, instances: Any, querysets: Sequence[Any] | None = None
    ) -> tuple[Any, ...]:
        """Django's prefetch protocol: the query and how to match its rows.

        Matching is on ``(object id, content type id)``, so tags of two models
        with the same primary key stay apart.
        """
        queryset = _one_queryset(querysets)
        if queryset is None:
            queryset = super().get_queryset()
        using = instances[0]._state.db or queryset.db
        object_id = self.model._meta.get_field(self.object_id_field_name)
        ct_attname = self.model._meta.get_field(self.content_type_field_name).attname
        cts = (
            _content_types()
            .db_manager(using)
            .get_for_models(
                *{type(obj) for obj in instances},
                for_concrete_models=self.field.for_concrete_model,
            )
        )
        condition = Q()
        for model, ct in cts.items():
            pks = [
                object_id.to_python(obj.pk) for obj in instances if type(obj) is model
            ]
            condition |= Q(**{ct_attname: ct.pk, f"{object_id.name}__in": pks})

        def related_key(related: Any) -> tuple[Any, Any]:
            return (getattr(related, object_id.attname), getattr(related, ct_attname))

        def instance_key(obj: Any) -> tuple[Any, Any]:
            return (object_id.to_python(obj.pk), cts[type(obj)].pk)

        return (
            queryset.using(using).filter(condition),
            related_key,
            instance_key,
            False,
            self.prefetch_cache_name,
            False,
        )

    def get_prefetch_queryset(
        self, instances: Any, queryset: Any = None
    ) -> tuple[Any, ...]:
        """Deprecated single-queryset form of get_prefetch_querysets()."""
        return _deprecated_prefetch_queryset(self, instances, queryset)

    def _remove_prefetched_objects(self) -> None:
        cache = getattr(self.instance, "_prefetched_objects_cache", None)
        if cache:
            cache.pop(self.prefetch_cache_name, None)

    def _content_type_operation(self, using: str) -> Operation:
        ct = yield from _content_types()._get_for_model_operation(
            type(self.instance), self.field.for_concrete_model, using
        )
        return ct

    # -- add ---------------------------------------------------------------------
    def _add_operation(self, objs: tuple[Any, ...], bulk: bool) -> Operation:
        self._check_saved()
        self._remove_prefetched_objects()
        db = self._using() or "default"
        ct = yield from self._content_type_operation(db)
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
                ._update_operation(
                    {
                        self.content_type_field_name: ct,
                        self.object_id_field_name: self.pk_val,
                    }
                )
            )
            for obj in objs:
                setattr(obj, self.content_type_field_name, ct)
                setattr(obj, self.object_id_field_name, self.pk_val)
        else:
            for obj in objs:
                setattr(obj, self.content_type_field_name, ct)
                setattr(obj, self.object_id_field_name, self.pk_val)
                yield from obj._save_operation(False, False, db, None)
        return None

    def add(self, *objs: Any, bulk: bool = True) -> None:
        """Point ``objs`` at this instance."""
        run(self._add_operation(objs, bulk))

    async def aadd(self, *objs: Any, bulk: bool = True) -> None:
        """Point ``objs`` at this instance (async)."""
        await arun(self._add_operation(objs, bulk))

    # -- remove / clear ----------------------------------------------------------
    def _clear_operation(self, queryset: Any, bulk: bool) -> Operation:
        self._remove_prefetched_objects()
        db = self._using() or "default"
        queryset = queryset.using(db)
        if bulk:
            yield from queryset._delete_operation()
        else:
            objs = yield from queryset._fetch_operation()
            for obj in objs:
                yield from obj._delete_operation(db, False)
        return None

    def _remove_operation(self, objs: tuple[Any, ...], bulk: bool) -> Operation:
        if not objs:
            return None
        self._check_saved()
        self._remove_prefetched_objects()
        pks = [obj.pk for obj in objs]
        queryset = self._apply_rel_filters(super().get_queryset()).filter(pk__in=pks)
        yield from self._clear_operation(queryset, bulk)
        return None

    def remove(self, *objs: Any, bulk: bool = True) -> None:
        """Delete ``objs`` (a generic key cannot be NULL)."""
        run(self._remove_operation(objs, bulk))

    async def aremove(self, *objs: Any, bulk: bool = True) -> None:
        """Delete ``objs`` (async)."""
        await arun(self._remove_operation(objs, bulk))

    def clear(self, *, bulk: bool = True) -> None:
        """Delete every related object."""
        self._check_saved()
        run(
            self._clear_operation(self._apply_rel_filters(super().get_queryset()), bulk)
        )

    async def aclear(self, *, bulk: bool = True) -> None:
        """Delete every related object (async)."""
        self._check_saved()
        await arun(
            self._clear_operation(self._apply_rel_filters(super().get_queryset()), bulk)
        )

    # -- set -----------------------------------------------------------------------
    def _set_operation(self, objs: Any, bulk: bool, clear: bool) -> Operation:
        self._check_saved()
        self._remove_prefetched_objects()
        objs = tuple(objs)
        queryset = self._apply_rel_filters(super().get_queryset())
        if clear:
            yield from self._clear_operation(queryset, bulk)
            yield from self._add_operation(objs, bulk)
            return None
        current = yield from queryset._fetch_operation()
        wanted = set(objs)
        old = tuple(obj for obj in current if obj not in wanted)
        existing = set(current)
        new = tuple(obj for obj in objs if obj not in existing)
        yield from self._remove_operation(old, bulk)
        if new:
            yield from self._add_operation(new, bulk)
        return None

    def set(self, objs: Any, *, bulk: bool = True, clear: bool = False) -> None:
        """Make ``objs`` the related set (deleting the others)."""
        run(self._set_operation(objs, bulk, clear))

    async def aset(self, objs: Any, *, bulk: bool = True, clear: bool = False) -> None:
        """Make ``objs`` the related set (async)."""
        await arun(self._set_operation(objs, bulk, clear))

    # -- create ----------------------------------------------------------------------
    def _with_key_operation(self, kwargs: dict[str, Any]) -> Operation:
        self._check_saved()
        self._remove_prefetched_objects()
        db = self._using() or "default"
        ct = yield from self._content_type_operation(db)
        kwargs[self.content_type_field_name] = ct
        kwargs[self.object_id_field_name] = self.pk_val
        return db

    def _create_operation(self, kwargs: dict[str, Any]) -> Operation:
        db = yield from self._with_key_operation(kwargs)
        queryset = super().get_queryset().using(db)
        obj = yield from queryset._create_operation(kwargs)
        return obj

    def create(self, **kwargs: Any) -> Any:
        """Create an object pointing at this instance."""
        return run(self._create_operation(kwargs))

    async def acreate(self, **kwargs: Any) -> Any:
        """Create an object pointing at this instance (async)."""
        return await arun(self._create_operation(kwargs))

    def _get_or_create_operation(
        self, defaults: dict[str, Any] | None, kwargs: dict[str, Any]
    ) -> Operation:
        db = yield from self._with_key_operation(kwargs)
        queryset = super().get_queryset().using(db)
        result = yield from queryset._get_or_create_operation(defaults, kwargs)
        return result

    def get_or_create(
        self, defaults: dict[str, Any] | None = None, **kwargs: Any
    ) -> tuple[Any, bool]:
        """get_or_create() scoped to this relation."""
        operation = self._get_or_create_operation(defaults, kwargs)
        return run(operation)  # type: ignore[no-any-return]

    async def aget_or_create(
        self, defaults: dict[str, Any] | None = None, **kwargs: Any
    ) -> tuple[Any, bool]:
        """get_or_create() scoped to this relation (async)."""
        operation = self._get_or_create_operation(defaults, kwargs)
        return await arun(operation)  # type: ignore[no-any-return]

    def _update_or_create_operation(
        self,
        defaults: dict[str, Any] | None,
        create_defaults: dict[str, Any] | None,
        kwargs: dict[str, Any],
    ) -> Operation:
        db = yield from self._with_key_operation(kwargs)
        queryset = super().get_queryset().using(db)
        result = yield from queryset._update_or_create_operation(
            defaults, create_defaults, kwargs
        )
        return result

    def update_or_create(
        self,
        defaults: dict[str, Any] | None = None,
        create_defaults: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> tuple[Any, bool]:
        """update_or_create() scoped to this relation."""
        operation = self._update_or_create_operation(defaults, create_defaults, kwargs)
        return run(operation)  # type: ignore[no-any-return]

    async def aupdate_or_create(
        self,
        defaults: dict[str, Any] | None = None,
        create_defaults: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> tuple[Any, bool]:
        """update_or_create() scoped to this relation (async)."""
        operation = self._update_or_create_operation(defaults, create_defaults, kwargs)
        return await arun(operation)  # type: ignore[no-any-return]


@functools.cache
def create_generic_related_manager(superclass: type, rel: Any) -> type:
    """Build the manager class behind a GenericRelation accessor."""
    return type(
        "GenericRelatedObjectManager",
        (_GenericRelatedObjectManager, superclass),
        {"rel": rel},
    )
