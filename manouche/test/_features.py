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


def _databases_of(test_case: Any) -> list[str]:
    from manouche.db import DEFAULT_DB_ALIAS

    declared = getattr(test_case, "databases", None) or {DEFAULT_DB_ALIAS}
    if declared == "__all__":
        from manouche.db import connections

        return list(connections)
    return sorted(declared)


def _features(test_case: Any) -> list[Any]:
    from manouche.db import connections

    return [connections[alias].features for alias in _databases_of(test_case)]


def _deferred_skip(
    condition: Callable[[Any], bool], reason: str, name: str
) -> Callable[[Any], Any]:
    def decorator(test_item: Any) -> Any:
        if isinstance(test_item, type):
            if not issubclass(test_item, unittest.TestCase):
                raise TypeError(f"{name} only decorates TestCase subclasses.")
            original_setup = test_item.setUpClass.__func__  # type: ignore[attr-defined]

            def setUpClass(cls: Any) -> None:
                if condition(cls):
                    raise unittest.SkipTest(reason)
                original_setup(cls)

            test_item.setUpClass = classmethod(setUpClass)  # type: ignore[assignment]
            return test_item

        @functools.wraps(test_item)
        def skip_wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
            if condition(self):
                raise unittest.SkipTest(reason)
            return test_item(self, *args, **kwargs)

        return skip_wrapper

    return decorator


def skipIfDBFeature(*features: str) -> Callable[[Any], Any]:
    """Skip the test if every declared database has all of ``features``."""
    return _deferred_skip(
        lambda test: all(
            all(getattr(found, feature, False) for feature in features)
            for found in _features(test)
        ),
        f"Database has feature(s) {', '.join(features)}",
        "skipIfDBFeature",
    )


def skipUnlessDBFeature(*features: str) -> Callable[[Any], Any]:
    """Skip the test unless every declared database has all of ``features``."""
    return _deferred_skip(
        lambda test: (
            not all(
                all(getattr(found, feature, False) for feature in features)
                for found in _features(test)
            )
        ),
        f"Database doesn't support feature(s): {', '.join(features)}",
        "skipUnlessDBFeature",
    )


def skipUnlessAnyDBFeature(*features: str) -> Callable[[Any], Any]:
    """Skip the test unless every declared database has one of ``features``."""
    return _deferred_skip(
        lambda test: (
            not all(
                any(getattr(found, feature, False) for feature in features)
                for found in _features(test)
            )
        ),
        f"Database doesn't support any of the feature(s): {', '.join(features)}",
        "skipUnlessAnyDBFeature",
    )
