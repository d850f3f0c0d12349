"""Skip tests by database feature, decided when the test runs (not at import).

``skipUnlessDBFeature("supports_json_field")`` checks every database the
test class declares in ``databases``, as Django's decorators do.
"""

from __future__ import annotations

import functools
import unittest
from collections.abc import Callable
from typing import Any

__all__ = ["skipIfDBFeature", "skipUnlessAnyDBFeature", "skipUnlessDBFeature"]


def _databases_of(test_case: Any, decorator: str = "") -> list[str]:
    from manouche.db import DEFAULT_DB_ALIAS, connections

    declared = getattr(test_case, "databases", None)
    if declared is None:
        return [DEFAULT_DB_ALIAS]
    if declared == "__all__":
        return list(connections)
    if not declared and decorator:
        # A feature of which database? The case may not query any of them.
        subject = "it" if isinstance(test_case, type) else type(test_case).__qualname__
        raise ValueError(
            f"{decorator} cannot be used on {test_case} as {subject} doesn't allow "
            "queries "
            f"against the '{DEFAULT_DB_ALIAS}' database."
        )
    return sorted(declared) or [DEFAULT_DB_ALIAS]


def _features(test_case: Any, decorator: str = "") -> list[Any]:
    from manouche.db import connections

    return [
        connections[alias].features for alias in _databases_of(test_case, decorator)
    ]


Condition = Callable[[Any, str], bool]


class _ClassSkips:
    """``__unittest_skip__`` / ``__unittest_skip_why__`` decided when tests run.

    unittest reads these class attributes when it runs each test (so skipped
    tests still count as run). Conditions stack: those of base classes and of
    decorators applied first are checked first, and the first one that holds
    gives the reason.
    """

    def __init__(self, conditions: list[tuple[Condition, str, str]], why: bool):
        self.conditions = conditions
        self.why = why

    def __get__(self, instance: Any, owner: type) -> Any:
        for condition, reason, name in self.conditions:
            if condition(owner, name):
                return reason if self.why else True
        return "" if self.why else False


def _add_class_skip(
    test_class: type, condition: Condition, reason: str, name: str
) -> type:
    if getattr(test_class, "__unittest_skip__", False) is True:
        # An unconditional unittest.skip*() already applies; keep it.
        return test_class
    inherited = test_class.__dict__.get("__unittest_skip__")
    if not isinstance(inherited, _ClassSkips):
        # Conditions of a decorated base class come first.
        inherited = next(
            (
                base.__dict__["__unittest_skip__"]
                for base in test_class.__mro__[1:]
                if isinstance(base.__dict__.get("__unittest_skip__"), _ClassSkips)
            ),
            None,
        )
    conditions = [
        *(inherited.conditions if inherited else ()),
        (condition, reason, name),
    ]
    test_class.__unittest_skip__ = _ClassSkips(conditions, why=False)  # type: ignore[attr-defined]
    test_class.__unittest_skip_why__ = _ClassSkips(conditions, why=True)  # type: ignore[attr-defined]
    return test_class


def _deferred_skip(
    condition: Condition, reason: str, name: str
) -> Callable[[Any], Any]:
    def decorator(test_item: Any) -> Any:
        if isinstance(test_item, type):
            if not issubclass(test_item, unittest.TestCase):
                raise TypeError(f"{name} only decorates TestCase subclasses.")
            return _add_class_skip(test_item, condition, reason, name)

        @functools.wraps(test_item)
        def skip_wrapper(*args: Any, **kwargs: Any) -> Any:
            # A test method gets its TestCase first; a plain function (called
            # directly) is judged against the default database.
            if condition(args[0] if args else None, name):
                raise unittest.SkipTest(reason)
            return test_item(*args, **kwargs)

        return skip_wrapper

    return decorator


def skipIfDBFeature(*features: str) -> Callable[[Any], Any]:
    """Skip the test if every declared database has any of ``features``."""
    return _deferred_skip(
        lambda test, name: all(
            any(getattr(found, feature, False) for feature in features)
            for found in _features(test, name)
        ),
        f"Database has feature(s) {', '.join(features)}",
        "skipIfDBFeature",
    )


def skipUnlessDBFeature(*features: str) -> Callable[[Any], Any]:
    """Skip the test unless every declared database has all of ``features``."""
    return _deferred_skip(
        lambda test, name: (
            not all(
                all(getattr(found, feature, False) for feature in features)
                for found in _features(test, name)
            )
        ),
        f"Database doesn't support feature(s): {', '.join(features)}",
        "skipUnlessDBFeature",
    )


def skipUnlessAnyDBFeature(*features: str) -> Callable[[Any], Any]:
    """Skip the test unless every declared database has one of ``features``."""
    return _deferred_skip(
        lambda test, name: (
            not all(
                any(getattr(found, feature, False) for feature in features)
                for found in _features(test, name)
            )
        ),
        f"Database doesn't support any of the feature(s): {', '.join(features)}",
        "skipUnlessAnyDBFeature",
    )
