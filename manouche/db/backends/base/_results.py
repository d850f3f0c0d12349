"""Results of executed statements and the replay plans of hot SELECTs.

Shared by the sync wrapper (``base.py``) and async execution (``_async.py``),
so both return the same ``ExecutionResult`` and replay hot statements the
same way.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from typing import Any, cast

from sqlalchemy.engine import CursorResult

__all__ = ["ExecutionResult", "PendingResult"]


class ExecutionResult:
    """The fully fetched outcome of one statement.

    ``rows`` are tuple-like sequences (tuples, or SQLAlchemy ``Row`` objects,
    which index, slice, unpack, hash and compare like tuples); code handing
    rows to users as tuples converts them itself.

    ``raw_rows`` are the rows as fetched: the same list, except for a
    ``PendingResult`` (whose ``processors`` are then not None).
    """

    __slots__ = (
        "keys",
        "lastrowid",
        "processors",
        "raw_rows",
        "returned",
        "rowcount",
        "rows",
    )

    def __init__(
        self,
        rows: list[Any],
        rowcount: int,
        lastrowid: Any,
        keys: list[str],
    ) -> None:
        self.rows = rows
        self.returned = rows
        self.raw_rows = rows
        self.processors: list[Any] | None = None
        self.rowcount = rowcount
        self.lastrowid = lastrowid
        self.keys = keys

    def __repr__(self) -> str:
        return (
            f"<{type(self).__name__} rows={len(self.raw_rows)} "
            f"rowcount={self.rowcount} lastrowid={self.lastrowid!r}>"
        )

    @classmethod
    def from_result(cls, result: CursorResult[Any]) -> ExecutionResult:
        """Fetch everything from an SQLAlchemy result and close it."""
        if result.returns_rows:
            keys = list(result.keys())
            # Rows are tuple-like already: copying each one costs ~7% of a
            # large fetch.
            rows = cast("list[Any]", result.fetchall())
        else:
            keys = []
            rows = []
        lastrowid = None
        context = result.context
        if context.isinsert and not context.executemany:
            try:
                primary_key = result.inserted_primary_key
            except Exception:
                primary_key = None
            if primary_key:
                lastrowid = primary_key[0]
            if lastrowid is None:
                try:
                    lastrowid = result.lastrowid
                except Exception:
                    lastrowid = None
        rowcount = result.rowcount
        if rowcount == -1 and context.isinsert:
            # Implicit RETURNING of the primary key hides the driver's count.
            returned = getattr(context, "returned_default_rows", None)
            if returned is not None:
                rowcount = len(returned)
        return cls(rows, rowcount, lastrowid, keys)


_ROWS = cast("Any", ExecutionResult.__dict__["rows"])
_RETURNED = cast("Any", ExecutionResult.__dict__["returned"])


class PendingResult(ExecutionResult):
    """A replayed SELECT's result whose values still need converting.

    ``raw_rows`` are the driver's values and ``processors`` the per-column
    conversions Core would apply (see ``_DirectPlan``). The model layer
    folds those into building instances (one pass over the rows instead of
    two); anyone reading ``rows`` or ``returned`` gets them converted, once,
    on first access. A subclass, so that plain results keep their fast slot
    access.
    """

    __slots__ = ("_plan",)

    def __init__(
        self, rows: list[Any], rowcount: int, keys: list[str], plan: _DirectPlan
    ) -> None:
        self.raw_rows = rows
        self.processors = plan.processors
        self._plan = plan
        self.rowcount = rowcount
        self.lastrowid = None
        self.keys = keys

    def _converted(self) -> list[Any]:
        """Convert the rows; fill whichever of rows/returned is still unset."""
        rows = self._plan.process(self.raw_rows)
        for slot in (_ROWS, _RETURNED):
            try:
                slot.__get__(self)
            except AttributeError:
                slot.__set__(self, rows)
        return rows

    @property
    def rows(self) -> list[Any]:
        """The converted rows."""
        try:
            return _ROWS.__get__(self)  # type: ignore[no-any-return]
        except AttributeError:
            return self._converted()

    @rows.setter
    def rows(self, value: list[Any]) -> None:
        _ROWS.__set__(self, value)

    @property
    def returned(self) -> list[Any]:
        """The converted rows, as first read (``rows`` may be replaced)."""
        try:
            return _RETURNED.__get__(self)  # type: ignore[no-any-return]
        except AttributeError:
            self._converted()
            return _RETURNED.__get__(self)  # type: ignore[no-any-return]

    @returned.setter
    def returned(self, value: list[Any]) -> None:
        _RETURNED.__set__(self, value)


class _DirectPlan:
    """A hot SELECT replayed on the DBAPI cursor, skipping Core's per-call work.

    Built from one execution through SQLAlchemy (so the SQL string, bound
    values, bind and result processors are exactly Core's) and used only
    when replaying it reproduces the parameters Core sent. Statements opt in
    with the ``manouche_direct`` execution option (the model layer's cached
    single-lookup SELECTs); every other statement goes through Core.
    """

    __slots__ = (
        "_convert",
        "_given",
        "_parameters",
        "binds",
        "driver_state",
        "keys",
        "order",
        "processors",
        "sql",
        "static",
    )

    def __init__(
        self,
        sql: str,
        order: tuple[str, ...] | None,
        static: dict[str, Any],
        binds: dict[str, Callable[[Any], Any]],
        processors: list[Any] | None,
        keys: list[str],
    ) -> None:
        self.sql = sql
        self.order = order
        self.static = static
        self.binds = binds
        self.processors = processors
        self.keys = keys
        self._convert: Callable[[list[Any]], list[Any]] | None = None
        # What a backend learnt replaying the plan (e.g. result format).
        self.driver_state: Any = None
        # The names callers pass, and a function building the driver's
        # parameters from them (see _parameters_function).
        self._given: frozenset[str] = frozenset()
        self._parameters: Callable[[Any], Any] | None = None

    @classmethod
    def build(cls, result: CursorResult[Any], parameters: Any) -> _DirectPlan | None:
        """Return the plan of ``result``'s statement, or None if unsafe."""
        context: Any = result.context
        compiled: Any = context.compiled
        if (
            compiled is None
            or not result.returns_rows
            or context.executemany
            or context.isinsert
            or context.isupdate
            or context.isdelete
            or compiled.escaped_bind_names
            or compiled.post_compile_params
            or compiled.literal_execute_params
            or len(context.compiled_parameters) != 1
        ):
            return None
        metadata: Any = result._metadata
        if getattr(metadata, "_tuplefilter", None) is not None:
            return None
        given = parameters or {}
        values = context.compiled_parameters[0]
        static = {k: v for k, v in values.items() if k not in given}
        binds = {
            name: proc
            for name, proc in compiled._bind_processors.items()
            if name in values
        }
        processors = list(metadata._processors)
        sql = context.statement
        order = tuple(compiled.positiontup) if compiled.positional else None
        positional = _positional(sql) if order is None else None
        if positional is not None and context.dialect.paramstyle == "pyformat":
            # Drivers match names to values in Python on every call.
            sql, order = positional
        plan = cls(
            sql,
            order,
            static,
            binds,
            processors if any(processors) else None,
            list(result.keys()),
        )
        sent = context.parameters[0]
        if order is None:
            expected: Any = dict(sent)
        elif compiled.positional:
            expected = tuple(sent)
        else:
            expected = tuple([sent[name] for name in order])
        if plan.driver_parameters(parameters) != expected:
            return None
        plan._given = frozenset(given)
        plan._parameters = _parameters_function(order, static, set(given), binds)
        if plan.driver_parameters(parameters) != expected:
            return None
        return plan

    def driver_parameters(self, parameters: Any) -> Any:
        """The parameters for the DBAPI's ``execute`` (processed, ordered)."""
        build = self._parameters
        if build is not None and (
            parameters.keys() == self._given if parameters else not self._given
        ):
            return build(parameters)
        values = dict(self.static)
        if parameters:
            values.update(parameters)
        for name, proc in self.binds.items():
            values[name] = proc(values[name])
        if self.order is not None:
            return tuple([values[name] for name in self.order])
        return values

    def process(self, rows: list[Any]) -> list[Any]:
        """Apply the result processors (type conversions) Core would apply."""
        processors = self.processors
        if processors is None:
            return rows
        convert = self._convert
        if convert is None:
            convert = self._convert = _rows_converter(processors)
        return convert(rows)


_PYFORMAT = re.compile(r"%%|%\(([^()%]+)\)s|%")


def _positional(sql: str) -> tuple[str, tuple[str, ...]] | None:
    """``sql`` with ``%(name)s`` turned into ``%s``, and the names in order.

    None when the text holds any other use of ``%`` than ``%%`` (left
    alone) and ``%(name)s``, so nothing is guessed.
    """
    names: list[str] = []
    unknown = False

    def replace(match: re.Match[str]) -> str:
        nonlocal unknown
        text = match.group(0)
        if text == "%%":
            return text
        name = match.group(1)
        if name is None:
            unknown = True
            return text
        names.append(name)
        return "%s"

    converted = _PYFORMAT.sub(replace, sql)
    if unknown:
        return None
    return converted, tuple(names)


def _parameters_function(
    order: tuple[str, ...] | None,
    static: dict[str, Any],
    given: set[str],
    binds: dict[str, Callable[[Any], Any]],
) -> Callable[[Any], Any]:
    """One expression building the driver's parameters from the caller's.

    Equivalent to ``driver_parameters``'s general route (statics, then the
    given values over them, each through its bind processor, ordered for
    positional drivers) for a call passing exactly the names in ``given``;
    generated once per plan because a primary-key lookup spends a tenth of
    its time there otherwise. Names only appear as ``repr`` constants.
    """
    namespace: dict[str, Any] = {"static": static}
    expressions: dict[str, str] = {}
    for index, name in enumerate(sorted(set(static) | given)):
        if name in given:
            value = f"p[{name!r}]"
        else:
            value = f"static[{name!r}]"
        if name in binds:
            namespace[f"b{index}"] = binds[name]
            value = f"b{index}({value})"
        expressions[name] = value
    if order is not None:
        items = [expressions[name] for name in order]
        body = f"({', '.join(items)},)" if items else "()"
    else:
        body = "{" + ", ".join(f"{k!r}: {v}" for k, v in expressions.items()) + "}"
    source = f"def build(p):\n    return {body}\n"
    exec(compile(source, "<driver parameters>", "exec"), namespace)
    return namespace["build"]  # type: ignore[no-any-return]


def _rows_converter(processors: list[Any]) -> Callable[[list[Any]], list[Any]]:
    """One list comprehension unpacking each row: ~2x a per-value loop."""
    names = [f"v{index}" for index in range(len(processors))]
    values = [
        name if proc is None else f"p{index}({name})"
        for index, (name, proc) in enumerate(zip(names, processors, strict=True))
    ]
    source = (
        f"def convert(rows):\n    return [({', '.join(values)},) "
        f"for ({', '.join(names)},) in rows]\n"
    )
    namespace = {f"p{index}": proc for index, proc in enumerate(processors)}
    exec(compile(source, "<result processors>", "exec"), namespace)
    return namespace["convert"]  # type: ignore[no-any-return]


_MAX_DIRECT_PLANS = 512

# A replay's cursor is kept for the next one only after at most this many
# rows: some drivers hold the last result until the next execute.
_KEEP_CURSOR_ROWS = 64


class _ProceedSignal:
    """Lets sync execute wrappers run (and veto) around an async statement."""

    def __init__(self) -> None:
        self.called = False

    def __call__(self, sql: Any, params: Any, many: bool, context: Any) -> None:
        self.called = True


class _Vetoed(Exception):
    """An execute wrapper did not call ``execute``: skip the statement."""


def _wants_direct(statement: Any, parameters: Any) -> bool:
    if parameters is not None and type(parameters) is not dict:
        return False
    options = getattr(statement, "get_execution_options", None)
    return options is not None and bool(options().get("manouche_direct"))


def _failed_sql(exc: BaseException, statement: Any) -> str:
    sql = getattr(exc, "statement", None)
    cause = exc.__cause__
    if sql is None and cause is not None:
        sql = getattr(cause, "statement", None)
    return str(sql) if sql is not None else str(statement)


def wrappers_allow(wrapper: Any, statement: Any, parameters: Any) -> bool:
    """Run the sync execute wrappers around an async statement; False if vetoed.

    The wrappers are sync callables: they see the statement and call
    ``execute`` (a signal here) to let it run, after which the caller runs it
    asynchronously.
    """
    if not wrapper.execute_wrappers:
        return True
    from manouche.db.backends.utils import _bind_wrapper

    proceed = _ProceedSignal()
    executor: Callable[..., Any] = proceed
    for each in reversed(wrapper.execute_wrappers):
        executor = _bind_wrapper(each, executor)
    context = {"connection": wrapper, "cursor": None}
    executor(statement, parameters, isinstance(parameters, list), context)
    return proceed.called


def _recycle_older_pooled(pool: Any, fairy: Any, exc: BaseException) -> None:
    """After a disconnect, drop ``fairy`` and the pooled connections opened before.

    A server restart kills every pooled connection; Core's own path recycles
    them all at once, and the direct replays (sync and async) must do the
    same, or each would fail one more statement before being replaced. The
    pool's ``_invalidate`` is SQLAlchemy's; this is the one place calling it.
    """
    invalidate = getattr(pool, "_invalidate", None)
    if invalidate is not None and fairy is not None:
        with contextlib.suppress(Exception):
            invalidate(fairy, exc, _checkin=False)
