"""TestCase and the ContentType cache: a rollback forgets only what it removed."""

from __future__ import annotations

import unittest
from typing import Any, ClassVar

from manouche.contrib.contenttypes.models import ContentType
from manouche.test import TestCase
from manouche.test.utils import CaptureQueriesContext
from tests.contrib.contenttypes.genericapp.models import Bookmark, Note


def _cached(model: Any) -> bool:
    opts = model._meta
    return (
        ContentType.objects._cached("default", (opts.app_label, opts.model_name))
        is not None
    )


class CacheAcrossTests(TestCase):
    __test__ = False  # run by the test below, not collected on its own
    seen: ClassVar[dict[str, Any]] = {}

    def test_1_caches_a_type_the_rollback_removes(self) -> None:
        ContentType.objects.get_for_model(Note)
        self.seen["cached_in_test"] = _cached(Note)

    def test_2_keeps_what_was_cached_before(self) -> None:
        self.seen["rolled_back_type_forgotten"] = not _cached(Note)
        from manouche.db import connection

        with CaptureQueriesContext(connection) as queries:
            ContentType.objects.get_for_model(Bookmark)
        self.seen["queries_for_known_type"] = len(queries)


def test_a_test_forgets_the_types_its_rollback_removed_and_keeps_the_rest(
    tables: Any,
) -> None:
    known = ContentType.objects.get_for_model(Bookmark)  # committed, cached
    suite = unittest.defaultTestLoader.loadTestsFromTestCase(CacheAcrossTests)
    result = unittest.TestResult()
    suite.run(result)
    assert result.wasSuccessful(), result.errors + result.failures
    assert CacheAcrossTests.seen == {
        "cached_in_test": True,
        "rolled_back_type_forgotten": True,
        "queries_for_known_type": 0,
    }
    # The class transaction is over: its rows are gone, and so is the cache.
    assert not _cached(Note)
    assert ContentType.objects.filter(model="note").count() == 0
    assert ContentType.objects.get_for_model(Bookmark) == known
