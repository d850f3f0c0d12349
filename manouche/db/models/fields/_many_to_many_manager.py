"""The manager behind a many-to-many accessor, split from the descriptors.

``create_forward_many_to_many_manager`` mixes these methods into the related
model's default manager class; they write rows of the ``through`` model.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from manouche.db.models import signals
from manouche.db.models._io import (
    Atomic,
    Execute,
    Operation,
    SendSignal,
    arun,
    run,
)
from manouche.db.models.fields._descriptor_support import (
    _deprecated_prefetch_queryset,
    _one_queryset,
)

if TYPE_CHECKING:
    from manouche.db.models.manager import Manager as _ManagerBase
else:
    _ManagerBase = object


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
        self._source_attname = self.source_field.target_field.attname
        if self._source_value is None:
            raise ValueError(
                f'"{instance!r}" needs to have a value for field '
                f'"{self._source_attname}" before this '
                "many-to-many relationship can be used."
            )
        self.reverse = self._reverse

    # The manager is cached on the instance: these follow the instance's key
    # (a to_field value may change after the first access).
    @property
    def _source_value(self) -> Any:
        return getattr(self.instance, self._source_attname)

    @property
    def related_val(self) -> tuple[Any, ...]:
        """The values the join table's source column(s) hold for this instance."""
        return (self._source_value,)

    @property
    def core_filters(self) -> dict[str, Any]:
        """The filter() arguments selecting this instance's related objects."""
        if not self.query_field_name.isidentifier():
            # A hidden reverse name (symmetrical "self" relations): go
            # through the join table instead.
            links = self.through._base_manager.filter(
                **{self.source_field_name: self._source_value}
            ).values(self.target_field_name)
            return {"pk__in": links}
        source_target = self.source_field.target_field
        lookup = self.query_field_name
        if not source_target.primary_key:
            # A to_field key: match the column it names, not the pk.
            lookup = f"{lookup}__{source_target.name}"
        return {lookup: self._source_value}

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

    def _links_only(self) -> Any:
        """This instance's join-table rows, when they alone answer count()/exists().

        A foreign key constraint on the target column guarantees each link's
        target row, so the join to the target table adds nothing. None for a
        custom manager (its get_queryset() may filter) or a cached prefetch.
        """
        from manouche.db import connections, router
        from manouche.db.models.manager import Manager

        if (
            type(self).__bases__[-1] is not Manager
            or not self.target_field.db_constraint
        ):
            return None
        if self.prefetch_cache_name in getattr(
            self.instance, "_prefetched_objects_cache", {}
        ):
            return None
        db = self._db or router.db_for_read(self.through, instance=self.instance)
        if not connections[db].features.supports_foreign_keys:
            return None
        filters: dict[str, Any] = {self.source_field_name: self._source_value}
        if self.target_field.null:
            # An INNER JOIN would drop links without a target.
            filters[f"{self.target_field_name}__isnull"] = False
        manager = self.through._base_manager.db_manager(
            db, hints={"instance": self.instance}
        )
        return manager.filter(**filters)

    def count(self) -> int:
        """Count the related objects (from the join table alone when possible)."""
        links = self._links_only()
        if links is None:
            return int(super().count())
        return int(links.count())

    async def acount(self) -> int:
        """Count the related objects (async)."""
        links = self._links_only()
        if links is None:
            return int(await super().acount())
        return int(await links.acount())

    def exists(self) -> bool:
        """Whether there is a related object (from the join table when possible)."""
        links = self._links_only()
        if links is None:
            return bool(super().exists())
        return bool(links.exists())

    async def aexists(self) -> bool:
        """Whether there is a related object (async)."""
        links = self._links_only()
        if links is None:
            return bool(await super().aexists())
        return bool(await links.aexists())

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
        if self._can_fast_add(send_signals):
            # One INSERT: the database skips the links that already exist.
            yield from self._insert_links(
                source, target, source_value, ids, through_defaults, True
            )
            return None
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
            yield from self._insert_links(
                source, target, source_value, missing, through_defaults, False
            )
        signal = self._signal("post_add", set(missing))
        if signal is not None and send_signals:
            yield signal
        return None

    def _can_fast_add(self, send_signals: bool) -> bool:
        """Tell whether links may be inserted blind (no SELECT of existing ones).

        Needs the database to skip duplicate rows, an auto-created join table
        (no other unique rules), and no m2m_changed receiver waiting for
        the exact set of new links.
        """
        from manouche.db import connections

        if send_signals and signals.m2m_changed.receivers:
            return False
        if not self.through._meta.auto_created:
            return False
        return bool(connections[self._using].features.supports_ignore_conflicts)

    def _insert_links(
        self,
        source: Any,
        target: Any,
        source_value: Any,
        target_ids: list[Any],
        through_defaults: dict[str, Any] | None,
        ignore_conflicts: bool,
    ) -> Operation:
        from manouche.db.models._bulk import bulk_create_operation

        defaults = {
            k: v() if callable(v) else v for k, v in (through_defaults or {}).items()
        }
        through_objs = [
            self.through(
                **defaults,
                **{source.attname: source_value, target.attname: target_id},
            )
            for target_id in target_ids
        ]
        yield from bulk_create_operation(
            self.through._default_manager.using(self._using),
            through_objs,
            None,
            ignore_conflicts,
            False,
            None,
            None,
        )

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
                self._source_value,
            )
            if self.symmetrical:
                for obj in objs:
                    if obj.pk == self._source_value:
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
                table.c[source] == self._source_value, table.c[target].in_(ids)
            )
            if self.symmetrical:
                condition = sa.or_(
                    condition,
                    sa.and_(
                        table.c[target] == self._source_value,
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
        prep = self.target_field.target_field.get_prep_value
        return list(
            dict.fromkeys(
                getattr(obj, attname) if hasattr(obj, "_meta") else prep(obj)
                for obj in objs
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
            condition = table.c[self.source_field.attname] == self._source_value
            if self.symmetrical:
                condition = sa.or_(
                    condition,
                    table.c[self.target_field.attname] == self._source_value,
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
                    table.c[self.source_field.attname] == self._source_value
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

    def _get_or_create_operation(
        self,
        defaults: dict[str, Any] | None,
        kwargs: dict[str, Any],
        through_defaults: dict[str, Any] | None,
    ) -> Operation:
        # Looked up among the related objects; a new object is linked.
        queryset = self.db_manager(self._using).get_queryset()
        obj, created = yield from queryset._get_or_create_operation(defaults, kwargs)
        if created:
            yield from self._add_operation((obj,), through_defaults)
        return obj, created

    def get_or_create(
        self,
        defaults: dict[str, Any] | None = None,
        *,
        through_defaults: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> Any:
        """get_or_create() among the related objects, linking a new object."""
        return run(self._get_or_create_operation(defaults, kwargs, through_defaults))

    async def aget_or_create(
        self,
        defaults: dict[str, Any] | None = None,
        *,
        through_defaults: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> Any:
        """get_or_create() among the related objects (async)."""
        return await arun(
            self._get_or_create_operation(defaults, kwargs, through_defaults)
        )

    def _update_or_create_operation(
        self,
        defaults: dict[str, Any] | None,
        create_defaults: dict[str, Any] | None,
        kwargs: dict[str, Any],
        through_defaults: dict[str, Any] | None,
    ) -> Operation:
        queryset = self.db_manager(self._using).get_queryset()
        obj, created = yield from queryset._update_or_create_operation(
            defaults, create_defaults, kwargs
        )
        if created:
            yield from self._add_operation((obj,), through_defaults)
        return obj, created

    def update_or_create(
        self,
        defaults: dict[str, Any] | None = None,
        create_defaults: dict[str, Any] | None = None,
        *,
        through_defaults: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> Any:
        """update_or_create() among the related objects, linking a new object."""
        return run(
            self._update_or_create_operation(
                defaults, create_defaults, kwargs, through_defaults
            )
        )

    async def aupdate_or_create(
        self,
        defaults: dict[str, Any] | None = None,
        create_defaults: dict[str, Any] | None = None,
        *,
        through_defaults: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> Any:
        """update_or_create() among the related objects (async)."""
        return await arun(
            self._update_or_create_operation(
                defaults, create_defaults, kwargs, through_defaults
            )
        )


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
