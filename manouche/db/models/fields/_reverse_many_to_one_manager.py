"""The manager behind ``author.book_set``: one concept, split from the descriptors.

``create_reverse_many_to_one_manager`` mixes these methods into the related
model's default manager class.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from manouche.db.models._io import (
    Operation,
    arun,
    run,
)
from manouche.db.models.fields._descriptor_support import (
    _deprecated_prefetch_queryset,
    _one_queryset,
    _reverse_prefetch,
)

if TYPE_CHECKING:
    from manouche.db.models.manager import Manager as _ManagerBase
else:
    _ManagerBase = object


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
