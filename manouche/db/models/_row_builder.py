"""Row-to-instance builders, generated once per model and column layout.

Turning rows into instances is the hot loop of every fetch. A generic loop
(``obj.__dict__.update(zip(attnames, row))``) pays for a zip object, a
dict update and the name tuple walk on every row; a function written for
one layout unpacks the row into locals and stores each value under a
constant key, which is close to twice as fast. The source is generated from
the attribute names (as ``repr`` string constants, never as code) and the
function is cached on the model's ``_meta``.

Values are stored with plain attribute assignment where that is provably
the same as writing ``__dict__`` (the model keeps ``object.__setattr__``
and the class holds no data descriptor under that name): the interpreter
specialises such stores, which beats a dict store by ~20% of the loop and
skips building the dict until something asks for it.

A builder may also convert values on the way (``converters``: the result
processors of a replayed statement, see ``ExecutionResult``): calling each
one while storing the value spares a second pass rebuilding every row.
The converters are bound into the function's namespace, never its source.

Builders only cover instances that need no ``__init__``: the caller decides
per fetch whether that holds (``from_db`` not overridden, no init signal
receivers), so a receiver connected later is honoured by the next fetch.
"""

from __future__ import annotations

import keyword
from collections.abc import Callable, Sequence
from typing import Any

__all__ = ["RowsBuilder", "rows_builder"]

# (rows, db) -> one instance per row (None where ``nullable`` and no pk).
RowsBuilder = Callable[[Sequence[Any], Any], list[Any]]

_MAX_BUILDERS = 64


def _plain_store(model: Any, name: str) -> bool:
    """Whether ``obj.<name> = v`` on an instance equals ``obj.__dict__[name] = v``."""
    if not name.isidentifier() or keyword.iskeyword(name) or name.startswith("__"):
        return False
    if _class_attribute(model, "__setattr__") is not object.__dict__["__setattr__"]:
        return False
    kind = type(_class_attribute(model, name))
    return not (hasattr(kind, "__set__") or hasattr(kind, "__delete__"))


def _class_attribute(model: Any, name: str) -> Any:
    """What ``name`` resolves to on ``model``'s MRO, without running descriptors."""
    for klass in model.__mro__:
        if name in klass.__dict__:
            return klass.__dict__[name]
    return None


def _store(model: Any, name: str, value: str) -> str:
    if _plain_store(model, name):
        return f"        obj.{name} = {value}"
    return f"        data[{name!r}] = {value}"


def _source(
    model: Any,
    attnames: Sequence[str],
    start: int,
    whole_row: bool,
    pk_index: int | None,
    converters: Sequence[Any] | None = None,
) -> str:
    """The source of a builder for this layout (see ``rows_builder``).

    ``converters`` here line up with ``attnames`` (not with the row).
    """
    lines = [
        "def build(rows, db):",
        "    out = []",
        "    append = out.append",
    ]
    names = [f"v{index}" for index in range(len(attnames))]
    if whole_row:
        # Unpacking a row of exactly these columns beats indexing it.
        target = names[0] + "," if len(names) == 1 else ", ".join(names)
        lines.append(f"    for {target} in rows:")
    else:
        lines.append("    for row in rows:")
        lines.extend(
            f"        {name} = row[{start + index}]" for index, name in enumerate(names)
        )
    values = list(names)
    if converters is not None:
        for index, convert in enumerate(converters):
            if convert is not None:
                values[index] = f"c{index}({names[index]})"
    if pk_index is not None:
        if values[pk_index] != names[pk_index]:
            # The absent-object test looks at the converted key.
            lines.append(f"        {names[pk_index]} = {values[pk_index]}")
            values[pk_index] = names[pk_index]
        lines += [
            f"        if {names[pk_index]} is None:",
            "            append(None)",
            "            continue",
        ]
    lines.append("        obj = new(model)")
    stores = [
        _store(model, attname, value)
        for attname, value in zip(attnames, values, strict=True)
    ]
    stores.append(_store(model, "_state_db", "db"))
    if any(store.startswith("        data[") for store in stores):
        lines.append("        data = obj.__dict__")
    lines += [
        *stores,
        "        append(obj)",
        "    return out",
    ]
    return "\n".join(lines) + "\n"


def rows_builder(
    model: Any,
    attnames: Sequence[str],
    start: int = 0,
    whole_row: bool = False,
    nullable: bool = False,
    converters: Sequence[Any] | None = None,
) -> RowsBuilder:
    """Return a function building ``model`` instances from rows.

    Args:
        model: the class to instantiate (``__init__`` is not run).
        attnames: the attributes filled from consecutive columns.
        start: the index of the first of those columns in each row.
        whole_row: every row holds exactly these columns (from 0), which
            allows unpacking instead of indexing.
        nullable: yield None for a row whose primary key column is NULL
            (an absent select_related object).
        converters: one callable (or None: kept as is) per column of the
            row, applied to each value before it is stored (and before
            the nullable check).
    """
    used = None
    if converters is not None:
        used = tuple(converters[start : start + len(attnames)])
        if not any(used):
            used = None
    key = (tuple(attnames), start, whole_row, nullable, used)
    cache: dict[Any, RowsBuilder] = model._meta.__dict__.setdefault(
        "_rows_builders", {}
    )
    try:
        builder = cache.get(key)
    except TypeError:  # an unhashable converter: build without caching
        builder = None
        cache = {}
    if builder is None:
        pk_index = attnames.index(model._meta.pk.attname) if nullable else None
        if not attnames:
            whole_row = False
        namespace: dict[str, Any] = {"new": model.__new__, "model": model}
        if used is not None:
            namespace.update(
                (f"c{index}", convert) for index, convert in enumerate(used)
            )
        source = _source(model, attnames, start, whole_row, pk_index, used)
        exec(compile(source, f"<{model.__name__} rows builder>", "exec"), namespace)
        builder = namespace["build"]
        if len(cache) >= _MAX_BUILDERS:
            cache.clear()
        cache[key] = builder
    return builder
