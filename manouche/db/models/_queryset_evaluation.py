"""QuerySet evaluation: public sync methods and their async twins over operations."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator, Sequence
from typing import Any

import sqlalchemy as sa

from manouche.db.models._fast_get import NO_FAST_PATH, afast_get, fast_get
from manouche.db.models._io import Execute, Operation, arun, run
from manouche.db.models._iterables import (
    ModelIterable,
)
from manouche.db.models._prefetch import (
    _prefetch_operation,
)
from manouche.db.models._queryset_core import _connection
from manouche.db.models._queryset_operations import MAX_GET_RESULTS, QuerySetOperations
from manouche.db.models.sql.compiler import SQLCompiler

_EXPLAIN_OPTION_NAME = re.compile(r"[A-Za-z0-9_]+(?:-[A-Za-z0-9_]+)*")


class QuerySetEvaluation(QuerySetOperations):
    """Run operations: ``count()`` runs it blocking, ``acount()`` awaits it."""

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
        found = await afast_get(self, args, kwargs, MAX_GET_RESULTS)
        if found is not NO_FAST_PATH:
            return found
        return await arun(self._get_operation(*args, **kwargs))

    def create(self, **kwargs: Any) -> Any:
        """Create, save and return an object."""
        return run(self._create_operation(kwargs))

    async def acreate(self, **kwargs: Any) -> Any:
        """Create, save and return an object (async)."""
        await _aprepare_values(self.model, kwargs)
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
        await _aprepare_values(self.model, kwargs, defaults)
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
        await _aprepare_values(self.model, kwargs, defaults, create_defaults)
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


async def _aprepare_values(model: Any, *values: dict[str, Any] | None) -> None:
    """Let private fields load, without blocking, what assigning them needs.

    Assigning a GenericForeignKey looks its object's ContentType up; the
    model is built on the event loop, so the lookup is awaited (and cached)
    first. Fields opt in with an ``aprepare_value(value)`` coroutine method.
    """
    for field in model._meta.private_fields:
        prepare = getattr(field, "aprepare_value", None)
        if prepare is None:
            continue
        for given in values:
            if given and field.name in given:
                await prepare(given[field.name])
