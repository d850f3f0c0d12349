"""Row-to-instance builders, generated once per model and column layout.

Turning rows into instances is the hot loop of every fetch. A generic loop
(``obj.__dict__.update(zip(attnames, row))``) pays for a zip object, a
dict update and the name tuple walk on every row; a function written for
one layout unpacks the row into locals and stores each value under a
constant key, which is close to twice as fast. The source is generated from
the attribute names (as ``repr`` string constants, never as code) and the
function is cached on the model's ``_meta``.

Builders only cover instances that need no ``__init__``: the caller decides
per fetch whether that holds (``from_db`` not overridden, no init signal
receivers), so a receiver connected later is honoured by the next fetch.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

__all__ = ["RowsBuilder", "rows_builder"]

# (rows, db) -> one instance per row (None where ``nullable`` and no pk).
RowsBuilder = Callable[[Sequence[Any], Any], list[Any]]

_MAX_BUILDERS = 64


def _source(
    attnames: Sequence[str], start: int, whole_row: bool, pk_index: int | None
) -> str:
    """The source of a builder for this layout (see ``rows_builder``)."""
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
    if pk_index is not None:
        lines += [
            f"        if {names[pk_index]} is None:",
            "            append(None)",
            "            continue",
        ]
    lines += ["        obj = new(model)", "        data = obj.__dict__"]
    lines.extend(
        f"        data[{attname!r}] = {name}"
        for attname, name in zip(attnames, names, strict=True)
    )
    lines += [
        "        data['_state_db'] = db",
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
    """
    key = (tuple(attnames), start, whole_row, nullable)
    cache: dict[Any, RowsBuilder] = model._meta.__dict__.setdefault(
        "_rows_builders", {}
    )
    builder = cache.get(key)
    if builder is None:
        pk_index = attnames.index(model._meta.pk.attname) if nullable else None
        if not attnames:
            whole_row = False
        namespace: dict[str, Any] = {"new": model.__new__, "model": model}
        source = _source(attnames, start, whole_row, pk_index)
        exec(compile(source, f"<{model.__name__} rows builder>", "exec"), namespace)
        builder = namespace["build"]
        if len(cache) >= _MAX_BUILDERS:
            cache.clear()
        cache[key] = builder
    return builder
