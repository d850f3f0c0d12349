"""A short path for the commonest ``get()``: one keyword, a plain queryset.

``Model.objects.get(pk=...)`` normally clones the queryset, builds a Q,
clears the ordering, sets the limit and drives an operation generator; all
of that only to pick a statement that ``sql._fast`` already caches. Here the
cached statement is looked up straight from the keyword and executed, and
the rows go through the same builder as any fetch. Anything unusual (more
filters, prefetching, an overridden queryset, a sync call in an async
context) answers ``NO_FAST_PATH`` and takes the general route, so behaviour
is the same. ``aget()`` takes the same short path with an awaited execute.
"""

from __future__ import annotations

from asyncio import _get_running_loop
from typing import Any

from manouche.db import connections
from manouche.db.models._io import in_async_context
from manouche.db.models._iterables import ModelIterable, build_results
from manouche.db.models.sql._fast import fast_get_statement
from manouche.db.models.sql._related_values import check_related_values

__all__ = ["NO_FAST_PATH", "afast_get", "fast_get", "single_result"]

NO_FAST_PATH: Any = object()

# What a QuerySet subclass may override to change what get() does.
_STOCK_ATTRIBUTES = (
    "_get_operation",
    "_fetch_operation",
    "_chain",
    "_clone",
    "query",
    "db",
)

# QuerySet's own values of those attributes, read on first use.
_stock: tuple[Any, ...] = ()


def _load_stock() -> tuple[Any, ...]:
    """QuerySet's values of ``_STOCK_ATTRIBUTES``, read once.

    ``fast_get`` compares a queryset's class against them on every call
    rather than caching per class, so an override or a patch applied later
    is always seen.
    """
    global _stock
    from manouche.db.models.query import QuerySet

    _stock = tuple(getattr(QuerySet, name) for name in _STOCK_ATTRIBUTES)
    return _stock


def single_result(model: Any, results: list[Any], limit: int | None) -> Any:
    """Return the one object of ``results`` or raise as ``get()`` does."""
    count = len(results)
    if count == 1:
        return results[0]
    if not count:
        raise model.DoesNotExist(
            f"{model._meta.object_name} matching query does not exist."
        )
    shown = count if not limit or count < limit else f"more than {limit - 1}"
    raise model.MultipleObjectsReturned(
        f"get() returned more than one {model._meta.object_name} -- it "
        f"returned {shown}!"
    )


def fast_get(
    queryset: Any, args: tuple[Any, ...], kwargs: dict[str, Any], limit: int
) -> Any:
    """Run ``queryset.get(**kwargs)`` the short way, or return NO_FAST_PATH."""
    # in_async_context() only when a loop runs (the common case is not).
    if _get_running_loop() is not None and in_async_context():
        return NO_FAST_PATH
    planned = _plan(queryset, args, kwargs, limit)
    if planned is None:
        return NO_FAST_PATH
    connection, using, statement, parameters, compiler = planned
    result = connection.execute(statement, parameters)
    results = build_results(queryset, compiler, result, using)
    if len(results) == 1:
        return results[0]
    return single_result(queryset.model, results, limit)


async def afast_get(
    queryset: Any, args: tuple[Any, ...], kwargs: dict[str, Any], limit: int
) -> Any:
    """Run ``await queryset.aget(**kwargs)`` the short way, or return NO_FAST_PATH."""
    planned = _plan(queryset, args, kwargs, limit)
    if planned is None:
        return NO_FAST_PATH
    connection, using, statement, parameters, compiler = planned
    result = await connection.aexecute(statement, parameters)
    results = build_results(queryset, compiler, result, using)
    if len(results) == 1:
        return results[0]
    return single_result(queryset.model, results, limit)


def _plan(
    queryset: Any, args: tuple[Any, ...], kwargs: dict[str, Any], limit: int
) -> tuple[Any, str, Any, Any, Any] | None:
    """(connection, alias, statement, parameters, compiler) of the short way.

    None when the queryset or the lookup is anything unusual.
    """
    if (
        args
        or len(kwargs) != 1
        or queryset._iterable_class is not ModelIterable
        or queryset._prefetch_related_lookups
        or queryset._sticky_filter
    ):
        return None
    # _is_stock(), inlined (one call less on every get()).
    cls = type(queryset)
    stock = _stock or _load_stock()
    if (
        cls._get_operation is not stock[0]
        or cls._fetch_operation is not stock[1]
        or cls._chain is not stock[2]
        or cls._clone is not stock[3]
        or cls.query is not stock[4]
        or cls.db is not stock[5]
    ):
        return None
    # QuerySet.db prefers the explicit alias too; skip its router import.
    using = queryset._db or queryset.db
    connection = connections[using]
    # The stock ``query`` property (checked above), without its call.
    query = queryset._query if queryset._query_factory is None else queryset.query
    ((name, value),) = kwargs.items()
    if hasattr(value, "_meta"):
        # get(author=book) is refused, as filter() refuses it.
        check_related_values(query.model, name, value)
    fast = fast_get_statement(query, connection, name, value, limit)
    if fast is None:
        return None
    return connection, using, *fast
