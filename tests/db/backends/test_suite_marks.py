"""Backends mark the Django-suite tests they share Django's limits on."""

from __future__ import annotations

import sys
import types
import unittest
from typing import Any

from manouche.db.backends.base._suite_marks import mark_expected_failures_and_skips


def _sample_class() -> type[unittest.TestCase]:
    class Sample(unittest.TestCase):
        def test_fails(self) -> None:
            self.fail("known limitation")

        def test_skipped(self) -> None:
            self.fail("never runs")

        def test_untouched(self) -> None:
            pass

    return Sample


def _features(prefix: str) -> Any:
    return types.SimpleNamespace(
        django_test_expected_failures=frozenset({f"{prefix}.test_fails"}),
        django_test_skips={"no support": frozenset({f"{prefix}.test_skipped"})},
    )


def test_listed_tests_of_installed_apps_are_marked(monkeypatch: Any) -> None:
    sample = _sample_class()
    monkeypatch.setattr(sys.modules[__name__], "Sample", sample, raising=False)
    mark_expected_failures_and_skips(_features(f"{__name__}.Sample"), {"tests"})
    result = unittest.TestResult()
    unittest.defaultTestLoader.loadTestsFromTestCase(sample).run(result)
    assert len(result.expectedFailures) == 1
    assert [(test.id().rsplit(".", 1)[1], why) for test, why in result.skipped] == [
        ("test_skipped", "no support")
    ]
    assert result.wasSuccessful()


def test_tests_of_apps_not_installed_are_left_alone() -> None:
    # The module does not exist: it must not even be imported.
    mark_expected_failures_and_skips(
        _features("nowhere.tests.Sample"), {"tests", "expressions"}
    )
