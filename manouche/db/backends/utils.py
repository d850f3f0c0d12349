"""Cursor wrappers for raw SQL and helpers to display executed queries.

``CursorWrapper`` gives every backend Django's cursor: ``%s`` placeholders
(translated to the driver's style), errors normalised, execute wrappers
applied and queries logged. Display helpers never reach the database.
"""

from __future__ import annotations

import datetime
import decimal
import logging
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from manouche.db.backends.base.base import BaseDatabaseWrapper

__all__ = [
    "CursorDebugWrapper",
    "CursorWrapper",
    "interpolate",
    "quote_for_display",
    "split_identifier",
    "truncate_name",
]

logger = logging.getLogger("manouche.db.backends")


def quote_for_display(value: Any) -> str:
    """Render a parameter as an SQL literal, for logs only (never executed)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float, decimal.Decimal)):
        return str(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return "X'" + bytes(value).hex() + "'"
    if isinstance(value, (datetime.date, datetime.time, uuid.UUID)):
        value = str(value)
    text = str(value)
    return "'" + text.replace("'", "''") + "'"


def interpolate(sql: str, params: Any, paramstyle: str) -> str:
    """Return ``sql`` with ``params`` written in, for queries logs and debugging."""
    if not params:
        return sql
    try:
        if isinstance(params, Mapping):
            quoted = {key: quote_for_display(value) for key, value in params.items()}
            if paramstyle == "named":
                for key in sorted(quoted, key=len, reverse=True):
                    sql = sql.replace(f":{key}", quoted[key])
                return sql
            return sql % quoted
        values = [quote_for_display(value) for value in params]
        if paramstyle == "qmark":
            parts = sql.split("?")
            if len(parts) != len(values) + 1:
                return f"{sql} -- params: {params!r}"
            out = [parts[0]]
            for value, part in zip(values, parts[1:], strict=True):
                out.append(value)
                out.append(part)
            return "".join(out)
        return sql % tuple(values)
    except (TypeError, ValueError, KeyError):
        return f"{sql} -- params: {params!r}"


def truncate_name(identifier: str, length: int | None = None, hash_len: int = 4) -> str:
    """Shorten ``identifier`` to ``length`` characters, keeping it unique by hash."""
    import hashlib

    namespace, name = split_identifier(identifier)
    if length is None or len(name) <= length:
        return identifier
    digest = hashlib.md5(name.encode(), usedforsecurity=False).hexdigest()[:hash_len]
    short = f"{name[: length - hash_len]}{digest}"
    return f'{namespace}"."{short}' if namespace else short


def split_identifier(identifier: str) -> tuple[str, str]:
    """Split ``'namespace"."name'`` into its two parts ('' when no namespace)."""
    try:
        namespace, name = identifier.split('"."')
    except ValueError:
        return "", identifier
    return namespace.strip('"'), name.strip('"')


class CursorWrapper:
    """A DBAPI cursor with ``%s`` placeholders, normalised errors and wrappers."""

    def __init__(self, cursor: Any, db: BaseDatabaseWrapper) -> None:
        self.cursor = cursor
        self.db = db

    WRAP_ERROR_ATTRS = frozenset(["fetchone", "fetchmany", "fetchall", "nextset"])

    def __getattr__(self, attr: str) -> Any:
        value = getattr(self.cursor, attr)
        if attr in CursorWrapper.WRAP_ERROR_ATTRS:
            return self.db.wrap_database_errors(value)
        return value

    def __iter__(self) -> Iterator[Any]:
        with self.db.wrap_database_errors:
            yield from self.cursor

    def __enter__(self) -> CursorWrapper:
        return self

    def __exit__(self, *exc_info: object) -> None:
        try:
            self.close()
        except self.db.Database.Error:
            pass

    def close(self) -> None:
        """Close the cursor (safe to call twice)."""
        try:
            self.cursor.close()
        except Exception:
            pass

    @property
    def rowcount(self) -> int:
        """Rows affected by the last statement (-1 when unknown)."""
        return int(self.cursor.rowcount)

    @property
    def lastrowid(self) -> Any:
        """The primary key the driver reports for the last INSERT."""
        return self.cursor.lastrowid

    @property
    def description(self) -> Any:
        """The DBAPI description of the last result."""
        return self.cursor.description

    def callproc(
        self, procname: str, params: Sequence[Any] | None = None, kparams: Any = None
    ) -> Any:
        """Call a stored procedure (where the driver can)."""
        self.db.validate_no_broken_transaction()
        with self.db.wrap_database_errors:
            if params is None:
                return self.cursor.callproc(procname)
            return self.cursor.callproc(procname, params)

    def execute(self, sql: str, params: Any = None) -> CursorWrapper:
        """Run ``sql`` with ``%s`` placeholders bound to ``params``."""
        self._run_through_wrappers(sql, params, False, self._execute)
        return self

    def executemany(self, sql: str, param_list: Any) -> CursorWrapper:
        """Run ``sql`` once per parameter sequence in ``param_list``."""
        self._run_through_wrappers(sql, param_list, True, self._executemany)
        return self

    def _run_through_wrappers(
        self, sql: str, params: Any, many: bool, executor: Callable[..., Any]
    ) -> Any:
        wrappers = self.db.execute_wrappers
        if not wrappers:
            return executor(sql, params, many, {})
        context = {"connection": self.db, "cursor": self}
        for wrapper in reversed(wrappers):
            executor = _bind_wrapper(wrapper, executor)
        return executor(sql, params, many, context)

    def _execute(self, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.db.prepare_for_query()
        sql, params = self.db.ops.adapt_raw_query(sql, params)
        with self.db.wrap_database_errors:
            if params is None:
                return self.cursor.execute(sql)
            return self.cursor.execute(sql, params)

    def _executemany(self, sql: str, param_list: Any, many: bool, context: Any) -> Any:
        self.db.prepare_for_query()
        param_list = list(param_list)
        sql, _ = self.db.ops.adapt_raw_query(sql, param_list[0] if param_list else ())
        converted = [self.db.ops.adapt_raw_query("", p)[1] for p in param_list]
        with self.db.wrap_database_errors:
            return self.cursor.executemany(sql, converted)


def _bind_wrapper(
    wrapper: Callable[..., Any], inner: Callable[..., Any]
) -> Callable[..., Any]:
    def call(sql: Any, params: Any, many: bool, context: Any) -> Any:
        return wrapper(inner, sql, params, many, context)

    return call


class CursorDebugWrapper(CursorWrapper):
    """A cursor that also records each query in ``connection.queries_log``."""

    def execute(self, sql: str, params: Any = None) -> CursorDebugWrapper:
        """Run and log ``sql``."""
        with self._logged(sql, params, many=False):
            super().execute(sql, params)
        return self

    def executemany(self, sql: str, param_list: Any) -> CursorDebugWrapper:
        """Run and log ``sql`` for each parameter set."""
        param_list = list(param_list)
        with self._logged(sql, param_list, many=True):
            super().executemany(sql, param_list)
        return self

    def _logged(self, sql: str, params: Any, many: bool) -> Any:
        return _QueryTimer(self.db, sql, params, many)


class _QueryTimer:
    """Time a raw query and log it in the connection's queries log."""

    def __init__(self, db: BaseDatabaseWrapper, sql: str, params: Any, many: bool):
        self.db = db
        self.sql = sql
        self.params = params
        self.many = many

    def __enter__(self) -> None:
        self.start = time.monotonic()

    def __exit__(self, *exc_info: object) -> None:
        duration = time.monotonic() - self.start
        if self.many:
            count = len(self.params) if self.params is not None else 0
            text = f"{count} times: {self.sql}"
        else:
            text = interpolate(self.sql, self.params, "format")
        self.db.log_query(text, duration, self.params)
