"""Reloading an instance's fields from the database (``refresh_from_db``).

Mixed into ``Model``; the reload is one operation (see ``_io``) driven sync
by ``refresh_from_db()`` and async by ``arefresh_from_db()``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, ClassVar

from manouche.db.models._io import Operation, arun, run

__all__ = ["ModelRefresh"]


class ModelRefresh:
    """The reload half of ``Model``."""

    _meta: ClassVar[Any]
    _state: Any
    _base_manager: ClassVar[Any]
    DoesNotExist: ClassVar[Any]
    pk: Any

    if TYPE_CHECKING:

        def get_deferred_fields(self) -> set[str]:
            """Return the attnames of fields not loaded (defined on ``Model``)."""
            ...

    def refresh_from_db(
        self,
        using: str | None = None,
        fields: Iterable[str] | None = None,
        from_queryset: Any = None,
    ) -> None:
        """Reload field values from the database."""
        run(self._refresh_operation(using, fields, from_queryset))

    async def arefresh_from_db(
        self,
        using: str | None = None,
        fields: Iterable[str] | None = None,
        from_queryset: Any = None,
    ) -> None:
        """Reload field values from the database (async)."""
        await arun(self._refresh_operation(using, fields, from_queryset))

    def _refresh_queryset(
        self, using: str | None, field_list: list[str] | None, from_queryset: Any
    ) -> tuple[Any, list[str]]:
        opts = self._meta
        if from_queryset is None:
            queryset = self.__class__._base_manager.db_manager(
                using or self._state.db
            ).get_queryset()
        elif using is not None:
            queryset = from_queryset.using(using)
        else:
            queryset = from_queryset
        queryset = queryset.filter(pk=self.pk)
        attnames: list[str] = []
        if field_list is not None:
            attnames = [opts.get_field(name).attname for name in field_list]
            queryset = queryset.only(*attnames)
        else:
            deferred = self.get_deferred_fields()
            if deferred:
                loaded = [
                    f.attname for f in opts.concrete_fields if f.attname not in deferred
                ]
                queryset = queryset.only(*loaded)
        return queryset, attnames

    def _refresh_operation(
        self, using: str | None, fields: Iterable[str] | None, from_queryset: Any
    ) -> Operation:
        opts = self._meta
        field_list = list(fields) if fields is not None else None
        named: set[str] = set()
        if field_list is not None:
            if not field_list:
                return None
            named = set(field_list)
            field_list = _drop_prefetched(self, field_list)
            if not field_list:
                return None
            if any("__" in name for name in field_list):
                raise ValueError(
                    'Found "__" in fields argument. Relations and transforms '
                    "are not allowed in fields."
                )
            field_list = [
                name
                for name in field_list
                if getattr(opts.get_field(name), "concrete", False)
            ]
        if field_list is None or field_list:
            queryset, attnames = self._refresh_queryset(
                using, field_list, from_queryset
            )
            found = yield from queryset._fetch_operation()
            if not found:
                raise self.DoesNotExist(
                    f"{self.__class__.__name__} matching query does not exist."
                )
            fresh = found[0]
            self._copy_refreshed(fresh, field_list, attnames)
            self._state.db = fresh._state.db
        self._forget_related(named if fields is not None else None)
        if field_list is None:
            self.__dict__.pop("_prefetched_objects_cache", None)
        return None

    def _copy_refreshed(
        self, fresh: Any, field_list: list[str] | None, attnames: list[str]
    ) -> None:
        """Take the fresh row's values, and its related objects when it has them."""
        data = fresh.__dict__
        own_cache = self._state.fields_cache
        fresh_cache = fresh._state.fields_cache
        for field in self._meta.concrete_fields:
            if field.attname not in data:
                continue
            if field_list is not None and field.attname not in attnames:
                continue
            self.__dict__[field.attname] = data[field.attname]
            if field.is_relation:
                if field.name in fresh_cache:
                    own_cache[field.name] = fresh_cache[field.name]
                else:
                    own_cache.pop(field.name, None)

    def _forget_related(self, names: set[str] | None) -> None:
        """Drop cached reverse and generic relations (all, or those named)."""
        opts = self._meta
        cache = self._state.fields_cache
        for relation in opts.related_objects:
            if (
                names is None
                or relation.name in names
                or (relation.get_accessor_name() in names)
            ):
                cache.pop(relation.get_cache_name(), None)
        for field in opts.private_fields:
            if field.is_relation and (names is None or field.name in names):
                cache.pop(field.name, None)


def _drop_prefetched(instance: Any, names: list[str]) -> list[str]:
    """Forget the prefetched results named in ``names``; return the other names."""
    prefetched = instance.__dict__.get("_prefetched_objects_cache")
    if not prefetched:
        return names
    remaining = []
    for name in names:
        if name in prefetched:
            del prefetched[name]
        else:
            remaining.append(name)
    return remaining
