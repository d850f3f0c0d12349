"""``str(queryset.query)``: the SQL with its parameters written in.

For reading and debugging only (values are shown with ``str()``, unquoted,
as Django shows them); never execute the result.
"""

from __future__ import annotations

from typing import Any


def display_sql(statement: Any, dialect: Any) -> str:
    """Return ``statement`` compiled for ``dialect`` with parameters filled in.

    Falls back to the placeholders when the parameters cannot be matched up.
    """
    compiled = statement.compile(
        dialect=dialect, compile_kwargs={"render_postcompile": True}
    )
    sql = str(compiled)
    params = compiled.params
    style = getattr(dialect, "paramstyle", "")
    order = getattr(compiled, "positiontup", None)
    try:
        if style == "qmark" and order is not None:
            pieces = sql.split("?")
            if len(pieces) != len(order) + 1:
                return sql
            values = [str(params[name]) for name in order]
            return pieces[0] + "".join(
                value + piece for value, piece in zip(values, pieces[1:], strict=True)
            )
        if style == "format" and order is not None:
            return sql % tuple(str(params[name]) for name in order)
        if style == "pyformat":
            return sql % {name: str(value) for name, value in params.items()}
    except (KeyError, TypeError, ValueError):
        return sql
    return sql
