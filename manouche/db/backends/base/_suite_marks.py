"""Mark the tests of Django's own suite a backend is known to fail or skip.

A backend lists them in ``features.django_test_expected_failures`` and
``features.django_test_skips`` (dotted ``module.Class.method`` names, after
the rename). They are applied only while that suite runs, announced by the
``RUNNING_DJANGOS_TEST_SUITE`` environment variable, as Django does: the
lists document limitations the backend shares with Django's own.
"""

from __future__ import annotations

import unittest
from collections.abc import Callable, Iterable
from typing import Any

from manouche.utils.module_loading import import_string

__all__ = ["mark_expected_failures_and_skips"]


def mark_expected_failures_and_skips(features: Any, installed: Iterable[str]) -> None:
    """Wrap the listed test methods of installed test apps as expected/skipped."""
    apps = set(installed)
    for name in features.django_test_expected_failures:
        _wrap(name, apps, unittest.expectedFailure)
    for reason, names in features.django_test_skips.items():
        for name in names:
            _wrap(name, apps, unittest.skip(reason))


def _wrap(name: str, apps: set[str], decorator: Callable[[Any], Any]) -> None:
    # Importing a test module of an app that isn't installed would fail on
    # its models: only the running suite's apps are touched.
    if name.split(".", 1)[0] not in apps:
        return
    class_path, _, method_name = name.rpartition(".")
    test_class = import_string(class_path)
    setattr(test_class, method_name, decorator(getattr(test_class, method_name)))
