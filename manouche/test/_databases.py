"""Database support for tests: test databases, query capture, access guards.

``setup_databases`` / ``teardown_databases`` create and destroy the test
databases (``test_<NAME>``; in memory for SQLite). ``CaptureQueriesContext``
records the queries of a block. ``DatabaseAccessGuard`` makes a test that
uses a database it did not declare in ``databases`` fail with a clear message.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from types import TracebackType
from typing import Any

__all__ = [
    "CaptureQueriesContext",
    "DatabaseAccessGuard",
    "DatabaseOperationForbidden",
    "setup_databases",
    "teardown_databases",
]


def _connections() -> Any:
    from manouche.db import connections

    return connections


def setup_databases(
    verbosity: int,
    interactive: bool,
    *,
    time_keeper: Any = None,
    keepdb: bool = False,
    debug_sql: bool = False,
    parallel: int = 0,
    aliases: Iterable[str] | None = None,
    serialized_aliases: Iterable[str] | None = None,
    **kwargs: Any,
) -> list[Any]:
    """Create the test databases and return what ``teardown_databases`` needs.

    Aliases sharing one test database (same server and test name) create it
    once; the others are pointed at it. The rows of each created database
    are kept for ``serialized_rollback`` when the alias is in
    ``serialized_aliases`` (every alias when None) and its ``TEST`` settings
    do not say ``"SERIALIZE": False``.
    """
    from manouche.conf import settings

    connections = _connections()
    wanted = set(connections) if aliases is None else set(aliases)
    if not settings.DATABASES:
        return []
    old_config: list[Any] = []
    created: dict[Any, str] = {}
    serialized = None if serialized_aliases is None else set(serialized_aliases)
    for alias in connections:
        if alias not in wanted:
            continue
        connection = connections[alias]
        if connection.vendor == "dummy":
            continue
        old_name = connection.settings_dict["NAME"]
        signature = connection.creation.test_db_signature()
        if signature in created:
            _point_at(connection, created[signature])
            old_config.append((connection, old_name, False))
            continue
        serialize = (
            serialized is None or alias in serialized
        ) and connection.settings_dict.get("TEST", {}).get("SERIALIZE", True)
        test_name = connection.creation.create_test_db(
            verbosity=verbosity,
            autoclobber=not interactive,
            keepdb=keepdb,
            serialize=bool(serialize),
        )
        created[signature] = test_name
        old_config.append((connection, old_name, True))
        if debug_sql:
            connection.force_debug_cursor = True
    return old_config


def _point_at(connection: Any, test_name: str) -> None:
    from manouche.conf import settings

    connection.close()
    databases = settings.DATABASES
    if connection.alias in databases:
        databases[connection.alias]["NAME"] = test_name
    connection.settings_dict["NAME"] = test_name


def teardown_databases(
    old_config: list[Any], verbosity: int, parallel: int = 0, keepdb: bool = False
) -> None:
    """Destroy the test databases that ``setup_databases`` created."""
    for connection, old_name, destroy in old_config:
        if destroy:
            connection.creation.destroy_test_db(old_name, verbosity, keepdb)
        else:
            _point_at(connection, old_name)


class CaptureQueriesContext:
    """Record every query run on ``connection`` inside the block."""

    def __init__(self, connection: Any) -> None:
        self.connection = connection
        self.initial_queries = 0
        self.final_queries: int | None = None
        self.force_debug_cursor = False

    def __iter__(self) -> Any:
        return iter(self.captured_queries)

    def __getitem__(self, index: Any) -> Any:
        return self.captured_queries[index]

    def __len__(self) -> int:
        return len(self.captured_queries)

    @property
    def captured_queries(self) -> list[dict[str, Any]]:
        """The queries run inside the block (so far, while still inside)."""
        log = list(self.connection.queries_log)
        end = self.final_queries if self.final_queries is not None else len(log)
        return log[self.initial_queries : end]

    def __enter__(self) -> CaptureQueriesContext:
        from manouche.core.signals import request_started
        from manouche.db import reset_queries

        self.force_debug_cursor = self.connection.force_debug_cursor
        self.connection.force_debug_cursor = True
        self.initial_queries = len(self.connection.queries_log)
        self.final_queries = None
        request_started.disconnect(reset_queries)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        from manouche.core.signals import request_started
        from manouche.db import reset_queries

        self.connection.force_debug_cursor = self.force_debug_cursor
        request_started.connect(reset_queries)
        if exc_type is not None:
            return
        self.final_queries = len(self.connection.queries_log)


class DatabaseOperationForbidden(AssertionError):
    """A test used a database alias it did not declare in ``databases``."""


class _DatabaseFailure:
    """Stands in for a connection method; says which thread broke the rule."""

    def __init__(
        self, wrapped: Any, message: str, threaded_message: str, thread_id: int
    ) -> None:
        self.wrapped = wrapped
        self.message = message
        self.threaded_message = threaded_message
        # A call from another thread (a thread the test started) is named as
        # such: the test's own declarations may look right to its author.
        self.thread_id = thread_id

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if threading.get_ident() != self.thread_id:
            raise DatabaseOperationForbidden(self.threaded_message)
        raise DatabaseOperationForbidden(self.message)


class DatabaseAccessGuard:
    """Make connections the test did not declare fail with a clear message."""

    operations = (
        "connect",
        "ensure_connection",
        "execute",
        "aexecute",
        "iterate",
        "aiterate",
        "cursor",
        "chunked_cursor",
        "temporary_connection",
        "schema_editor",
    )

    def __init__(self, test_class: type, allowed: set[str], simple: bool) -> None:
        self.test_class = test_class
        self.allowed = allowed
        self.simple = simple
        self.patched: list[tuple[Any, str]] = []
        self.thread_id = threading.get_ident()

    # Operations that open a connection rather than run a query.
    connecting = frozenset({"connect", "ensure_connection", "temporary_connection"})

    def message(self, alias: str, operation: str = "queries") -> str:
        """The failure message for ``operation`` ("queries"...) on ``alias``."""
        label = f"{self.test_class.__module__}.{self.test_class.__qualname__}"
        if self.simple:
            return (
                f"Database {operation} to '{alias}' are not allowed in "
                "SimpleTestCase "
                "subclasses. Either subclass TestCase or TransactionTestCase to "
                "ensure proper test isolation or add "
                f"'{alias}' to {label}.databases to silence this failure."
            )
        return (
            f"Database {operation} to '{alias}' are not allowed in this test. Add "
            f"'{alias}' to {label}.databases to ensure proper test isolation "
            "and silence this failure."
        )

    def enable(self) -> None:
        """Replace the I/O methods of undeclared connections with failures.

        Connections are per thread: the ones a thread opens later (a thread
        the test starts) are guarded as they are created.
        """
        from manouche.conf import settings

        if not settings.DATABASES:
            return
        self.thread_id = threading.get_ident()
        connections = _connections()
        for alias in connections:
            if alias not in self.allowed:
                self._guard(connections[alias], alias)
        create_connection = connections.create_connection

        def guarded_create_connection(alias: str) -> Any:
            connection = create_connection(alias)
            if alias not in self.allowed:
                self._guard(connection, alias)
            return connection

        connections.create_connection = guarded_create_connection
        self.patched.append((connections, "create_connection"))

    def _guard(self, connection: Any, alias: str) -> None:
        for name in self.operations:
            method = getattr(connection, name, None)
            if method is None:
                continue
            operation = "connections" if name in self.connecting else "queries"
            failure = _DatabaseFailure(
                method,
                self.message(alias, operation),
                self.message(alias, "threaded connections"),
                self.thread_id,
            )
            setattr(connection, name, failure)
            self.patched.append((connection, name))

    def disable(self) -> None:
        """Restore the patched methods."""
        while self.patched:
            connection, name = self.patched.pop()
            connection.__dict__.pop(name, None)
