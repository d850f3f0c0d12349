"""Turn result rows into instances, dicts, tuples or flat values.

The model builder is the hot path of every fetch: it fills ``__dict__``
directly (no __init__, no descriptors) unless init signals are connected or
``from_db`` is overridden.
"""

from __future__ import annotations

from collections import namedtuple
from typing import TYPE_CHECKING, Any

from manouche.db.models import signals

if TYPE_CHECKING:
    from manouche.db.models.query import QuerySet
    from manouche.db.models.sql.compiler import SQLCompiler

# Model.from_db's function, set by manouche.db.models.base (import cycle).
BASE_FROM_DB: Any = None

__all__ = [
    "FlatValuesListIterable",
    "ModelIterable",
    "NamedValuesListIterable",
    "ValuesIterable",
    "ValuesListIterable",
]


def _build_models(
    queryset: QuerySet, compiler: SQLCompiler, rows: list[Any], db: str
) -> list[Any]:
    info = compiler.klass_info
    assert info is not None
    model = info.model
    attnames = info.attnames
    annotations = compiler.annotation_positions
    if (
        getattr(model.from_db, "__func__", None) is BASE_FROM_DB
        and not signals.pre_init.receivers
        and not signals.post_init.receivers
    ):
        new = model.__new__
        end = info.end
        results: list[Any] = []
        append = results.append
        # zip() without keywords: passing strict= takes a slow call path that
        # costs more than the rest of this loop.
        if end == len(attnames) and not info.related and not annotations:
            for row in rows:
                obj = new(model)
                data = obj.__dict__
                data.update(zip(attnames, row))  # noqa: B905
                data["_state_db"] = db
                append(obj)
        else:
            for row in rows:
                obj = new(model)
                data = obj.__dict__
                data.update(zip(attnames, row[:end]))  # noqa: B905
                data["_state_db"] = db
                append(obj)
    else:
        results = [model.from_db(db, attnames, row[: info.end]) for row in rows]
    if info.related:
        for obj, row in zip(results, rows, strict=True):
            _attach_related(obj, row, info.related, db)
    if annotations:
        for obj, row in zip(results, rows, strict=True):
            data = obj.__dict__
            for name, index in annotations:
                data[name] = row[index]
    known = queryset._known_related_objects
    if known:
        for field, objects in known.items():
            for obj in results:
                value = getattr(obj, field.attname)
                if value in objects:
                    obj._state.fields_cache[field.name] = objects[value]
    return results


def _attach_related(obj: Any, row: Any, related: list[Any], db: str) -> None:
    for info in related:
        values = row[info.start : info.end]
        pk_index = info.attnames.index(info.model._meta.pk.attname)
        if values[pk_index] is None:
            related_obj = None
        else:
            related_obj = info.model.from_db(db, info.attnames, values)
        field = info.field
        attach = getattr(field, "attach_selected", None)
        if attach is not None:
            attach(obj, related_obj)  # e.g. a FilteredRelation alias
        elif info.reverse:
            obj._state.fields_cache[field.get_cache_name()] = related_obj
            if related_obj is not None:
                related_obj._state.fields_cache[field.field.name] = obj
        else:
            obj._state.fields_cache[field.name] = related_obj
            if related_obj is not None and field.one_to_one:
                remote = field.remote_field
                related_obj._state.fields_cache[remote.get_cache_name()] = obj
        if related_obj is not None and info.related:
            _attach_related(related_obj, row, info.related, db)


def _build_values(
    queryset: QuerySet, compiler: SQLCompiler, rows: list[Any], db: str
) -> list[Any]:
    names = queryset.query.values_names
    return [dict(zip(names, row)) for row in rows]  # noqa: B905 (speed)


def _build_values_list(
    queryset: QuerySet, compiler: SQLCompiler, rows: list[Any], db: str
) -> list[Any]:
    # Users get real tuples (the database layer may hand over Row objects).
    return [row if type(row) is tuple else tuple(row) for row in rows]


def _build_flat(
    queryset: QuerySet, compiler: SQLCompiler, rows: list[Any], db: str
) -> list[Any]:
    return [row[0] for row in rows]


def _build_named(
    queryset: QuerySet, compiler: SQLCompiler, rows: list[Any], db: str
) -> list[Any]:
    names = queryset.query.values_names
    row_class = namedtuple("Row", names)  # type: ignore[misc]
    new = tuple.__new__
    return [new(row_class, row) for row in rows]


class ModelIterable:
    """Marker for QuerySets yielding model instances."""

    build = staticmethod(_build_models)


class ValuesIterable:
    """Marker for values()."""

    build = staticmethod(_build_values)


class ValuesListIterable:
    """Marker for values_list()."""

    build = staticmethod(_build_values_list)


class FlatValuesListIterable:
    """Marker for values_list(flat=True)."""

    build = staticmethod(_build_flat)


class NamedValuesListIterable:
    """Marker for values_list(named=True)."""

    build = staticmethod(_build_named)
