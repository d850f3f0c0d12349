"""Django's ``as_sql(compiler, connection)`` protocol on top of SQLAlchemy.

Custom lookups, transforms and functions written for Django return SQL text
and a parameter list: ``"UPPER(%s)" % lhs, params``. manouche compiles to
SQLAlchemy elements instead, so this module bridges the two:

* the ``compiler`` handed to ``as_sql`` has ``compile(node)``. A node with its
  own ``as_sql`` is rendered by it; any other node is compiled natively and
  stands in the text as an opaque marker (with no parameters of its own);
* the returned text is then split on markers, ``%s`` (one parameter each, in
  order) and ``%%`` (a literal percent sign) into a SQLAlchemy element whose
  parameters stay bound: values are never interpolated into the SQL.

Vendor variants (``as_sqlite``, ``as_postgresql``, ``as_mysql``) are preferred
over ``as_sql`` as Django does. Classes outside manouche that define any of
them compile through here automatically (``Expression.__init_subclass__``).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement

from manouche.db.models._expression_converters import result_type

__all__ = [
    "SQL_HOOKS",
    "AsSQLCompiler",
    "bridged_as_sa",
    "format_sql",
    "has_late_sql_hook",
    "native_as_sa",
    "sql_hook",
]

SQL_HOOKS = ("as_sql", "as_sqlite", "as_postgresql", "as_mysql")
_MARKER = "\x00{}\x00"
_PIECES = re.compile(r"\x00(\d+)\x00|%%|%s")


class SQLFragment(ColumnElement[Any]):
    """SQL text with embedded SQLAlchemy elements and bound parameters."""

    inherit_cache = False

    def __init__(self, parts: Sequence[Any], type_: Any = None) -> None:
        self.parts = list(parts)
        self.type = type_ if type_ is not None else sa.types.NullType()


@compiles(SQLFragment)
def _render_fragment(element: SQLFragment, compiler: Any, **kw: Any) -> str:
    # Literal percent signs must be doubled where the driver formats "%s".
    double = compiler.dialect.paramstyle in ("format", "pyformat")
    out = []
    for part in element.parts:
        if isinstance(part, str):
            out.append(part.replace("%", "%%") if double else part)
        else:
            out.append(compiler.process(part, **kw))
    return "".join(out)


def format_sql(element: Any, dialect: Any) -> tuple[str, list[Any]]:
    """Compile ``element`` for ``dialect`` with ``%s`` placeholders, in order."""
    positional = copy.copy(dialect)
    positional.paramstyle = "format"
    positional.positional = True
    compiled = element.compile(
        dialect=positional, compile_kwargs={"render_postcompile": True}
    )
    params = compiled.params
    return str(compiled), [params[name] for name in compiled.positiontup or ()]


def sql_hook(node: Any, vendor: str) -> Any:
    """Return ``node``'s vendor-specific or generic ``as_sql`` method, if any."""
    for name in (f"as_{vendor}", "as_sql"):
        method = getattr(node, name, None)
        if method is not None and not getattr(method, "native_sql", False):
            return method
    return None


class AsSQLCompiler:
    """The ``compiler`` argument of ``as_sql``: compiles nodes to (sql, params).

    ``standalone`` (``query.get_compiler()``) renders real SQL text with
    ``%s`` placeholders, for code reading the SQL rather than running it.
    """

    def __init__(self, compiler: Any, standalone: bool = False) -> None:
        self.compiler = compiler
        self.connection = compiler.connection
        self.standalone = standalone
        self.elements: list[Any] = []

    def embed(self, element: Any) -> str:
        """Return a marker standing for a SQLAlchemy ``element`` in SQL text."""
        self.elements.append(element)
        return _MARKER.format(len(self.elements) - 1)

    def render(self, element: Any) -> tuple[str, list[Any]]:
        """Return SQL text and parameters standing for a SQLAlchemy ``element``."""
        if not self.standalone:
            return self.embed(element), []
        return format_sql(element, self.connection.dialect)

    def as_sql(self) -> tuple[str, tuple[Any, ...]]:
        """Return the query's SELECT as ``(sql, params)``."""
        sql, params = format_sql(self.compiler.as_select(), self.connection.dialect)
        return sql, tuple(params)

    def compile(self, node: Any, **extra: Any) -> tuple[str, list[Any]]:
        """Render ``node`` as SQL text and parameters."""
        hook = sql_hook(node, self.compiler.vendor)
        if hook is not None:
            sql, params = hook(self, self.connection, **extra)
            return sql, list(params)
        return self.render(self.compiler.compile_expression(node))

    def quote_name_unless_alias(self, name: str) -> str:
        """Quote a table or column name for the connection's database."""
        return str(self.connection.ops.quote_name(name))

    __call__ = quote_name_unless_alias

    def fragment(self, sql: str, params: Sequence[Any], type_: Any = None) -> Any:
        """Turn ``as_sql``'s result into a SQLAlchemy element."""
        parts: list[Any] = []
        values = list(params)
        used = 0
        position = 0
        for match in _PIECES.finditer(sql):
            parts.append(sql[position : match.start()])
            position = match.end()
            if match.group(1) is not None:
                parts.append(self.elements[int(match.group(1))])
            elif match.group(0) == "%%":
                parts.append("%")
            else:
                if used >= len(values):
                    raise ValueError(
                        "as_sql() returned more %s placeholders than parameters: "
                        f"{sql!r}"
                    )
                parts.append(sa.bindparam(None, values[used], unique=True))
                used += 1
        parts.append(sql[position:])
        if used != len(values):
            raise ValueError(
                f"as_sql() returned {len(values)} parameters for {used} placeholders."
            )
        return SQLFragment([p for p in parts if not isinstance(p, str) or p], type_)


def native_as_sa(node: Any, compiler: Any) -> Any:
    """Compile ``node`` with the first built-in ``as_sa`` of its class chain."""
    for klass in type(node).__mro__:
        method = klass.__dict__.get("as_sa")
        if method is not None and method is not bridged_as_sa:
            return method(node, compiler)
    raise TypeError(f"{type(node).__name__} cannot be compiled")


def has_late_sql_hook(node: Any, vendor: str) -> bool:
    """Tell whether ``node``'s class got an ``as_sql`` hook after its creation.

    ``setattr(MySum, "as_sqlite", f)`` on an existing class is not seen by
    ``Expression.__init_subclass__``: a hook defined below the class whose
    native ``as_sa`` would run must go through the bridge.
    """
    mro = type(node).__mro__
    as_sa_owner = next((k for k in mro if "as_sa" in k.__dict__), None)
    if as_sa_owner is None or as_sa_owner.__dict__["as_sa"] is bridged_as_sa:
        return False
    for name in (f"as_{vendor}", "as_sql"):
        owner = next((k for k in mro if name in k.__dict__), None)
        if owner is None or getattr(owner.__dict__[name], "native_sql", False):
            continue
        return owner is not as_sa_owner and issubclass(owner, as_sa_owner)
    return False


def bridged_as_sa(node: Any, compiler: Any) -> Any:
    """``as_sa`` of classes defining ``as_sql``: run it and wrap the result."""
    bridge = AsSQLCompiler(compiler)
    hook = sql_hook(node, compiler.vendor)
    if hook is None:
        return native_as_sa(node, compiler)
    sql, params = hook(bridge, bridge.connection)
    return bridge.fragment(sql, params, result_type(node))
