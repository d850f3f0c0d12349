"""Database plumbing shared by every backend: errors, connections, routing.

Owns the normalised exception classes, the mapping of driver and SQLAlchemy
errors onto them, the per-thread ``ConnectionHandler`` and the
``ConnectionRouter`` that reads ``DATABASE_ROUTERS``. Holds no SQL.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from importlib import import_module
from types import TracebackType
from typing import TYPE_CHECKING, Any

from manouche.conf import settings
from manouche.core.exceptions import ImproperlyConfigured
from manouche.utils.functional import cached_property
from manouche.utils.module_loading import import_string

if TYPE_CHECKING:
    from manouche.db.backends.base.base import BaseDatabaseWrapper

__all__ = [
    "DEFAULT_DB_ALIAS",
    "ConnectionDoesNotExist",
    "ConnectionHandler",
    "ConnectionRouter",
    "DataError",
    "DatabaseError",
    "DatabaseErrorWrapper",
    "Error",
    "IntegrityError",
    "InterfaceError",
    "InternalError",
    "NotSupportedError",
    "OperationalError",
    "ProgrammingError",
    "load_backend",
    "translate_exception",
]

DEFAULT_DB_ALIAS = "default"


class Error(Exception):
    """Base of every database error manouche raises."""


class InterfaceError(Error):
    """The driver interface failed, not the database."""


class DatabaseError(Error):
    """The database reported an error."""


class DataError(DatabaseError):
    """A value was out of range, too long or of the wrong kind."""


class OperationalError(DatabaseError):
    """The database is unreachable, restarted, or the operation was cut short."""


class IntegrityError(DatabaseError):
    """A constraint (unique, foreign key, not null, check) was violated."""


class InternalError(DatabaseError):
    """The database is in an internal error state (e.g. aborted transaction)."""


class ProgrammingError(DatabaseError):
    """The SQL is invalid or names a missing table or column."""


class NotSupportedError(DatabaseError):
    """The database does not support the requested operation."""


# Most specific first: the MRO of the raised error is matched by class name,
# which works for PEP 249 drivers and SQLAlchemy's wrappers alike.
_ERROR_CLASSES: dict[str, type[Error]] = {
    cls.__name__: cls
    for cls in (
        DataError,
        OperationalError,
        IntegrityError,
        InternalError,
        ProgrammingError,
        NotSupportedError,
        DatabaseError,
        InterfaceError,
        Error,
    )
}


def translate_exception(exc: BaseException) -> Error | None:
    """Return manouche's equivalent of a driver or SQLAlchemy error, or None.

    The original error is kept as ``__cause__``; the message is the driver's.
    """
    if isinstance(exc, Error):
        return None
    source = getattr(exc, "orig", None)
    if not isinstance(source, BaseException):
        source = exc
    for klass in type(source).__mro__:
        target = _ERROR_CLASSES.get(klass.__name__)
        if target is not None and klass.__module__ != "builtins":
            break
    else:
        if source is exc:
            for klass in type(exc).__mro__:
                target = _ERROR_CLASSES.get(klass.__name__)
                if target is not None and klass.__module__.startswith("sqlalchemy"):
                    break
            else:
                return None
        else:
            return None
    if target is not IntegrityError and _is_mysql_check_violation(source):
        target = IntegrityError
    message = str(source).strip() or type(source).__name__
    error = target(message)
    if source.args:
        error.args = source.args
    error.__cause__ = exc
    return error


# MariaDB (4025 ER_CONSTRAINT_FAILED) and MySQL (3819 ER_CHECK_CONSTRAINT_
# VIOLATED) report CHECK failures with codes PyMySQL classes as operational.
_MYSQL_CHECK_VIOLATION_CODES = frozenset({3819, 4025})


def _is_mysql_check_violation(source: BaseException) -> bool:
    if not type(source).__module__.startswith(("pymysql", "aiomysql")):
        return False
    return bool(source.args) and source.args[0] in _MYSQL_CHECK_VIOLATION_CODES


class DatabaseErrorWrapper:
    """Context manager turning driver and SQLAlchemy errors into manouche's."""

    def __init__(self, wrapper: BaseDatabaseWrapper | None = None) -> None:
        self.wrapper = wrapper

    def __enter__(self) -> None:
        return None

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if exc_value is None:
            return
        error = translate_exception(exc_value)
        if error is None:
            return
        if self.wrapper is not None:
            self.wrapper.errors_occurred = True
            if isinstance(error, (OperationalError, InterfaceError)):
                self.wrapper.note_connection_error(exc_value)
        raise error.with_traceback(traceback) from exc_value

    def __call__(self, func: Callable[..., Any]) -> Callable[..., Any]:
        """Use as a decorator: normalise the errors ``func`` raises."""

        def inner(*args: Any, **kwargs: Any) -> Any:
            with self:
                return func(*args, **kwargs)

        return inner


def load_backend(backend_name: str) -> Any:
    """Import the backend package ``backend_name`` (its ``base`` module)."""
    try:
        return import_module(f"{backend_name}.base")
    except ImportError as exc:
        raise ImproperlyConfigured(
            f"{backend_name!r} isn't an available database backend or couldn't be "
            f"imported ({exc}). Try 'manouche.db.backends.XXX', where XXX is one "
            "of: 'mysql', 'postgresql', 'sqlite3'."
        ) from exc


class ConnectionDoesNotExist(ImproperlyConfigured, KeyError):
    """Raised when ``connections[alias]`` names an alias not in DATABASES."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class ConnectionHandler:
    """``connections[alias]``: one DatabaseWrapper per alias per thread.

    Settings are read lazily and re-read after ``setting_changed`` for
    DATABASES (the handler's ``settings`` cached property is then reset).
    """

    def __init__(self, databases: dict[str, dict[str, Any]] | None = None) -> None:
        self._databases = databases
        self._local = threading.local()
        # Wrappers shared by every thread (in-memory SQLite test databases).
        self._shared: dict[str, BaseDatabaseWrapper] = {}
        self._lock = threading.RLock()

    @cached_property
    def settings(self) -> dict[str, dict[str, Any]]:
        """The DATABASES settings, completed with defaults."""
        databases = self._databases
        if databases is None:
            databases = settings.DATABASES
        if not databases:
            databases = {DEFAULT_DB_ALIAS: {"ENGINE": "manouche.db.backends.dummy"}}
        if DEFAULT_DB_ALIAS not in databases:
            raise ImproperlyConfigured(
                f"You must define a '{DEFAULT_DB_ALIAS}' database."
            )
        for conn in databases.values():
            self._complete(conn)
        return databases

    @staticmethod
    def _complete(conn: dict[str, Any]) -> None:
        conn.setdefault("ATOMIC_REQUESTS", False)
        conn.setdefault("AUTOCOMMIT", True)
        conn.setdefault("ENGINE", "manouche.db.backends.dummy")
        if conn["ENGINE"] == "manouche.db.backends." or not conn["ENGINE"]:
            conn["ENGINE"] = "manouche.db.backends.dummy"
        conn.setdefault("CONN_MAX_AGE", 0)
        conn.setdefault("CONN_HEALTH_CHECKS", False)
        conn.setdefault("OPTIONS", {})
        conn.setdefault("TIME_ZONE", None)
        for key in ("NAME", "USER", "PASSWORD", "HOST", "PORT"):
            conn.setdefault(key, "")
        test = conn.setdefault("TEST", {})
        for key in ("CHARSET", "COLLATION", "MIGRATE", "MIRROR", "NAME"):
            test.setdefault(key, None if key != "MIGRATE" else True)

    @property
    def databases(self) -> dict[str, dict[str, Any]]:
        """Alias of ``settings`` (Django's name)."""
        return self.settings

    def create_connection(self, alias: str) -> BaseDatabaseWrapper:
        """Build a new DatabaseWrapper for ``alias``."""
        try:
            db = self.settings[alias]
        except KeyError:
            raise ConnectionDoesNotExist(
                f"The connection '{alias}' doesn't exist."
            ) from None
        backend = load_backend(db["ENGINE"])
        wrapper: BaseDatabaseWrapper = backend.DatabaseWrapper(db, alias)
        return wrapper

    def __getitem__(self, alias: str) -> BaseDatabaseWrapper:
        shared = self._shared.get(alias)
        if shared is not None:
            return shared
        try:
            return getattr(self._local, alias)  # type: ignore[no-any-return]
        except AttributeError:
            pass
        if alias not in self.settings:
            raise ConnectionDoesNotExist(f"The connection '{alias}' doesn't exist.")
        wrapper = self.create_connection(alias)
        if wrapper.is_shared_across_threads():
            with self._lock:
                shared = self._shared.setdefault(alias, wrapper)
            return shared
        setattr(self._local, alias, wrapper)
        return wrapper

    def __setitem__(self, alias: str, wrapper: BaseDatabaseWrapper) -> None:
        if wrapper.is_shared_across_threads():
            self._shared[alias] = wrapper
        else:
            setattr(self._local, alias, wrapper)

    def __delitem__(self, alias: str) -> None:
        self._shared.pop(alias, None)
        try:
            delattr(self._local, alias)
        except AttributeError:
            pass

    def __iter__(self) -> Iterator[str]:
        return iter(self.settings)

    def __contains__(self, alias: object) -> bool:
        return alias in self.settings

    def unused(self) -> bool:
        """Whether this thread has created no wrapper yet, and none is shared."""
        return not self._shared and not vars(self._local)

    def all(self, initialized_only: bool = False) -> list[BaseDatabaseWrapper]:
        """Return this thread's wrappers (only those already created if asked)."""
        if initialized_only and not self._shared and not vars(self._local):
            return []  # None created in this thread: the per-request common case.
        result = []
        for alias in self:
            if initialized_only and not (
                alias in self._shared or hasattr(self._local, alias)
            ):
                continue
            result.append(self[alias])
        return result

    def close_all(self) -> None:
        """Close this thread's connections (and the shared ones)."""
        for conn in self.all(initialized_only=True):
            conn.close()

    async def aclose_all(self) -> None:
        """Close this thread's connections and return the task's async ones."""
        for conn in self.all(initialized_only=True):
            await conn.aclose()

    def reset(self) -> None:
        """Forget settings and wrappers, closing what is open (settings changed)."""
        for conn in self.all(initialized_only=True):
            try:
                conn.close()
            except Error:
                pass
        for wrapper in list(self._shared.values()):
            wrapper.close()
        self._shared.clear()
        self._local = threading.local()
        self.__dict__.pop("settings", None)
        from manouche.db.backends.base.base import dispose_engines

        dispose_engines()


class ConnectionRouter:
    """Route reads, writes, relations and migrations through DATABASE_ROUTERS."""

    def __init__(self, routers: list[Any] | None = None) -> None:
        self._routers = routers

    @cached_property
    def routers(self) -> list[Any]:
        """The router instances, in order."""
        configured = self._routers
        if configured is None:
            configured = settings.DATABASE_ROUTERS
        routers = []
        for router in configured:
            if isinstance(router, str):
                router = import_string(router)()
            elif isinstance(router, type):
                router = router()
            routers.append(router)
        return routers

    def _router_func(action: str) -> Any:  # type: ignore[misc]
        def _route_db(self: ConnectionRouter, model: Any, **hints: Any) -> str:
            chosen = None
            for router in self.routers:
                method = getattr(router, action, None)
                if method is None:
                    continue
                chosen = method(model, **hints)
                if chosen:
                    return str(chosen)
            instance = hints.get("instance")
            state = getattr(instance, "_state", None)
            if state is not None and getattr(state, "db", None):
                return str(state.db)
            return DEFAULT_DB_ALIAS

        _route_db.__name__ = action
        _route_db.__doc__ = f"Return the alias to use for ``{action}``."
        return _route_db

    db_for_read = _router_func("db_for_read")
    db_for_write = _router_func("db_for_write")
    del _router_func

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        """Ask the routers; by default only objects of the same database relate."""
        for router in self.routers:
            method = getattr(router, "allow_relation", None)
            if method is None:
                continue
            allowed = method(obj1, obj2, **hints)
            if allowed is not None:
                return bool(allowed)
        return bool(obj1._state.db == obj2._state.db)

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        """Ask the routers whether ``app_label`` may be migrated on ``db``."""
        for router in self.routers:
            method = getattr(router, "allow_migrate", None)
            if method is None:
                continue
            allowed = method(db, app_label, **hints)
            if allowed is not None:
                return bool(allowed)
        return True

    def allow_migrate_model(self, db: str, model: Any) -> bool:
        """Whether ``model`` may be migrated (created) on ``db``."""
        meta = model._meta
        if not getattr(meta, "can_migrate", lambda connection: True)(db):
            return False
        if getattr(meta, "proxy", False) or not getattr(meta, "managed", True):
            return False
        return self.allow_migrate(db, meta.app_label, model_name=meta.model_name)

    def get_migratable_models(
        self, app_config: Any, db: str, include_auto_created: bool = False
    ) -> list[Any]:
        """Return the models of ``app_config`` that may be migrated on ``db``."""
        models = app_config.get_models(include_auto_created=include_auto_created)
        return [model for model in models if self.allow_migrate_model(db, model)]
