"""Hot SELECTs run as our own prepared statements through psycopg's libpq layer.

A replayed primary-key lookup is bound by its round trip, and on the client
most of its time goes to psycopg's cursor machinery (query conversion,
execute generators, the wait loop, result bookkeeping). A statement seen
often enough is instead prepared once per driver connection under a name of
ours and run with ``PGconn.exec_prepared`` (libpq's blocking call: the GIL
is released while it waits) on the sync path, or sent without blocking and
awaited with the connection's own ``wait`` on the async path; the rows are
loaded by a psycopg ``Transformer``, the very code the cursor uses.

Only outside transactions (the server session is idle): there a failed
statement aborts nothing, so a statement the server lost (``DEALLOCATE ALL``
- which psycopg itself sends after a ROLLBACK or DDL -, ``DISCARD ALL``) or
whose cached plan no longer fits (DDL) is forgotten and retried once on the
cursor path. Inside a transaction the same failure would abort it, so the
cursor path is kept there. Connections whose ``prepare_threshold`` is None
(PgBouncer in transaction mode) or that use another row factory or a
pipeline also keep the cursor path.
"""

from __future__ import annotations

import threading
import weakref
from typing import Any

from psycopg import errors, pq
from psycopg.adapt import PyFormat, Transformer
from psycopg.generators import execute
from psycopg.rows import tuple_row

from manouche.db.backends.base._results import _KEEP_CURSOR_ROWS

__all__ = ["PreparedStatements", "arun_prepared", "run_prepared"]

_TUPLES_OK = pq.ExecStatus.TUPLES_OK
_COMMAND_OK = pq.ExecStatus.COMMAND_OK
_FATAL_ERROR = pq.ExecStatus.FATAL_ERROR
_IDLE = pq.TransactionStatus.IDLE
_CONNECTION_OK = pq.ConnStatus.OK
_PIPELINE_OFF = pq.PipelineStatus.OFF
_BINARY = pq.Format.BINARY
_TEXT = pq.Format.TEXT

# SQLSTATEs meaning "the server no longer has this statement as prepared".
_GONE = "26000"  # invalid_sql_statement_name: DEALLOCATE ALL, DISCARD ALL
_STALE = "0A000"  # feature_not_supported: "cached plan must not change result type"
_STALE_STATE = _STALE.encode()

# At most this many of our statements per connection (the oldest goes).
MAX_PREPARED = 128

_sessions: weakref.WeakKeyDictionary[Any, PreparedStatements] = (
    weakref.WeakKeyDictionary()
)
_sessions_lock = threading.Lock()


def to_dollar_placeholders(sql: str) -> str:
    """``sql`` (only ``%s`` and ``%%`` placeholders) in PostgreSQL's ``$n`` form."""
    parts = sql.split("%%")
    number = 0
    converted = []
    for part in parts:
        pieces = part.split("%s")
        text = pieces[0]
        for piece in pieces[1:]:
            number += 1
            text += f"${number}" + piece
        converted.append(text)
    return "%".join(converted)


class PreparedStatements:
    """Our named prepared statements on one psycopg connection.

    Lives as long as the driver connection (a weak key): a closed or new
    connection starts empty. Names carry a per-connection counter and are
    never reused, so a statement the server kept while we forgot it cannot
    clash with a new one. Only bookkeeping here: the I/O is the sync or the
    async caller's.
    """

    __slots__ = ("_counter", "_formats", "_names", "adapters", "encoding", "tx")

    def __init__(self, raw: Any) -> None:
        self._names: dict[tuple[str, tuple[int, ...]], bytes] = {}
        self._counter = 0
        self._formats: dict[int, list[PyFormat]] = {}
        self.adapters: Any = None
        self.tx: Any = None
        self.encoding: str = raw.info.encoding
        self.transformer(raw)

    def transformer(self, raw: Any) -> Any:
        """The session's Transformer, new whenever the connection's adapters are."""
        if self.adapters is not raw.adapters:
            self.tx = Transformer.from_context(raw)
            self.adapters = raw.adapters
        return self.tx

    def formats(self, count: int) -> list[PyFormat]:
        """What ``%s`` asks psycopg for: the best format for each value."""
        formats = self._formats.get(count)
        if formats is None:
            formats = self._formats[count] = [PyFormat.AUTO] * count
        return formats

    def reserve(
        self, key: tuple[str, tuple[int, ...]]
    ) -> tuple[bytes, bytes, bytes | None]:
        """A new name for ``key``'s statement, its query text, and a name to free.

        The name to free is the oldest statement's once ``MAX_PREPARED`` are
        kept (already forgotten here; the caller deallocates it).
        """
        evicted = None
        if len(self._names) >= MAX_PREPARED:
            evicted = self._names.pop(next(iter(self._names)))
        self._counter += 1
        name = f"_manouche_{self._counter}".encode()
        query = to_dollar_placeholders(key[0]).encode(self.encoding)
        return name, query, evicted

    def forget(self, name: bytes) -> None:
        """Drop ``name`` (the server lost it, or its plan went stale)."""
        for key, known in self._names.items():
            if known == name:
                del self._names[key]
                break


def session_for(raw: Any) -> PreparedStatements:
    """The prepared statements of driver connection ``raw``."""
    session = _sessions.get(raw)
    if session is None:
        with _sessions_lock:
            session = _sessions.get(raw)
            if session is None:
                session = _sessions[raw] = PreparedStatements(raw)
    return session


def usable(raw: Any) -> bool:
    """Whether ``raw`` may run our prepared statements now (see the module)."""
    pgconn = raw.pgconn
    return (
        pgconn.transaction_status == _IDLE
        and pgconn.status == _CONNECTION_OK
        and pgconn.pipeline_status == _PIPELINE_OFF
        and raw.prepare_threshold is not None
        and raw.row_factory is tuple_row
    )


def _begin(raw: Any, sql: str, parameters: tuple[Any, ...]) -> tuple[Any, ...] | None:
    """(session, transformer, dumped values, statement key), or None.

    None when the values do not dump: the cursor path raises the same error.
    """
    session = session_for(raw)
    tx = session.tx
    if session.adapters is not raw.adapters:
        tx = session.transformer(raw)
    try:
        values = tx.dump_sequence(parameters, session.formats(len(parameters)))
    except Exception:
        return None
    return session, tx, values, (sql, tx.types)


def _prepared(
    session: PreparedStatements,
    key: tuple[str, tuple[int, ...]],
    name: bytes,
    result: Any,
) -> bool:
    """Keep ``name`` if the server prepared it (else the cursor path reports)."""
    if result.status != _COMMAND_OK:
        return False
    session._names[key] = name
    return True


def _rows(
    raw: Any, session: PreparedStatements, tx: Any, name: bytes, result: Any
) -> Any:
    """The rows of ``result``; None if the server lost the statement (forgotten).

    Errors of the statement itself are psycopg's own, built from the result
    as its cursor does.
    """
    if result.status == _TUPLES_OK:
        tx.set_pgresult(result)
        count = result.ntuples
        rows = tx.load_rows(0, count, tuple)
        if count > _KEEP_CURSOR_ROWS:
            tx.set_pgresult(None)  # free a large result now, as the cursor is
        return rows
    _failed(raw, session, result)
    session.forget(name)
    return None


def run_prepared(
    raw: Any, sql: str, parameters: tuple[Any, ...], binary: bool
) -> list[Any] | None:
    """The rows of ``sql`` with ``parameters`` run as our prepared statement.

    None when the cursor path must run it instead: the connection is not
    usable for it (``usable``), the values do not dump, the server refuses
    to prepare it, or it lost the statement (then forgotten, and freed if
    its plan went stale).
    """
    if not usable(raw):
        return None
    pgconn = raw.pgconn
    with raw.lock:
        begun = _begin(raw, sql, parameters)
        if begun is None:
            return None
        session, tx, values, key = begun
        name = session._names.get(key)
        if name is None:
            name, query, evicted = session.reserve(key)
            if evicted is not None:
                pgconn.exec_(b"DEALLOCATE " + evicted)
            result = pgconn.prepare(name, query, param_types=tx.types)
            if not _prepared(session, key, name, result):
                return None
        result = pgconn.exec_prepared(
            name, values, tx.formats, _BINARY if binary else _TEXT
        )
        rows: list[Any] | None = _rows(raw, session, tx, name, result)
        if rows is None and _stale(result) and pgconn.transaction_status == _IDLE:
            pgconn.exec_(b"DEALLOCATE " + name)
        return rows


async def arun_prepared(
    raw: Any, sql: str, parameters: tuple[Any, ...], binary: bool
) -> list[Any] | None:
    """``run_prepared`` on a psycopg ``AsyncConnection``, never blocking the loop.

    The same statements, names, answers and errors; the messages are sent
    without blocking and the answers awaited with the connection's ``wait``
    (which also cancels a query whose task is cancelled, as its cursor does).
    """
    async with raw.lock:
        if not usable(raw):
            return None
        pgconn = raw.pgconn
        begun = _begin(raw, sql, parameters)
        if begun is None:
            return None
        session, tx, values, key = begun
        name = session._names.get(key)
        if name is None:
            name, query, evicted = session.reserve(key)
            if evicted is not None:
                pgconn.send_query(b"DEALLOCATE " + evicted)
                await raw.wait(execute(pgconn))
            pgconn.send_prepare(name, query, param_types=tx.types)
            result = _last(await raw.wait(execute(pgconn)))
            if not _prepared(session, key, name, result):
                return None
        pgconn.send_query_prepared(
            name, values, tx.formats, _BINARY if binary else _TEXT
        )
        result = _last(await raw.wait(execute(pgconn)))
        rows: list[Any] | None = _rows(raw, session, tx, name, result)
        if rows is None and _stale(result) and pgconn.transaction_status == _IDLE:
            pgconn.send_query(b"DEALLOCATE " + name)
            await raw.wait(execute(pgconn))
        return rows


def _last(results: list[Any]) -> Any:
    """The result libpq's blocking calls answer: the first error, else the last."""
    for result in results:
        if result.status == _FATAL_ERROR:
            return result
    return results[-1]


def _stale(result: Any) -> bool:
    """Whether ``result`` failed because the statement's cached plan went stale."""
    state: bytes | None = result.error_field(pq.DiagnosticField.SQLSTATE)
    return state == _STALE_STATE


def _failed(raw: Any, session: PreparedStatements, result: Any) -> None:
    """Return (to retry) for a lost statement, else raise psycopg's error."""
    pgconn = raw.pgconn
    status = result.status
    if status != _FATAL_ERROR:
        raise errors.InternalError(
            f"unexpected result status from query: {pq.ExecStatus(status).name}"
        )
    sqlstate = result.error_field(pq.DiagnosticField.SQLSTATE)
    if sqlstate is None and pgconn.status != _CONNECTION_OK:
        # libpq's own report of a lost connection: psycopg raises this class.
        raise errors.OperationalError(
            f"consuming input failed: {pq.error_message(pgconn, session.encoding)}"
        )
    error = errors.error_from_result(result, encoding=session.encoding)
    if pgconn.transaction_status == _IDLE and sqlstate is not None:
        state = sqlstate.decode("ascii", "replace")
        if state in (_GONE, _STALE):
            return
    raise error
