"""BaseDatabaseWrapper: one connection to one database alias, sync and async.

Owns the SQLAlchemy Connection checked out of the alias' engine pool, the
transaction state ``transaction.atomic`` drives (autocommit, savepoints,
on_commit hooks), the queries log and execute wrappers, and the async twins
of execution. It compiles nothing itself: statements are SQLAlchemy Core
executables compiled by the engine (so the compiled cache applies).

The driver always runs in autocommit mode; transactions are explicit
``BEGIN`` / ``SAVEPOINT`` / ``COMMIT`` statements, so sync and async code,
raw cursors and Core statements all see the same transaction.
"""

from __future__ import annotations

import _thread
import contextlib
import logging
import threading
import time
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any, ClassVar, NoReturn

import sqlalchemy as sa
from sqlalchemy.engine import URL, Connection, CursorResult, Engine
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from manouche.conf import settings
from manouche.db.backends._engines import (
    dispose_engines,
    get_async_engine,
    get_engine,
)
from manouche.db.backends.base import _async
from manouche.db.backends.base._results import (
    _KEEP_CURSOR_ROWS,
    _MAX_DIRECT_PLANS,
    ExecutionResult,
    PendingResult,
    _DirectPlan,
    _failed_sql,
    _recycle_older_pooled,
    _wants_direct,
    wrappers_allow,
)
from manouche.db.backends.base.creation import BaseDatabaseCreation
from manouche.db.backends.base.features import BaseDatabaseFeatures
from manouche.db.backends.base.introspection import BaseDatabaseIntrospection
from manouche.db.backends.base.operations import BaseDatabaseOperations
from manouche.db.backends.base.schema import BaseDatabaseSchemaEditor
from manouche.db.backends.base.validation import BaseDatabaseValidation
from manouche.db.backends.utils import CursorDebugWrapper, CursorWrapper, interpolate
from manouche.db.transaction import TransactionManagementError, _held
from manouche.db.utils import DatabaseErrorWrapper, translate_exception
from manouche.utils.asyncio import run_sync
from manouche.utils.functional import cached_property

__all__ = ["BaseDatabaseWrapper", "ExecutionResult", "dispose_engines"]

logger = logging.getLogger("manouche.db.backends")
hooks_logger = logging.getLogger("manouche.db.backends.base")

NO_DB_ALIAS = "__no_db__"

_NO_OPTIONS: dict[str, Any] = {}


class BaseDatabaseWrapper:
    """Represent a database connection (see the module docstring)."""

    vendor: ClassVar[str] = "unknown"
    display_name: ClassVar[str] = "unknown"
    sa_driver: ClassVar[str] = ""
    sa_async_driver: ClassVar[str | None] = None
    data_types: ClassVar[dict[str, str]] = {}
    operators: ClassVar[dict[str, str]] = {}
    Database: Any = None
    SchemaEditorClass: type[BaseDatabaseSchemaEditor] = BaseDatabaseSchemaEditor
    creation_class: type[BaseDatabaseCreation] = BaseDatabaseCreation
    features_class: type[BaseDatabaseFeatures] = BaseDatabaseFeatures
    introspection_class: type[BaseDatabaseIntrospection] = BaseDatabaseIntrospection
    ops_class: type[BaseDatabaseOperations] = BaseDatabaseOperations
    validation_class: type[BaseDatabaseValidation] = BaseDatabaseValidation
    queries_limit = 9000
    connect_timeout = 2
    pool_timeout = 30

    def __init__(self, settings_dict: dict[str, Any], alias: str = "default") -> None:
        self.connection: Connection | None = None
        self.settings_dict = settings_dict
        self.alias = alias
        self.queries_log: deque[dict[str, Any]] = deque(maxlen=self.queries_limit)
        self.force_debug_cursor = False
        self.autocommit = False
        self.in_atomic_block = False
        self.savepoint_state = 0
        self.savepoint_ids: list[str | None] = []
        self.atomic_blocks: list[Any] = []
        self.commit_on_exit = True
        self.needs_rollback = False
        self.rollback_exc: BaseException | None = None
        self.close_at: float | None = None
        self.closed_in_transaction = False
        self.errors_occurred = False
        self.health_check_enabled = False
        self.health_check_done = False
        self.run_on_commit: list[tuple[set[str | None], Callable[[], Any], bool]] = []
        self.run_commit_hooks_on_set_autocommit_on = False
        self.execute_wrappers: list[Callable[..., Any]] = []
        self.in_transaction = False
        self._thread_ident = _thread.get_ident()
        self._lock = threading.RLock()
        # id(statement) -> (statement, plan or None); see _DirectPlan.
        self._direct_plans: dict[int, tuple[Any, _DirectPlan | None]] = {}
        # The same for the async driver (its dialect may compile differently).
        self._async_plans: dict[int, tuple[Any, _DirectPlan | None]] = {}
        # (driver connection, idle cursor) kept by _execute_direct.
        self._direct_cursor: tuple[Any, Any] | None = None
        self.features = self.features_class(self)
        self.ops = self.ops_class(self)
        self.creation = self.creation_class(self)
        self.introspection = self.introspection_class(self)
        self.validation = self.validation_class(self)

    @property
    def client(self) -> Any:
        """The backend's command-line client (its ``client.DatabaseClient``)."""
        from manouche.db.backends.base.client import client_for

        return client_for(self)

    def __repr__(self) -> str:
        return (
            f"<{type(self).__module__}.{type(self).__qualname__} "
            f"vendor={self.vendor!r} alias={self.alias!r}>"
        )

    # Engines.

    def get_engine_url(self) -> URL:
        """Return the SQLAlchemy URL for the configured database."""
        raise NotImplementedError("Subclasses must implement get_engine_url().")

    def get_engine_options(self) -> dict[str, Any]:
        """Return ``create_engine`` keyword arguments (pool, connect args)."""
        options = dict(self.settings_dict.get("OPTIONS") or {})
        pool = dict(options.pop("pool", None) or {})
        kwargs: dict[str, Any] = {
            # A ping per checkout costs a round trip per query; as Django's
            # CONN_HEALTH_CHECKS, it is asked for, not imposed. A connection
            # the server dropped is discarded on its first error anyway.
            "pool_pre_ping": bool(self.settings_dict.get("CONN_HEALTH_CHECKS")),
            # Under load a request may wait its turn for a pooled connection.
            "pool_timeout": self.pool_timeout,
            "isolation_level": "AUTOCOMMIT",
        }
        kwargs.update(pool)
        kwargs["connect_args"] = options
        return kwargs

    def _engine_key(self, asynchronous: bool) -> tuple[Any, ...]:
        options = self.settings_dict.get("OPTIONS") or {}
        return (
            type(self),
            self.alias,
            asynchronous,
            self.get_engine_url().render_as_string(hide_password=False),
            repr(sorted(options.items(), key=lambda item: str(item[0]))),
        )

    @property
    def sa_engine(self) -> Engine:
        """The shared sync engine (and pool) of this configuration."""
        return get_engine(self._engine_key(False), self._create_engine)

    def _create_engine(self) -> Engine:
        return sa.create_engine(self.get_engine_url(), **self.get_engine_options())

    def get_async_engine_url(self) -> URL:
        """Return the URL of the async driver."""
        assert self.sa_async_driver is not None
        return self.get_engine_url().set(drivername=self.sa_async_driver)

    def _create_async_engine(self) -> AsyncEngine:
        return create_async_engine(
            self.get_async_engine_url(), **self.get_engine_options()
        )

    async def get_sa_async_engine(self) -> AsyncEngine:
        """The async engine of this configuration on the running loop."""
        if self.sa_async_driver is None:
            raise TypeError(f"{self.display_name} has no async engine.")
        return await get_async_engine(self._engine_key(True), self._create_async_engine)

    @property
    def sa_async_engine(self) -> AsyncEngine | None:
        """Async engine for the running loop (None on SQLite); use in async code."""
        raise AttributeError(
            "Use 'await connection.get_sa_async_engine()': async engines are "
            "bound to the running event loop."
        )

    @cached_property
    def dialect(self) -> sa.Dialect:
        """The SQLAlchemy dialect that compiles statements for this database."""
        return self.sa_engine.dialect

    def is_shared_across_threads(self) -> bool:
        """Whether one wrapper serves every thread (in-memory SQLite)."""
        return False

    # Queries log.

    @property
    def queries_logged(self) -> bool:
        """Whether queries are recorded (DEBUG or a forced capture)."""
        return self.force_debug_cursor or bool(settings.DEBUG)

    @property
    def queries(self) -> list[dict[str, Any]]:
        """The recorded queries, oldest first."""
        return list(self.queries_log)

    def log_query(self, sql: str, duration: float, params: Any = None) -> None:
        """Record ``sql`` in the queries log and on the backend logger."""
        self.queries_log.append({"sql": sql, "time": f"{duration:.3f}"})
        logger.debug(
            "(%.3f) %s; args=%s; alias=%s",
            duration,
            sql,
            params,
            self.alias,
            extra={
                "duration": duration,
                "sql": sql,
                "params": params,
                "alias": self.alias,
            },
        )

    @contextlib.contextmanager
    def execute_wrapper(self, wrapper: Callable[..., Any]) -> Iterator[None]:
        """Install ``wrapper(execute, sql, params, many, context)`` for a block."""
        self.execute_wrappers.append(wrapper)
        try:
            yield
        finally:
            self.execute_wrappers.pop()

    @cached_property
    def wrap_database_errors(self) -> DatabaseErrorWrapper:
        """Context manager and decorator normalising driver errors."""
        return DatabaseErrorWrapper(self)

    def note_connection_error(self, exc: BaseException) -> None:
        """Forget a connection the server dropped, so the next query reconnects."""
        conn = self.connection
        if conn is None:
            return
        invalidated = bool(getattr(exc, "connection_invalidated", False))
        if not (invalidated or conn.invalidated or conn.closed):
            return
        if self.in_atomic_block:
            self.needs_rollback = True
            return
        self._drop_connection()

    def _drop_connection(self) -> None:
        self._direct_cursor = None
        conn, self.connection = self.connection, None
        self.in_transaction = False
        if conn is not None and self.is_shared_across_threads():
            # The only connection holds the whole (in-memory) database:
            # invalidating it would destroy the data. Return it to the pool,
            # which rolls back whatever was left open.
            with contextlib.suppress(Exception):
                conn.close()
            return
        if conn is not None:
            with contextlib.suppress(Exception):
                conn.invalidate()
            with contextlib.suppress(Exception):
                conn.close()

    # Connection management.

    def get_connection_params(self) -> dict[str, Any]:
        """Return the settings the connection is made from (for introspection)."""
        return dict(self.settings_dict)

    def connect(self) -> None:
        """Check a connection out of the pool and reset the transaction state."""
        self.check_settings()
        self.in_atomic_block = False
        self.savepoint_ids = []
        self.atomic_blocks = []
        self.needs_rollback = False
        self.in_transaction = False
        max_age = self.settings_dict["CONN_MAX_AGE"]
        self.close_at = None if max_age is None else time.monotonic() + max_age
        self.closed_in_transaction = False
        self.errors_occurred = False
        self.health_check_enabled = self.settings_dict.get("CONN_HEALTH_CHECKS", False)
        self.health_check_done = False
        with self.wrap_database_errors:
            self.connection = self.sa_engine.connect()
        self.set_autocommit(self.settings_dict["AUTOCOMMIT"])
        self.init_connection_state()
        self.run_on_commit = []

    def init_connection_state(self) -> None:
        """Apply per-connection settings (time zone...) after connecting."""

    def check_settings(self) -> None:
        """Refuse inconsistent settings early."""
        if self.settings_dict.get("TIME_ZONE") is not None and not settings.USE_TZ:
            from manouche.core.exceptions import ImproperlyConfigured

            raise ImproperlyConfigured(
                f"Connection '{self.alias}' cannot set TIME_ZONE because USE_TZ is "
                "False."
            )

    def ensure_connection(self) -> None:
        """Connect if not connected (or if the server dropped the connection)."""
        conn = self.connection
        # SQLAlchemy's Connection holds its pool connection here, None exactly
        # when ``closed`` or ``invalidated``: one look instead of two
        # properties on every statement (the properties decide otherwise).
        if conn is not None and getattr(conn, "_dbapi_connection", None) is not None:
            return
        if conn is not None and not (conn.invalidated or conn.closed):
            return
        if conn is not None:
            if self.in_atomic_block:
                from manouche.db.utils import OperationalError

                raise OperationalError(
                    "The database connection was lost inside an atomic block."
                )
            self._drop_connection()
        if self.in_atomic_block and self.closed_in_transaction:
            raise TransactionManagementError(
                "Cannot open a new connection in an atomic block."
            )
        self.connect()

    def _sa_connection(self) -> Connection:
        self.ensure_connection()
        assert self.connection is not None
        return self.connection

    def is_usable(self) -> bool:
        """Whether the open connection still answers a trivial query."""
        conn = self.connection
        if conn is None or conn.invalidated or conn.closed:
            return False
        try:
            raw = conn.connection.dbapi_connection
            assert raw is not None
            cursor = raw.cursor()
            try:
                cursor.execute("SELECT 1")
                cursor.fetchall()
            finally:
                cursor.close()
        except Exception:
            return False
        return True

    def close(self) -> None:
        """Return the connection to the pool (deferred inside an atomic block)."""
        self.run_on_commit = []
        if self.closed_in_transaction or self.connection is None:
            return
        if self.in_atomic_block:
            self.closed_in_transaction = True
            self.needs_rollback = True
            return
        if self.in_transaction:
            with contextlib.suppress(Exception):
                self._run_transaction_sql("ROLLBACK")
        self._direct_cursor = None
        conn, self.connection = self.connection, None
        self.in_transaction = False
        with contextlib.suppress(Exception):
            conn.close()

    def close_if_health_check_failed(self) -> None:
        """Drop the connection if health checks are on and it is unusable."""
        if (
            self.connection is None
            or not self.health_check_enabled
            or self.health_check_done
        ):
            return
        if not self.is_usable():
            self.close()
        self.health_check_done = True

    def close_if_unusable_or_obsolete(self) -> None:
        """Close a broken, misconfigured or expired connection (request edges)."""
        if self.connection is None:
            return
        self.health_check_done = False
        # The connection exists: read the flag without ensure_connection(),
        # which a SimpleTestCase guards against.
        if self.autocommit != self.settings_dict["AUTOCOMMIT"]:
            self.close()
            return
        if self.errors_occurred:
            if self.is_usable():
                self.errors_occurred = False
                self.health_check_done = True
            else:
                self.close()
                return
        if self.close_at is not None and time.monotonic() >= self.close_at:
            self.close()

    # Transactions.

    def _run_transaction_sql(self, sql: str) -> None:
        conn = self._sa_connection()
        start = time.monotonic()
        with self.wrap_database_errors:
            conn.exec_driver_sql(sql)
        if self.queries_logged:
            self.log_query(sql, time.monotonic() - start)

    def _begin(self) -> None:
        self._run_transaction_sql(self.ops.start_transaction_sql())
        self.in_transaction = True

    def prepare_for_query(self) -> None:
        """Check the transaction is usable and open one if autocommit is off."""
        if self.needs_rollback:
            self.validate_no_broken_transaction()
        self.ensure_connection()
        if not self.autocommit and not self.in_transaction:
            self._begin()

    def get_autocommit(self) -> bool:
        """Whether the connection is in autocommit mode."""
        self.ensure_connection()
        return self.autocommit

    def set_autocommit(
        self,
        autocommit: bool,
        force_begin_transaction_with_broken_autocommit: bool = False,
    ) -> None:
        """Turn autocommit on or off (off opens a transaction at once)."""
        self.validate_no_atomic_block()
        self.close_if_health_check_failed()
        self.ensure_connection()
        if autocommit:
            if self.in_transaction:
                self._run_transaction_sql("COMMIT")
                self.in_transaction = False
            self.autocommit = True
        else:
            self.autocommit = False
            if not self.in_transaction:
                self._begin()
        if autocommit and self.run_commit_hooks_on_set_autocommit_on:
            self.run_and_clear_commit_hooks()
            self.run_commit_hooks_on_set_autocommit_on = False

    def commit(self) -> None:
        """Commit the open transaction (outside atomic blocks only)."""
        self.validate_no_atomic_block()
        self.validate_no_broken_transaction()
        self._commit()
        self.errors_occurred = False
        self.run_commit_hooks_on_set_autocommit_on = True

    def _commit(self) -> None:
        if self.connection is not None and self.in_transaction:
            self.in_transaction = False
            self._run_transaction_sql("COMMIT")

    def rollback(self) -> None:
        """Roll the open transaction back (outside atomic blocks only)."""
        self.validate_no_atomic_block()
        self._rollback()
        self.errors_occurred = False
        self.needs_rollback = False
        self.run_on_commit = []

    def _rollback(self) -> None:
        if self.connection is not None and self.in_transaction:
            self.in_transaction = False
            self._run_transaction_sql("ROLLBACK")

    def _savepoint_allowed(self) -> bool:
        return bool(self.features.uses_savepoints) and not self.get_autocommit()

    def savepoint(self) -> str | None:
        """Create a savepoint and return its id (None when not in a transaction)."""
        if not self._savepoint_allowed():
            return None
        thread_ident = _thread.get_ident()
        self.savepoint_state += 1
        sid = f"s{thread_ident}_x{self.savepoint_state}"
        self._execute_savepoint_sql(self.ops.savepoint_create_sql(sid))
        return sid

    def _execute_savepoint_sql(self, sql: str) -> None:
        with self.cursor() as cursor:
            cursor.execute(sql)

    def savepoint_rollback(self, sid: str) -> None:
        """Roll back to savepoint ``sid``, dropping on_commit hooks set after it."""
        if not self._savepoint_allowed():
            return
        self._execute_savepoint_sql(self.ops.savepoint_rollback_sql(sid))
        self.run_on_commit = [
            (sids, func, robust)
            for (sids, func, robust) in self.run_on_commit
            if sid not in sids
        ]

    def savepoint_commit(self, sid: str) -> None:
        """Release savepoint ``sid``."""
        if not self._savepoint_allowed():
            return
        if self.features.can_release_savepoints:
            self._execute_savepoint_sql(self.ops.savepoint_commit_sql(sid))

    def clean_savepoints(self) -> None:
        """Reset the savepoint counter (new outermost transaction)."""
        self.savepoint_state = 0

    def get_rollback(self) -> bool:
        """Whether the innermost atomic block will roll back."""
        if not self.in_atomic_block:
            raise TransactionManagementError(
                "The rollback flag doesn't work outside of an 'atomic' block."
            )
        return self.needs_rollback

    def set_rollback(self, rollback: bool) -> None:
        """Force (or cancel) the rollback of the innermost atomic block."""
        if not self.in_atomic_block:
            raise TransactionManagementError(
                "The rollback flag doesn't work outside of an 'atomic' block."
            )
        self.needs_rollback = rollback

    def validate_no_atomic_block(self) -> None:
        """Raise if inside an atomic block."""
        if self.in_atomic_block:
            raise TransactionManagementError(
                "This is forbidden when an 'atomic' block is active."
            )

    def validate_no_broken_transaction(self) -> None:
        """Raise if an error left the current atomic block unusable."""
        if self.needs_rollback:
            raise TransactionManagementError(
                "An error occurred in the current transaction. You can't "
                "execute queries until the end of the 'atomic' block."
            ) from self.rollback_exc

    def validate_thread_sharing(self) -> None:
        """Connections are per thread by construction; nothing to check."""

    def on_commit(self, func: Callable[[], Any], robust: bool = False) -> None:
        """Run ``func`` after the outermost commit (now if in autocommit)."""
        if not callable(func):
            raise TypeError("on_commit()'s callback must be a callable.")
        if self.in_atomic_block:
            self.run_on_commit.append((set(self.savepoint_ids), func, robust))
        elif not self.get_autocommit():
            raise TransactionManagementError(
                "on_commit() cannot be used in manual transaction management"
            )
        else:
            _call_hook(func, robust)

    def run_and_clear_commit_hooks(self) -> None:
        """Run the on_commit hooks once the outermost transaction committed."""
        self.validate_no_atomic_block()
        current, self.run_on_commit = self.run_on_commit, []
        while current:
            _, func, robust = current.pop(0)
            _call_hook(func, robust)

    @contextlib.contextmanager
    def constraint_checks_disabled(self) -> Iterator[None]:
        """Disable foreign key checks for the block where the backend can."""
        disabled = self.disable_constraint_checking()
        try:
            yield
        finally:
            if disabled:
                self.enable_constraint_checking()

    def disable_constraint_checking(self) -> bool:
        """Turn foreign key checks off; return whether they were turned off."""
        return False

    def enable_constraint_checking(self) -> None:
        """Turn foreign key checks back on."""

    # Execution.

    def _log_statement(self, result: Any, statement: Any, duration: float) -> None:
        context = getattr(result, "context", None)
        sql = getattr(context, "statement", None)
        params: Any = getattr(context, "parameters", None)
        if sql is None:
            self.log_query(str(statement), duration)
            return
        many = bool(getattr(context, "executemany", False))
        if many:
            text = f"{len(params or ())} times: {sql}"
        else:
            first = params[0] if isinstance(params, list) and params else params
            text = interpolate(sql, first, self.dialect.paramstyle)
            params = first
        self.log_query(text, duration, params)

    def execute(self, statement: Any, parameters: Any = None) -> ExecutionResult:
        """Execute an SQLAlchemy Core statement and fetch its whole result."""
        if self.execute_wrappers:
            return self._through_wrappers(statement, parameters)  # type: ignore[no-any-return]
        return self._execute(statement, parameters, False, None)

    def _through_wrappers(self, statement: Any, parameters: Any) -> Any:
        from manouche.db.backends.utils import _bind_wrapper

        executor: Callable[..., Any] = self._execute
        for wrapper in reversed(self.execute_wrappers):
            executor = _bind_wrapper(wrapper, executor)
        context = {"connection": self, "cursor": None}
        many = isinstance(parameters, list)
        return executor(statement, parameters, many, context)

    def _execute(
        self, statement: Any, parameters: Any, many: bool, context: Any
    ) -> ExecutionResult:
        with self._lock:
            conn = self.connection
            # prepare_for_query() has nothing to do for a usable connection
            # (see ensure_connection) in autocommit or in its transaction:
            # tested here, as it runs before every statement.
            fairy = None if conn is None else getattr(conn, "_dbapi_connection", None)
            if (
                fairy is None
                or self.needs_rollback
                or not (self.autocommit or self.in_transaction)
            ):
                self.prepare_for_query()
                conn = self.connection
                fairy = None
            assert conn is not None
            entry = self._direct_plans.get(id(statement))
            if entry is not None and entry[0] is statement and entry[1] is not None:
                return self._execute_direct(conn, entry[1], parameters, fairy)
            start = time.monotonic()
            try:
                with self.wrap_database_errors:
                    result = conn.execute(statement, parameters)
                    if entry is None and _wants_direct(statement, parameters):
                        self._remember_plan(statement, result, parameters)
                    outcome = ExecutionResult.from_result(result)
            except Exception as exc:
                if self.queries_logged:
                    self.log_query(
                        _failed_sql(exc, statement), time.monotonic() - start
                    )
                raise
            if self.queries_logged:
                self._log_statement(result, statement, time.monotonic() - start)
            return outcome

    def _remember_plan(
        self, statement: Any, result: CursorResult[Any], parameters: Any
    ) -> None:
        plans = self._direct_plans
        if len(plans) >= _MAX_DIRECT_PLANS:
            plans.clear()
        plans[id(statement)] = (statement, _DirectPlan.build(result, parameters))

    def _execute_direct(
        self, conn: Connection, plan: _DirectPlan, parameters: Any, fairy: Any = None
    ) -> ExecutionResult:
        """Run a planned SELECT on the DBAPI connection (same errors and logs).

        One cursor per driver connection is kept between statements (making
        one is a measurable share of a primary-key lookup). It is taken off
        the wrapper while in use, kept only after a small result (a driver
        cursor may hold its last result), dropped on any error and never
        kept for another driver connection. Wrappers belong to one thread,
        and the one shared wrapper (in-memory SQLite) runs statements under
        ``_lock``, so a kept cursor never serves two threads at once.

        Rows needing conversions come back pending (``PendingResult``):
        the model layer converts them while building instances. ``fairy``
        is ``conn``'s pool connection when the caller already has it.
        """
        logged = self.queries_logged
        start = time.monotonic() if logged else 0.0
        build = plan._parameters
        if build is not None and parameters and parameters.keys() == plan._given:
            driver_parameters = build(parameters)  # driver_parameters' short way
        else:
            driver_parameters = plan.driver_parameters(parameters)
        raw: Any = None
        cursor: Any = None
        try:
            if fairy is None:
                fairy = conn.connection
            raw = fairy.dbapi_connection
            kept = self._direct_cursor
            if kept is not None and kept[0] is raw:
                cursor = kept[1]
                self._direct_cursor = None
            else:
                cursor = raw.cursor()
            rows = self._run_direct(raw, cursor, plan, driver_parameters)
            rowcount = self._direct_rowcount(cursor, rows)
        except Exception as exc:
            self._direct_failed(conn, raw, cursor, exc, plan.sql, start)
        if len(rows) <= _KEEP_CURSOR_ROWS:
            self._direct_cursor = (raw, cursor)
        else:
            cursor.close()
        if logged:
            text = interpolate(plan.sql, driver_parameters, self.dialect.paramstyle)
            self.log_query(text, time.monotonic() - start, driver_parameters)
        if plan.processors is not None:
            return PendingResult(rows, rowcount, plan.keys, plan)
        return ExecutionResult(rows, rowcount, None, plan.keys)

    def _run_direct(
        self, raw: Any, cursor: Any, plan: _DirectPlan, parameters: Any
    ) -> list[Any]:
        """Execute ``plan`` on ``cursor`` and fetch every row (backends refine)."""
        cursor.execute(plan.sql, parameters)
        rows = cursor.fetchall()
        # A list like Core's (PyMySQL answers a tuple).
        return rows if type(rows) is list else list(rows)

    def _direct_rowcount(self, cursor: Any, rows: list[Any]) -> int:
        """The rowcount of a replay that returned ``rows`` (backends refine)."""
        return cursor.rowcount  # type: ignore[no-any-return]

    def _direct_options(self, raw: Any, plan: _DirectPlan) -> dict[str, Any]:
        """Extra ``execute`` options for a replay of ``plan`` (backends refine)."""
        return _NO_OPTIONS

    def _direct_learn(self, raw: Any, cursor: Any, plan: _DirectPlan) -> None:
        """Note what a replay without options taught about ``plan`` (see PostgreSQL)."""

    async def _arun_direct(
        self, raw: Any, plan: _DirectPlan, parameters: Any
    ) -> list[Any] | None:
        """An async replay's rows by a backend's own way, or None for the cursor."""
        return None

    def _direct_failed(
        self,
        conn: Connection,
        raw: Any,
        cursor: Any,
        exc: Exception,
        sql: str,
        start: float,
    ) -> NoReturn:
        """Raise ``exc`` of a replayed statement as Core's path would.

        A disconnect recycles the pool, the error is translated (and noted
        on the wrapper), and the failed statement is logged.
        """
        try:
            with self.wrap_database_errors:
                try:
                    dialect: Any = self.dialect
                    if (
                        raw is not None
                        and isinstance(exc, dialect.loaded_dbapi.Error)
                        and dialect.is_disconnect(exc, raw, cursor)
                    ):
                        _recycle_pool(conn, exc)
                finally:
                    if cursor is not None:
                        with contextlib.suppress(Exception):
                            cursor.close()
                raise exc
        finally:
            if self.queries_logged:
                self.log_query(sql, time.monotonic() - start)

    def iterate(
        self, statement: Any, chunk_size: int = 2000
    ) -> Iterator[tuple[Any, ...]]:
        """Stream the rows of ``statement`` (server-side cursor where supported)."""
        with self._lock:
            self.prepare_for_query()
            own_transaction = False
            server_side = self.features.supports_server_side_cursors
            if server_side and not self.in_transaction:
                self._begin()
                own_transaction = True
            conn = self.connection
            assert conn is not None
            start = time.monotonic()
            options: dict[str, Any] = {"yield_per": chunk_size} if server_side else {}
            try:
                with self.wrap_database_errors:
                    result = conn.execute(statement, execution_options=options)
                if self.queries_logged:
                    self._log_statement(result, statement, time.monotonic() - start)
                with self.wrap_database_errors:
                    while True:
                        rows = result.fetchmany(chunk_size)
                        if not rows:
                            break
                        for row in rows:
                            yield tuple(row)
                    result.close()
            finally:
                if own_transaction and self.in_transaction:
                    self._commit()

    def cursor(self) -> CursorWrapper:
        """Return a cursor for raw SQL with ``%s`` placeholders."""
        return self._prepare_cursor(self.create_cursor())

    def chunked_cursor(self) -> CursorWrapper:
        """Return a cursor suited to reading results in chunks."""
        return self.cursor()

    def create_cursor(self, name: str | None = None) -> Any:
        """Return a new DBAPI cursor of the underlying connection."""
        conn = self._sa_connection()
        with self.wrap_database_errors:
            return conn.connection.cursor()

    def make_debug_cursor(self, cursor: Any) -> CursorWrapper:
        """Wrap ``cursor`` so that it logs queries."""
        return CursorDebugWrapper(cursor, self)

    def make_cursor(self, cursor: Any) -> CursorWrapper:
        """Wrap ``cursor`` without logging."""
        return CursorWrapper(cursor, self)

    def _prepare_cursor(self, cursor: Any) -> CursorWrapper:
        if self.queries_logged:
            return self.make_debug_cursor(cursor)
        return self.make_cursor(cursor)

    @contextlib.contextmanager
    def temporary_connection(self) -> Iterator[CursorWrapper]:
        """Give a cursor, closing the connection after if it was not open."""
        must_close = self.connection is None
        try:
            with self.cursor() as cursor:
                yield cursor
        finally:
            if must_close:
                self.close()

    def schema_editor(self, *args: Any, **kwargs: Any) -> BaseDatabaseSchemaEditor:
        """Return the schema editor (a context manager) of this backend."""
        return self.SchemaEditorClass(self, *args, **kwargs)

    def copy(self, alias: str | None = None) -> BaseDatabaseWrapper:
        """Return an unconnected copy of this wrapper (e.g. for another thread)."""
        return type(self)(self.settings_dict, alias or self.alias)

    # Async (PostgreSQL and MariaDB: see _async.py; SQLite: a thread).

    def _current_async(self) -> Any:
        """The async atomic block (or TestCase connection) this task runs in."""
        held = _held.get()
        return None if held is None else held.get(self.alias)

    async def aexecute(self, statement: Any, parameters: Any = None) -> ExecutionResult:
        """Execute ``statement`` without blocking the loop (real async I/O).

        In an async atomic block the block's connection runs it; otherwise
        the connection the current task holds (see ``_async.py``).
        """
        held = self._current_async()
        if held is not None:
            return await held.aexecute(self, statement, parameters)  # type: ignore[no-any-return]
        if self.sa_async_driver is None:
            return await run_sync(self.execute, statement, parameters)
        if not wrappers_allow(self, statement, parameters):
            return ExecutionResult([], -1, None, [])
        return await _async.aexecute(self, statement, parameters)

    async def aiterate(
        self, statement: Any, chunk_size: int = 2000
    ) -> AsyncIterator[tuple[Any, ...]]:
        """Stream rows of ``statement`` asynchronously.

        Outside an atomic block the stream gets a connection of its own from
        the pool: the task's connection stays free for the statements the
        loop body runs while rows are still coming.
        """
        held = self._current_async()
        if held is not None:
            async for row in held.aiterate(self, statement, chunk_size):
                yield row
            return
        if self.sa_async_driver is None:
            result = await self.aexecute(statement)
            for row in result.rows:
                yield tuple(row)
            return
        engine = await self.get_sa_async_engine()
        async with engine.connect() as conn:
            async for row in self.aiterate_on(conn, statement, chunk_size, True):
                yield row

    async def aiterate_on(
        self,
        conn: AsyncConnection,
        statement: Any,
        chunk_size: int,
        own_transaction: bool,
    ) -> AsyncIterator[tuple[Any, ...]]:
        """Stream rows on an async connection, in a transaction of its own."""
        server_side = self.features.supports_server_side_cursors
        began = False
        with self.wrap_async_errors():
            if server_side and own_transaction:
                await conn.exec_driver_sql(self.ops.start_transaction_sql())
                began = True
            try:
                start = time.monotonic()
                if server_side:
                    stream = await conn.stream(
                        statement, execution_options={"yield_per": chunk_size}
                    )
                    if self.queries_logged:
                        self.log_query(str(statement), time.monotonic() - start)
                    async for partition in stream.partitions(chunk_size):
                        for row in partition:
                            yield tuple(row)
                else:
                    result = await conn.execute(statement)
                    if self.queries_logged:
                        self._log_statement(result, statement, time.monotonic() - start)
                    for row in result.fetchall():
                        yield tuple(row)
            finally:
                if began:
                    await conn.exec_driver_sql("COMMIT")

    def wrap_async_errors(self) -> DatabaseErrorWrapper:
        """Normalise errors of async execution (no sync connection bookkeeping)."""
        return DatabaseErrorWrapper(None)

    async def aclose(self) -> None:
        """Close the sync connection and return the task's async one to the pool."""
        if self.sa_async_driver is not None:
            await _async.aclose_task_connection(self.alias)
        await run_sync(self.close)


def _recycle_pool(conn: Connection, exc: BaseException) -> None:
    """After a disconnect, drop this connection and the pooled ones opened before."""
    _recycle_older_pooled(conn.engine.pool, conn.connection, exc)
    conn.invalidate(exc)


def _call_hook(func: Callable[[], Any], robust: bool) -> None:
    if not robust:
        func()
        return
    try:
        func()
    except Exception as exc:
        name = getattr(func, "__qualname__", func)
        hooks_logger.exception("Error calling %s in on_commit() (%s).", name, exc)


def _translate(exc: BaseException) -> BaseException:
    return translate_exception(exc) or exc
