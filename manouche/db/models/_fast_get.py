"""A short path for the commonest ``get()``: one keyword, a plain queryset.

``Model.objects.get(pk=...)`` normally clones the queryset, builds a Q,
clears the ordering, sets the limit and drives an operation generator; all
of that only to pick a statement that ``sql._fast`` already caches. Here the
cached statement is looked up straight from the keyword and executed, and
the rows go through the same builder as any fetch. Anything unusual (more
filters, prefetching, an overridden queryset, an async caller) answers
``NO_FAST_PATH`` and takes the general route, so behaviour is the same.
"""

from __future__ import annotations

from typing import Any

from manouche.db import connections
from manouche.db.models._io import in_async_context
from manouche.db.models._iterables import ModelIterable
from manouche.db.models.sql._fast import fast_get_statement

__all__ = ["NO_FAST_PATH", "fast_get", "single_result"]

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


def _is_stock(cls: type) -> bool:
    """Tell whether ``cls`` gets objects the way QuerySet does.

    Checked on every call rather than cached per class, so an override or a
    patch applied later is always seen.
    """
    global _stock
    if not _stock:
        from manouche.db.models.query import QuerySet

        _stock = tuple(getattr(QuerySet, name) for name in _STOCK_ATTRIBUTES)
    get_operation, fetch_operation, chain, clone, query, db = _stock
    return (
        cls._get_operation is get_operation  # type: ignore[attr-defined]
        and cls._fetch_operation is fetch_operation  # type: ignore[attr-defined]
        and cls._chain is chain  # type: ignore[attr-defined]
        and cls._clone is clone  # type: ignore[attr-defined]
        and cls.query is query  # type: ignore[attr-defined]
        and cls.db is db  # type: ignore[attr-defined]
    )


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
    if (
        args
        or len(kwargs) != 1
        or queryset._iterable_class is not ModelIterable
        or queryset._prefetch_related_lookups
        or queryset._sticky_filter
        or not _is_stock(type(queryset))
        or in_async_context()
    ):
        return NO_FAST_PATH
    # QuerySet.db prefers the explicit alias too; skip its router import.
    using = queryset._db or queryset.db
    connection = connections[using]
    for name, value in kwargs.items():
        fast = fast_get_statement(queryset.query, connection, name, value, limit)
        break
    if fast is None:
        return NO_FAST_PATH
    statement, parameters, compiler = fast
    result = connection.execute(statement, parameters)
    results = ModelIterable.build(queryset, compiler, result.rows, using)
    return single_result(queryset.model, results, limit)
