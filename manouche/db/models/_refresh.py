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
        queryset = (
            from_queryset
            if from_queryset is not None
            else self.__class__._base_manager.db_manager(
                using or self._state.db
            ).get_queryset()
        )
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
        if field_list is not None:
            if not field_list:
                return None
            for name in field_list:
                if "__" in name:
                    raise ValueError(
                        f'Found "__" in fields argument. Relations and transforms '
                        f"are not allowed in fields: {name}"
                    )
        queryset, attnames = self._refresh_queryset(using, field_list, from_queryset)
        found = yield from queryset._fetch_operation()
        if not found:
            raise self.DoesNotExist(
                f"{self.__class__.__name__} matching query does not exist."
            )
        fresh = found[0]
        data = fresh.__dict__
        for field in opts.concrete_fields:
            if field.attname not in data:
                continue
            if field_list is not None and field.attname not in attnames:
                continue
            self.__dict__[field.attname] = data[field.attname]
            if field.is_relation:
                self._state.fields_cache.pop(field.name, None)
        if field_list is None:
            # A partial reload (a deferred field) keeps the cached relations.
            self._state.fields_cache.clear()
            self.__dict__.pop("_prefetched_objects_cache", None)
        self._state.db = fresh._state.db
        return None
