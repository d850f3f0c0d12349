"""TestCase / TransactionTestCase life cycle: data ready in setUpClass, robust
on_commit callbacks, threads in SimpleTestCase, teardown run twice."""

# The point is to exercise manouche.test's test cases themselves.
# ruff: noqa: PT009

from __future__ import annotations

import threading
import unittest
from typing import Any, ClassVar

import sqlalchemy as sa

from manouche.db import connections, transaction
from manouche.test import SimpleTestCase, TestCase, TransactionTestCase
from manouche.test.testcases import DatabaseOperationForbidden
from tests.db.models_standin import Author, author_table

# ``build`` is a fixture: importing it makes it available here.
from tests.db.test_testcase_database_state import (  # noqa: F401
    MIGRATED,
    build,
    genres,
)

WITH_FIXTURE = [*MIGRATED, ("from-fixture", "from-migration")]


class Seen:
    """What the cases below saw, by name."""

    rows: ClassVar[dict[str, Any]] = {}


def run(*cases: type[unittest.TestCase]) -> list[str]:
    """Run the cases; return the text of every error and failure."""
    suite = unittest.TestSuite()
    for case in cases:
        suite.addTests(unittest.defaultTestLoader.loadTestsFromTestCase(case))
    result = unittest.TestResult()
    suite.run(result)
    return [text for _, text in result.errors + result.failures]


class FixtureInSetUpClass(TransactionTestCase):
    __test__ = False
    serialized_rollback = True
    fixtures: ClassVar[list[str] | None] = ["extra_genre"]

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        Seen.rows["setUpClass"] = genres()

    def test_a(self) -> None:
        Seen.rows["a"] = genres()

    def test_b(self) -> None:
        Seen.rows["b"] = genres()


class FixtureButEveryTestSkipped(TransactionTestCase):
    __test__ = False
    serialized_rollback = True
    fixtures: ClassVar[list[str] | None] = ["extra_genre"]

    @unittest.skip("never runs")
    def test_skipped(self) -> None:
        raise AssertionError("skipped")


def test_fixtures_and_restored_rows_are_ready_in_set_up_class(build):  # noqa: F811
    build()
    Seen.rows = {}
    assert run(FixtureInSetUpClass) == []
    # setUpClass saw the data; so did both tests (the second after a reload).
    assert Seen.rows == {
        "setUpClass": WITH_FIXTURE,
        "a": WITH_FIXTURE,
        "b": WITH_FIXTURE,
    }
    assert genres() == []


def test_class_data_no_test_used_is_flushed(build):  # noqa: F811
    build()
    assert run(FixtureButEveryTestSkipped) == []
    assert genres() == []


class RobustCallback(TestCase):
    __test__ = False

    def test_robust(self) -> None:
        def hook() -> None:
            raise ValueError("robust failure")

        with (
            self.assertLogs("manouche.test", "ERROR") as logs,
            self.captureOnCommitCallbacks(execute=True) as callbacks,
        ):
            transaction.on_commit(hook, robust=True)
        self.assertEqual(callbacks, [hook])
        [record] = logs.records
        self.assertIn("hook in on_commit() (robust failure).", record.getMessage())
        self.assertIsInstance(record.exc_info[1], ValueError)


def test_captured_robust_callback_failure_is_logged(database):
    assert run(RobustCallback) == []


class QueryFromAThread(SimpleTestCase):
    __test__ = False

    def test_thread(self) -> None:
        errors: list[BaseException] = []

        def query() -> None:
            try:
                connections["default"].execute(sa.select(sa.literal(1)))
            except DatabaseOperationForbidden as exc:
                errors.append(exc)

        thread = threading.Thread(target=query)
        thread.start()
        thread.join()
        [error] = errors
        self.assertIn(
            "Database threaded connections to 'default' are not allowed in "
            "SimpleTestCase subclasses.",
            str(error),
        )


def test_simple_testcase_names_queries_from_other_threads(database):
    assert run(QueryFromAThread) == []


class TearsDownEarly(TestCase):
    """Runs the teardown's checks itself, as a test of those checks may."""

    __test__ = False

    def test_calls_teardown_itself(self) -> None:
        connections["default"].execute(sa.insert(author_table).values(name="x"))
        rollback_atomics = self._rollback_atomics
        self._rollback_atomics = lambda atomics: None  # type: ignore[method-assign]
        try:
            self._fixture_teardown()
        finally:
            self._rollback_atomics = rollback_atomics  # type: ignore[method-assign]


def test_fixture_teardown_may_run_before_the_real_one(database):
    database.create_models(Author)
    assert run(TearsDownEarly) == []
    query = sa.select(sa.func.count()).select_from(author_table)
    assert connections["default"].execute(query).rows[0][0] == 0
