"""Turn result rows into instances, dicts, tuples or flat values.

The model builder is the hot path of every fetch: it fills ``__dict__``
directly (no __init__, no descriptors) unless init signals are connected or
``from_db`` is overridden.
"""

from __future__ import annotations

import functools
from collections import namedtuple
from typing import TYPE_CHECKING, Any

from manouche.db.models import signals
from manouche.db.models._row_builder import rows_builder

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


def _fast_init(model: Any) -> bool:
    """Whether instances of ``model`` may skip ``__init__`` (see from_db)."""
    return (
        getattr(model.from_db, "__func__", None) is BASE_FROM_DB
        and not signals.pre_init.receivers
        and not signals.post_init.receivers
    )


def _build_models(
    queryset: QuerySet, compiler: SQLCompiler, rows: list[Any], db: str
) -> list[Any]:
    info = compiler.klass_info
    assert info is not None
    model = info.model
    attnames = info.attnames
    annotations = compiler.annotation_positions
    if not rows:
        results: list[Any] = []
    elif _fast_init(model):
        whole_row = len(rows[0]) == len(attnames) == info.end
        results = rows_builder(model, attnames, 0, whole_row)(rows, db)
    else:
        end = info.end
        results = [model.from_db(db, attnames, row[:end]) for row in rows]
    if info.related:
        _attach_related(results, rows, info.related, db)
    if annotations:
        for obj, row in zip(results, rows, strict=True):
            data = obj.__dict__
            for name, index in annotations:
                data[name] = row[index]
    known = queryset._known_related_objects
    if known:
        _attach_known(results, known)
    return results


def _attach_known(results: list[Any], known: dict[Any, dict[Any, Any]]) -> None:
    """Point each object at the related instances the queryset already knows."""
    for field, objects in known.items():
        for obj in results:
            value = getattr(obj, field.attname)
            if value in objects:
                obj._state.fields_cache[field.name] = objects[value]


def build_results(
    queryset: Any, compiler: SQLCompiler, result: Any, db: str
) -> list[Any]:
    """What ``queryset`` yields for ``result`` (an ExecutionResult or NO_ROWS).

    With the stock model builder, the plain layout (the model's own columns,
    no select_related, no annotations, no ``__init__`` needed) goes through
    the generated builder, which also converts a pending result's values
    on the way (one pass over the rows instead of two). Every other case,
    iterable or replaced ``build`` gets converted rows.
    """
    build = queryset._iterable_class.build
    if build is not _build_models:
        return build(queryset, compiler, result.rows, db)  # type: ignore[no-any-return]
    processors = getattr(result, "processors", None)
    rows = result.rows if processors is None else result.raw_rows
    if not rows:
        return []
    info = compiler.klass_info
    assert info is not None
    model = info.model
    if (
        info.related
        or compiler.annotation_positions
        or getattr(model.from_db, "__func__", None) is not BASE_FROM_DB
        or signals.pre_init.receivers
        or signals.post_init.receivers
    ):
        built: list[Any] = _build_models(queryset, compiler, result.rows, db)
        return built
    # A compiler's layout is fixed once compiled; cached compilers (the hot
    # statements of sql._fast) then skip the builder lookup. The builder is
    # checked against the result's processors: a cached statement replays
    # with one plan per connection.
    cached = compiler.__dict__.get("_rows_builder")
    if cached is None or cached[0] is not processors:
        attnames = info.attnames
        whole_row = len(rows[0]) == len(attnames) == info.end
        builder = rows_builder(model, attnames, 0, whole_row, converters=processors)
        cached = compiler.__dict__["_rows_builder"] = (processors, builder)
    results = cached[1](rows, db)
    known = queryset._known_related_objects
    if known:
        _attach_known(results, known)
    return results


def _related_objects(info: Any, rows: list[Any], db: str) -> list[Any]:
    """One select_related object per row (None where the join found none)."""
    model = info.model
    if _fast_init(model):
        return rows_builder(model, info.attnames, info.start, nullable=True)(rows, db)
    pk_index = info.attnames.index(model._meta.pk.attname)
    start, end = info.start, info.end
    objects: list[Any] = []
    for row in rows:
        values = row[start:end]
        if values[pk_index] is None:
            objects.append(None)
        else:
            objects.append(model.from_db(db, info.attnames, values))
    return objects


def _attach_related(
    parents: list[Any], rows: list[Any], related: list[Any], db: str
) -> None:
    """Attach each select_related level to its parents (None parents skipped)."""
    for info in related:
        children = _related_objects(info, rows, db)
        field = info.field
        attach = getattr(field, "attach_selected", None)
        for obj, related_obj in zip(parents, children, strict=True):
            if obj is None:
                continue
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
        if info.related:
            _attach_related(children, rows, info.related, db)


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


def _rebuild_named_row(names: tuple[str, ...], values: tuple[Any, ...]) -> Any:
    """Unpickle a values_list(named=True) row (its class is made per query)."""
    row_class: Any = named_row_class(names)
    return row_class._make(values)


@functools.lru_cache
def named_row_class(names: tuple[str, ...]) -> type:
    """Return the picklable ``Row`` namedtuple class for ``names``."""
    base = namedtuple("Row", names)  # type: ignore[misc]

    def __reduce__(self: Any) -> tuple[Any, ...]:
        return _rebuild_named_row, (self._fields, tuple(self))

    return type("Row", (base,), {"__slots__": (), "__reduce__": __reduce__})


def _build_named(
    queryset: QuerySet, compiler: SQLCompiler, rows: list[Any], db: str
) -> list[Any]:
    names = queryset.query.values_names
    row_class = named_row_class(tuple(names))
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
