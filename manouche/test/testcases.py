"""unittest test case classes with manouche's clients and assertions.

``SimpleTestCase`` gives each test a fresh ``client`` and ``async_client``,
applies class-level ``override_settings``/``modify_settings`` and runs
``async def`` tests. Its assertions about responses, HTML, JSON, XML, URLs,
messages and templates are mixins (``_assertions_*``). Database behaviour
belongs to ``TransactionTestCase`` and ``TestCase``, which the ORM completes.
"""

from __future__ import annotations

import logging
import pickle
import sys
import unittest
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from difflib import get_close_matches
from typing import Any, ClassVar

from manouche.conf import settings
from manouche.core.exceptions import ImproperlyConfigured
from manouche.core.management import call_command
from manouche.test import _db_state
from manouche.test._assertions_db import DatabaseAssertions
from manouche.test._assertions_forms import FormAssertions
from manouche.test._assertions_markup import MarkupAssertions
from manouche.test._assertions_markup import (
    assert_and_parse_html as assert_and_parse_html,
)
from manouche.test._assertions_raises import RaisesMessageAssertions
from manouche.test._assertions_response import ResponseAssertions
from manouche.test._assertions_templates import TemplateAssertions
from manouche.test._databases import (
    DatabaseAccessGuard,
    DatabaseOperationForbidden,
)
from manouche.test._features import (
    skipIfDBFeature,
    skipUnlessAnyDBFeature,
    skipUnlessDBFeature,
)
from manouche.test.client import AsyncClient, Client
from manouche.test.utils import (
    _set_mail_outbox,
    modify_settings,
    override_settings,
)
from manouche.utils.asyncio import async_to_sync, iscoroutinefunction

__all__ = [
    "DatabaseOperationForbidden",
    "SerializeMixin",
    "SimpleTestCase",
    "TestCase",
    "TransactionTestCase",
    "skipIfDBFeature",
    "skipUnlessAnyDBFeature",
    "skipUnlessDBFeature",
]

_logger = logging.getLogger("manouche.test")


def is_pickable(obj: Any) -> bool:
    """Tell whether ``obj`` survives a pickle round trip (parallel runs need it)."""
    try:
        pickle.loads(pickle.dumps(obj))
    except Exception:
        return False
    return True


class SimpleTestCase(
    ResponseAssertions,
    TemplateAssertions,
    FormAssertions,
    RaisesMessageAssertions,
    MarkupAssertions,
    unittest.TestCase,
):
    """A test case with test clients, settings helpers and web assertions."""

    client_class: ClassVar[type[Client]] = Client
    async_client_class: ClassVar[type[AsyncClient]] = AsyncClient
    _overridden_settings: ClassVar[dict[str, Any] | None] = None
    _modified_settings: ClassVar[list[Any] | None] = None
    # Databases this test may use; the ORM will refuse the others.
    databases: ClassVar[set[str] | str] = set()
    client: Client
    async_client: AsyncClient

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls._validate_databases()
        if cls._overridden_settings:
            overridden = override_settings(**cls._overridden_settings)
            overridden.enable()
            cls.addClassCleanup(overridden.disable)
        if cls._modified_settings:
            modified = modify_settings(cls._modified_settings)
            modified.enable()
            cls.addClassCleanup(modified.disable)
        guard = DatabaseAccessGuard(
            cls,
            cls._databases_names(),
            simple=not issubclass(cls, TransactionTestCase),
        )
        guard.enable()
        cls.addClassCleanup(guard.disable)

    @classmethod
    def _validate_databases(cls) -> frozenset[str]:
        """The aliases of ``databases``, each checked against settings.DATABASES.

        A misspelt alias would otherwise surface only as a refused query
        in some test; failing at class set-up names it and the likely fix.
        """
        from manouche.db import connections

        if cls.databases == "__all__":
            return frozenset(connections)
        for alias in cls.databases:
            if alias not in connections:
                message = (
                    f"{cls.__module__}.{cls.__qualname__}.databases refers to "
                    f"{alias!r} which is not defined in settings.DATABASES."
                )
                close = get_close_matches(alias, list(connections))
                if close:
                    message += f" Did you mean {close[0]!r}?"
                raise ImproperlyConfigured(message)
        return frozenset(cls.databases)

    @classmethod
    def _databases_names(cls, include_mirrors: bool = True) -> set[str]:
        """The aliases this test case may use ("__all__" means every alias)."""
        if cls.databases == "__all__":
            return set(settings.DATABASES or {}) or {"default"}
        return set(cls.databases)

    def __getstate__(self) -> dict[str, Any]:
        """Pickle only the picklable attributes (parallel runners send tests)."""
        return {
            key: value for key, value in self.__dict__.items() if is_pickable(value)
        }

    def __call__(self, result: unittest.TestResult | None = None) -> Any:
        """Set up clients around the test; subclasses needn't call super().setUp()."""
        return self._setup_and_call(result)

    def debug(self) -> None:
        """Run the test without collecting the result, raising errors."""
        self._setup_and_call(None, debug=True)

    def _setup_and_call(self, result: Any, debug: bool = False) -> Any:
        test_method = getattr(self, self._testMethodName)
        skipped = getattr(self.__class__, "__unittest_skip__", False) or getattr(
            test_method, "__unittest_skip__", False
        )
        if iscoroutinefunction(test_method):
            setattr(self, self._testMethodName, async_to_sync(test_method))
        if not skipped:
            try:
                self._pre_setup()
            except Exception:
                if debug:
                    raise
                if result is not None:
                    result.addError(self, sys.exc_info())
                return None
        if debug:
            super().debug()
            outcome = None
        else:
            outcome = super().__call__(result)
        if not skipped:
            try:
                self._post_teardown()
            except Exception:
                if debug:
                    raise
                if result is not None:
                    result.addError(self, sys.exc_info())
        return outcome

    def _pre_setup(self) -> None:
        """Give the test fresh clients and an empty mail outbox."""
        self.client = self.client_class()
        self.async_client = self.async_client_class()
        _set_mail_outbox()

    def _post_teardown(self) -> None:
        """Undo ``_pre_setup`` (nothing to undo yet)."""

    def settings(self, **kwargs: Any) -> override_settings:
        """Return a context manager overriding settings for part of a test."""
        return override_settings(**kwargs)

    def modify_settings(self, **kwargs: Any) -> modify_settings:
        """Return a context manager that edits list settings (append, remove...)."""
        return modify_settings(**kwargs)


class TransactionTestCase(DatabaseAssertions, SimpleTestCase):
    """A test case that may use the databases it names; tables flushed after.

    ``databases`` lists the aliases the test may use (``"__all__"`` for
    all); queries to others fail. After each test the tables of installed
    models are emptied (``reset_sequences`` restarts their sequences).
    """

    databases: ClassVar[set[str] | str] = {"default"}
    reset_sequences = False
    available_apps: ClassVar[list[str] | None] = None
    fixtures: ClassVar[list[str] | None] = None
    serialized_rollback = False
    _class_data_loaded: ClassVar[bool] = False

    @classmethod
    def setUpClass(cls) -> None:
        """Load the first test's data now, so ``setUpClass`` can read it."""
        super().setUpClass()
        # Set on the class itself: a subclass's flag is its own.
        cls._class_data_loaded = False
        if not cls._loads_data_at_class_setup():
            return
        _db_state.enter_available_apps(cls.available_apps)
        try:
            cls._load_test_data()
        finally:
            _db_state.exit_available_apps(cls.available_apps)
        cls._class_data_loaded = True
        # Flushed if no test ran to use (and flush) it.
        cls.addClassCleanup(cls._flush_unused_class_data)

    @classmethod
    def _loads_data_at_class_setup(cls) -> bool:
        return bool(cls.fixtures or cls.serialized_rollback)

    @classmethod
    def _flush_unused_class_data(cls) -> None:
        if cls.__dict__.get("_class_data_loaded"):
            cls._class_data_loaded = False
            cls._flush_databases(allow_cascade=cls.available_apps is not None)

    def _pre_setup(self) -> None:
        super()._pre_setup()
        _db_state.enter_available_apps(self.available_apps)
        try:
            self._fixture_setup()
        except Exception:
            _db_state.exit_available_apps(self.available_apps)
            raise
        # Set-up queries must not count towards the test's (bounded) log.
        from manouche.db import connections

        for alias in self._databases_names(include_mirrors=False):
            if alias in connections:
                queries_log = getattr(connections[alias], "queries_log", None)
                if queries_log is not None:
                    queries_log.clear()

    def _post_teardown(self) -> None:
        try:
            self._fixture_teardown()
        finally:
            from manouche.db import connections

            _forget_rolled_back_rows()
            for alias in self._databases_names():
                if alias in connections:
                    connections[alias].close()
            _db_state.exit_available_apps(self.available_apps)
            super()._post_teardown()

    def _fixture_setup(self) -> None:
        """Restart sequences, restore the serialized rows, load ``fixtures``."""
        cls = type(self)
        if cls.__dict__.get("_class_data_loaded"):
            # setUpClass loaded this first test's data already.
            cls._class_data_loaded = False
            return
        self._load_test_data()

    @classmethod
    def _load_test_data(cls) -> None:
        if cls.reset_sequences:
            _db_state.reset_sequences(cls._databases_names(include_mirrors=False))
        if cls.serialized_rollback:
            _db_state.restore_serialized_contents(
                cls._databases_names(include_mirrors=False), cls.available_apps
            )
        if cls.fixtures:
            for alias in cls._databases_names(include_mirrors=False):
                call_command("loaddata", *cls.fixtures, verbosity=0, database=alias)

    def _fixture_teardown(self) -> None:
        """Empty the tables of installed models in every declared database.

        The ``flush`` command does it (tests patch ``call_command`` to see
        how). Its ``post_migrate`` signal stays inhibited: rows recreated
        by handlers (content types...) would get new keys and collide with
        the rows a later ``serialized_rollback`` test writes back.
        Sequences restart at set-up when ``reset_sequences`` asks.
        """
        # The instance's available_apps: a test may change it in setUp.
        self._flush_databases(allow_cascade=self.available_apps is not None)

    @classmethod
    def _flush_databases(cls, *, allow_cascade: bool) -> None:
        from manouche.db import connections

        for alias in sorted(cls._databases_names(include_mirrors=False)):
            if alias not in connections or connections[alias].vendor == "dummy":
                continue
            call_command(
                "flush",
                verbosity=0,
                interactive=False,
                database=alias,
                reset_sequences=False,
                allow_cascade=allow_cascade,
                inhibit_post_migrate=True,
            )


class TestData:
    """A class attribute from setUpTestData, deep-copied once per test."""

    memo_attr = "_manouche_testdata_memo"

    def __init__(self, name: str, data: Any) -> None:
        self.name = name
        self.data = data

    def get_memo(self, testcase: Any) -> dict[int, Any]:
        """The deepcopy memo shared by the attributes of one test."""
        try:
            memo: dict[int, Any] = getattr(testcase, self.memo_attr)
        except AttributeError:
            memo = {}
            setattr(testcase, self.memo_attr, memo)
        return memo

    def __get__(self, instance: Any, owner: Any) -> Any:
        if instance is None:
            return self.data
        import copy

        data = copy.deepcopy(self.data, self.get_memo(instance))
        setattr(instance, self.name, data)
        return data

    def __repr__(self) -> str:
        return f"<TestData: name={self.name!r}, data={self.data!r}>"


class TestCase(TransactionTestCase):
    """A test case whose every test runs in a rolled-back transaction.

    The class opens a transaction per database around ``setUpTestData``;
    each test runs in a savepoint rolled back afterwards, and attributes set
    in ``setUpTestData`` are deep-copied per test. Async code in the test
    uses the test's connection, so it sees (and rolls back with) its data.
    """

    cls_atomics: ClassVar[dict[str, Any]] = {}

    @classmethod
    def _loads_data_at_class_setup(cls) -> bool:
        # With transactions, setUpClass loads fixtures inside the class's own.
        return (
            not cls._databases_support_transactions()
            and super()._loads_data_at_class_setup()
        )

    @classmethod
    def _enter_atomics(cls) -> dict[str, Any]:
        from manouche.db import transaction

        atomics = {}
        for alias in sorted(cls._databases_names()):
            atomic = transaction.atomic(using=alias)
            atomic._from_testcase = True
            atomic.__enter__()
            atomics[alias] = atomic
        return atomics

    @classmethod
    def _rollback_atomics(cls, atomics: dict[str, Any]) -> None:
        from manouche.db import transaction

        for alias, atomic in reversed(list(atomics.items())):
            transaction.set_rollback(True, using=alias)
            atomic.__exit__(None, None, None)

    @classmethod
    def _databases_support_transactions(cls) -> bool:
        from manouche.db import connections

        return all(
            connections[alias].features.supports_transactions
            and connections[alias].vendor != "dummy"
            for alias in cls._databases_names()
        )

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.cls_atomics = {}
        if not cls._databases_support_transactions():
            return
        cls.cls_atomics = cls._enter_atomics()
        if cls.fixtures:
            # Loaded once for the class, inside its transaction.
            for alias in cls._databases_names(include_mirrors=False):
                try:
                    call_command("loaddata", *cls.fixtures, verbosity=0, database=alias)
                except Exception:
                    cls._rollback_atomics(cls.cls_atomics)
                    raise
        before = dict(cls.__dict__)
        try:
            cls.setUpTestData()
        except Exception:
            cls._rollback_atomics(cls.cls_atomics)
            raise
        for name, value in cls.__dict__.copy().items():
            if name.startswith("__") or callable(value):
                continue
            if name in before and before[name] is value:
                continue
            if isinstance(value, (classmethod, staticmethod, property, TestData)):
                continue
            setattr(cls, name, TestData(name, value))

    @classmethod
    def tearDownClass(cls) -> None:
        if cls.cls_atomics:
            cls._rollback_atomics(cls.cls_atomics)
            cls.cls_atomics = {}
            # Rows setUpTestData created are gone with the class transaction.
            _forget_rolled_back_rows()
        super().tearDownClass()

    @classmethod
    def setUpTestData(cls) -> None:
        """Create class-wide test data (runs once, inside the class transaction)."""

    def _fixture_setup(self) -> None:
        if not self._databases_support_transactions():
            super()._fixture_setup()
            return
        if self.reset_sequences:
            raise TypeError("reset_sequences cannot be used on TestCase instances")
        from manouche.db.backends._async_atomic import hold_for_testcase

        self.atomics = self._enter_atomics()
        self._held_token = hold_for_testcase(self.atomics)
        self._cached_rows = _cached_rows_snapshot()

    def _fixture_teardown(self) -> None:
        if not self._databases_support_transactions():
            super()._fixture_teardown()
            return
        from manouche.db.backends._async_atomic import release_for_testcase

        # Released once: a test may call this itself before the real teardown.
        token = self.__dict__.pop("_held_token", None)
        if token is not None:
            release_for_testcase(token)
        try:
            # The test's transaction never commits: check its deferred keys.
            _db_state.check_deferred_constraints(self._databases_names())
        finally:
            self._rollback_atomics(self.atomics)

    def _post_teardown(self) -> None:
        if not self._databases_support_transactions():
            super()._post_teardown()
            return
        try:
            self._fixture_teardown()
        finally:
            # What was cached when the test began is still in the database.
            _restore_cached_rows(self.__dict__.pop("_cached_rows", None))
            _db_state.exit_available_apps(self.available_apps)
            SimpleTestCase._post_teardown(self)

    @classmethod
    @contextmanager
    def captureOnCommitCallbacks(
        cls, *, using: str = "default", execute: bool = False
    ) -> Iterator[list[Callable[[], Any]]]:
        """Collect the on_commit callbacks registered in the block (run them if
        ``execute``)."""
        from manouche.db import connections

        callbacks: list[Callable[[], Any]] = []
        start_count = len(connections[using].run_on_commit)
        try:
            yield callbacks
        finally:
            while True:
                callback_count = len(connections[using].run_on_commit)
                for _, callback, robust in connections[using].run_on_commit[
                    start_count:
                ]:
                    callbacks.append(callback)
                    if execute:
                        if robust:
                            try:
                                callback()
                            except Exception as exc:
                                # A robust callback's failure is reported, as a
                                # real commit would, not silently dropped.
                                name = getattr(callback, "__qualname__", callback)
                                _logger.exception(
                                    "Error calling %s in on_commit() (%s).", name, exc
                                )
                        else:
                            callback()
                if callback_count == len(connections[using].run_on_commit):
                    break
                start_count = callback_count


def _content_types() -> Any:
    """ContentType's manager when the app is installed, else None."""
    from manouche.apps import apps

    if apps.ready and apps.is_installed("manouche.contrib.contenttypes"):
        from manouche.contrib.contenttypes.models import ContentType

        return ContentType.objects
    return None


def _forget_rolled_back_rows() -> None:
    """Drop caches that may hold rows the test's rollback or flush removed."""
    manager = _content_types()
    if manager is not None:
        manager.clear_cache()


def _cached_rows_snapshot() -> dict[str, dict[Any, Any]] | None:
    """What the ContentType cache holds now (rows a rollback cannot remove)."""
    manager = _content_types()
    if manager is None:
        return None
    return {using: dict(bucket) for using, bucket in manager._cache.items()}


def _restore_cached_rows(snapshot: dict[str, dict[Any, Any]] | None) -> None:
    """Forget what was cached since ``snapshot``: the test's rollback removed it.

    Unlike clearing, this keeps the content types known before the test, so
    the next test does not query them again.
    """
    manager = _content_types()
    if manager is None:
        return
    if snapshot is None:
        manager.clear_cache()
        return
    manager._cache.clear()
    manager._cache.update({using: dict(bucket) for using, bucket in snapshot.items()})


class SerializeMixin:
    """Run the test classes sharing a ``lockfile`` one at a time.

    Parallel test processes take an exclusive lock on the file for the
    whole class, so classes touching one shared resource never overlap.
    """

    lockfile: ClassVar[str | None] = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.lockfile is None:
            raise ValueError(
                f"{cls.__name__}.lockfile isn't set. Set it to a unique value in "
                "the base class."
            )

    @classmethod
    def setUpClass(cls) -> None:
        import fcntl

        assert cls.lockfile is not None
        lock = open(cls.lockfile)  # noqa: SIM115 - held for the whole class
        cls.addClassCleanup(lock.close)  # type: ignore[attr-defined]
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        super().setUpClass()  # type: ignore[misc]


def __getattr__(name: str) -> Any:
    """``LiveServerTestCase`` and ``LiveServerThread`` live where Django has them.

    They subclass ``TransactionTestCase``, so their module imports this one:
    importing them lazily here avoids the cycle.
    """
    if name in ("LiveServerTestCase", "LiveServerThread"):
        from manouche.test import _live_server

        return getattr(_live_server, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
