"""Test helpers Django's own suite relies on: garbage_collect, logging capture,
pickling test cases, SerializeMixin, assertQuerySetEqual and forbidden
database operations."""

from __future__ import annotations

import logging
import pickle
import unittest
import weakref
from typing import Any

import pytest

from manouche.test import SimpleTestCase, TransactionTestCase
from manouche.test._databases import DatabaseAccessGuard
from manouche.test.testcases import (
    DatabaseOperationForbidden,
    SerializeMixin,
    is_pickable,
)
from manouche.test.utils import LoggingCaptureMixin, garbage_collect


class _Unpicklable:
    def __getstate__(self) -> Any:
        raise pickle.PickleError("no")


def test_garbage_collect_kills_cyclic_garbage() -> None:
    class Node:
        other: Any = None

    a, b = Node(), Node()
    a.other, b.other = b, a
    ref = weakref.ref(a)
    del a, b
    garbage_collect()
    assert ref() is None


def test_is_pickable_tells_round_trippable_objects() -> None:
    assert is_pickable([1, "x"]) is True
    assert is_pickable(_Unpicklable()) is False
    assert is_pickable(lambda: 0) is False


def test_simple_test_case_pickles_without_unpicklable_attributes() -> None:
    class Example(SimpleTestCase):
        def test_it(self) -> None:
            pass

    case = Example("test_it")
    case.unpicklable = lambda: 0  # type: ignore[attr-defined]
    state = case.__getstate__()
    assert "unpicklable" not in state
    assert state["_testMethodName"] == "test_it"


def test_serialize_mixin_requires_a_lockfile() -> None:
    with pytest.raises(ValueError, match=r"NoLock.lockfile isn't set"):

        class NoLock(SerializeMixin, SimpleTestCase):
            pass


def test_serialize_mixin_locks_for_the_class(tmp_path: Any) -> None:
    lock = tmp_path / "lock"
    lock.write_text("")

    class Locked(SerializeMixin, SimpleTestCase):
        lockfile = str(lock)

        def test_it(self) -> None:
            pass

    result = unittest.TestResult()
    unittest.TestSuite([Locked("test_it")]).run(result)
    assert result.wasSuccessful(), result.errors


class _LoggingCase(LoggingCaptureMixin, SimpleTestCase):
    __test__ = False  # run by the test below, not collected on its own

    def test_it(self) -> None:
        logging.getLogger("manouche").error("captured message")
        assert "captured message" in self.logger_output.getvalue()


def test_logging_capture_mixin_swaps_the_handler_stream() -> None:
    logger = logging.getLogger("manouche")
    handler = logging.StreamHandler()
    logger.addHandler(handler)
    before = handler.stream
    # The mixin captures the first handler's stream, as the suite configures.
    logger.handlers.insert(0, logger.handlers.pop())
    try:
        result = unittest.TestResult()
        unittest.TestSuite([_LoggingCase("test_it")]).run(result)
        assert result.wasSuccessful(), result.failures + result.errors
        assert handler.stream is before
    finally:
        logger.removeHandler(handler)


class _QuerySetLike(list[Any]):
    ordered = False


class _AssertCase(TransactionTestCase):
    __test__ = False

    databases: Any = set()

    def runTest(self) -> None:
        pass


def test_assert_queryset_equal_counts_repeats_when_unordered() -> None:
    case = _AssertCase()
    case.assertQuerySetEqual([1, 1, 2], [2, 1, 1], ordered=False)
    with pytest.raises(AssertionError):
        case.assertQuerySetEqual([1, 2, 2], [1, 1, 2], ordered=False)
    case.assertQuerySetEqual([1, 2], ["1", "2"], transform=str)


def test_assert_queryset_equal_refuses_ambiguous_unordered_comparison() -> None:
    case = _AssertCase()
    with pytest.raises(ValueError, match="non-ordered queryset against more than one"):
        case.assertQuerySetEqual(_QuerySetLike([1, 2]), [1, 2])
    case.assertQuerySetEqual(_QuerySetLike([1]), [1])


def test_forbidden_database_operations_name_connections_or_queries() -> None:
    guard = DatabaseAccessGuard(_AssertCase, set(), simple=False)
    connecting = guard.message("other", "connections")
    assert connecting.startswith("Database connections to 'other' are not allowed")
    assert guard.message("other").startswith("Database queries to 'other'")
    assert issubclass(DatabaseOperationForbidden, AssertionError)
