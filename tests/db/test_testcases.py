"""manouche.test.TestCase / TransactionTestCase against real databases."""

# The point is to exercise manouche.test.TestCase itself.
# ruff: noqa: PT009

from __future__ import annotations

import unittest
from typing import ClassVar

import pytest
import sqlalchemy as sa

from manouche.db import connections, transaction
from manouche.test import SimpleTestCase, TestCase, TransactionTestCase
from manouche.test.utils import setup_databases, teardown_databases
from tests.db.models_standin import Author, Book, Tag, author_table, book_table


def count():
    query = sa.select(sa.func.count()).select_from(author_table)
    return connections["default"].execute(query).rows[0][0]


def run(*cases):
    suite = unittest.TestSuite()
    for case in cases:
        suite.addTests(unittest.defaultTestLoader.loadTestsFromTestCase(case))
    result = unittest.TestResult()
    suite.run(result)
    return result


def problems(result):
    return [text for _, text in result.errors + result.failures]


class IsolatedTests(TestCase):
    __test__ = False  # run by the pytest tests below

    @classmethod
    def setUpTestData(cls):
        connections["default"].execute(sa.insert(author_table).values(name="class"))
        cls.payload = {"names": ["class"]}

    def test_a_writes_and_mutates_class_data(self):
        connections["default"].execute(sa.insert(author_table).values(name="a"))
        self.payload["names"].append("a")
        self.assertEqual(count(), 2)

    def test_b_sees_only_class_data(self):
        self.assertEqual(count(), 1)
        self.assertEqual(self.payload, {"names": ["class"]})

    def test_c_durable_atomic_works_inside_testcase(self):
        with transaction.atomic(durable=True):
            connections["default"].execute(sa.insert(author_table).values(name="d"))
        self.assertEqual(count(), 2)

    async def test_d_async_code_shares_the_test_transaction(self):
        conn = connections["default"]
        await conn.aexecute(sa.insert(author_table).values(name="async"))
        async with transaction.atomic():
            await conn.aexecute(sa.insert(author_table).values(name="nested"))
        result = await conn.aexecute(
            sa.select(sa.func.count()).select_from(author_table)
        )
        self.assertEqual(result.rows[0][0], 3)

    def test_e_assert_num_queries_and_on_commit_capture(self):
        self.ran = []
        with self.assertNumQueries(1):
            count()
        with self.captureOnCommitCallbacks(execute=True) as callbacks:
            transaction.on_commit(lambda: self.ran.append(1))
        self.assertEqual(len(callbacks), 1)
        self.assertEqual(self.ran, [1])


class NumQueriesFailure(TestCase):
    __test__ = False  # run by the pytest tests below

    def test_wrong_count(self):
        with self.assertNumQueries(2):
            count()


class Flushed(TransactionTestCase):
    __test__ = False  # run by the pytest tests below

    def test_writes(self):
        connections["default"].execute(sa.insert(author_table).values(name="t"))
        self.assertEqual(count(), 1)


class NoDatabase(SimpleTestCase):
    __test__ = False  # run by the pytest tests below

    def test_query(self):
        count()


class WrongDatabase(TestCase):
    __test__ = False  # run by the pytest tests below

    databases = {"default"}

    def test_query_other(self):
        connections["other"].execute(sa.select(sa.literal(1)))


def test_testcase_rolls_back_each_test_and_isolates_test_data(database):
    database.create_models(Author)
    result = run(IsolatedTests)
    assert problems(result) == []
    assert result.testsRun == 5
    assert count() == 0


def test_assert_num_queries_reports_the_captured_queries(database):
    database.create_models(Author)
    result = run(NumQueriesFailure)
    [failure] = problems(result)
    assert "1 queries executed, 2 expected" in failure
    assert "dbt_author" in failure


def test_transaction_testcase_flushes_installed_tables(database, monkeypatch):
    database.create_models(Author)
    from manouche.db.backends.base import introspection

    monkeypatch.setattr(
        introspection.BaseDatabaseIntrospection,
        "manouche_table_names",
        lambda self, only_existing=False, include_views=True: ["dbt_author"],
    )
    result = run(Flushed)
    assert problems(result) == []
    assert count() == 0


def test_simple_testcase_refuses_database_queries(database):
    result = run(NoDatabase)
    [error] = problems(result)
    assert "Database queries to 'default' are not allowed in SimpleTestCase" in error


def test_undeclared_database_fails_with_a_clear_message(database):
    from manouche.test.utils import override_settings

    databases = {"default": database.settings, "other": dict(database.settings)}
    with override_settings(DATABASES=databases):
        result = run(WrongDatabase)
    [error] = problems(result)
    assert "Database queries to 'other' are not allowed in this test" in error
    assert "WrongDatabase.databases" in error


def test_setup_and_teardown_databases_create_test_databases(database):
    from manouche.test.utils import override_settings

    if database.vendor == "sqlite":
        settings_dict = {"ENGINE": "manouche.db.backends.sqlite3", "NAME": "app.db"}
        expected = ":memory:"
    else:
        settings_dict = dict(database.settings, NAME="manouche_app")
        expected = "test_manouche_app"
    with override_settings(DATABASES={"default": settings_dict}):
        old = setup_databases(0, interactive=False, aliases={"default"})
        conn = connections["default"]
        assert conn.settings_dict["NAME"] == expected
        assert conn.execute(sa.select(sa.literal(1))).rows == [(1,)]
        teardown_databases(old, verbosity=0)
        assert conn.settings_dict["NAME"] == settings_dict["NAME"]
        if database.vendor != "sqlite":
            # The test database is gone: creating it again works.
            creation = conn.creation
            creation.create_test_database_named(expected)
            creation.destroy_test_database_named(expected)


def test_keepdb_keeps_an_existing_test_database(database):
    from manouche.test.utils import override_settings

    if database.vendor == "sqlite":
        return
    settings_dict = dict(database.settings, NAME="manouche_keep")
    with override_settings(DATABASES={"default": settings_dict}):
        old = setup_databases(0, interactive=False, keepdb=True)
        conn = connections["default"]
        conn.execute(sa.text("CREATE TABLE kept_table (x INTEGER)"))
        teardown_databases(old, verbosity=0, keepdb=True)
        old = setup_databases(0, interactive=False, keepdb=True)
        assert "kept_table" in conn.introspection.table_names()
        teardown_databases(old, verbosity=0, keepdb=False)


class LeavesDanglingKey(TestCase):
    __test__ = False  # run by the pytest tests below
    reached_end: ClassVar[bool] = False

    def test_dangling_book(self):
        connections["default"].execute(
            sa.insert(book_table).values(title="orphan", author_id=404)
        )
        LeavesDanglingKey.reached_end = True


class ForwardReference(TestCase):
    __test__ = False  # run by the pytest tests below

    def test_book_before_its_author(self):
        conn = connections["default"]
        conn.execute(sa.insert(book_table).values(title="early", author_id=7))
        conn.execute(sa.insert(author_table).values(id=7, name="late"))


@pytest.mark.parametrize("database", ["sqlite", "postgresql"], indirect=True)
def test_testcase_fails_a_test_that_leaves_a_dangling_foreign_key(database):
    database.create_models(Author, Tag, Book)
    result = run(LeavesDanglingKey)
    # The insert itself passed (the key is deferred); the check at the end
    # of the test, before its rollback, failed it.
    assert LeavesDanglingKey.reached_end
    [error] = problems(result)
    assert "IntegrityError" in error
    assert "dbt_book" in error
    assert count() == 0


@pytest.mark.parametrize("database", ["sqlite", "postgresql"], indirect=True)
def test_testcase_accepts_a_reference_resolved_before_the_test_ends(database):
    database.create_models(Author, Tag, Book)
    result = run(ForwardReference)
    assert problems(result) == []
    assert result.testsRun == 1
