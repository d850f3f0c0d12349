"""``fixtures = [...]`` on TestCase and TransactionTestCase loads via loaddata."""

# The point is to exercise manouche.test.TestCase itself.
# ruff: noqa: PT009

from __future__ import annotations

import unittest
from typing import Any, ClassVar

from manouche.test import TestCase, TransactionTestCase
from tests.db.conftest import DatabaseFixture
from tests.db.serializers.fixtureapp.models import City, Country


def run(case: type[unittest.TestCase]) -> unittest.TestResult:
    suite = unittest.defaultTestLoader.loadTestsFromTestCase(case)
    result = unittest.TestResult()
    suite.run(result)
    return result


def problems(result: unittest.TestResult) -> list[str]:
    return [text for _, text in result.errors + result.failures]


class ClassFixtures(TestCase):
    __test__ = False  # run by the pytest tests below
    fixtures: ClassVar[list[str] | None] = ["countries", "travel"]

    def test_a_sees_fixture_rows_and_changes_them(self) -> None:
        self.assertEqual(Country.objects.count(), 2)
        self.assertEqual(City.objects.count(), 2)
        Country.objects.filter(code="fr").delete()

    def test_b_sees_them_again(self) -> None:
        self.assertEqual(Country.objects.count(), 2)


class PerTestFixtures(TransactionTestCase):
    __test__ = False
    fixtures: ClassVar[list[str] | None] = ["countries"]

    def test_a_loaded(self) -> None:
        self.assertEqual(sorted(Country.objects.values_list("code", flat=True)),
                         ["be", "fr"])  # fmt: skip
        Country.objects.all().delete()

    def test_b_loaded_again(self) -> None:
        self.assertEqual(Country.objects.count(), 2)


class MissingFixture(TestCase):
    __test__ = False
    fixtures: ClassVar[list[str] | None] = ["does_not_exist"]

    def test_never_runs(self) -> None:
        raise AssertionError("unreachable")


def test_testcase_loads_fixtures_once_per_class(fdb: DatabaseFixture) -> None:
    result = run(ClassFixtures)
    assert problems(result) == []
    assert result.testsRun == 2
    assert not Country.objects.exists()  # rolled back with the class


def test_transaction_testcase_loads_fixtures_per_test(fdb: DatabaseFixture) -> None:
    result = run(PerTestFixtures)
    assert problems(result) == []
    assert result.testsRun == 2


def test_missing_fixture_fails_the_class(fdb: DatabaseFixture) -> None:
    result: Any = run(MissingFixture)
    assert len(result.errors) == 1
    assert "No fixture named 'does_not_exist' found." in result.errors[0][1]
    assert not Country.objects.exists()
