"""``assertRaisesMessage``/``assertWarnsMessage`` of ``SimpleTestCase``.

A mixin over unittest's ``assertRaises``/``assertWarns`` that also checks the
message, as a call or as a context manager.
"""

# These assertions are built from unittest's own, as Django's are.
# ruff: noqa: PT009

from __future__ import annotations

import unittest
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

__all__ = ["RaisesMessageAssertions"]

# unittest leaves the frames of modules carrying this flag out of failure
# tracebacks, so a failure points at the test's own line, not at these helpers.
__unittest = True

if TYPE_CHECKING:
    _Base = unittest.TestCase
else:
    _Base = object


class RaisesMessageAssertions(_Base):
    """Assertions that an exception or warning carries a given message."""

    @contextmanager
    def _assert_raises_or_warns_cm(
        self,
        func: Callable[..., Any],
        cm_attr: str,
        expected: Any,
        expected_message: str,
    ) -> Iterator[Any]:
        with func(expected) as cm:
            yield cm
        self.assertIn(expected_message, str(getattr(cm, cm_attr)))

    def _assert_foo_message(
        self,
        func: Callable[..., Any],
        cm_attr: str,
        expected: Any,
        expected_message: str,
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        callable_obj = None
        if args:
            callable_obj, *args = args  # type: ignore[assignment]
        cm = self._assert_raises_or_warns_cm(func, cm_attr, expected, expected_message)
        if callable_obj is None:
            return cm
        with cm:
            callable_obj(*args, **kwargs)
        return None

    def assertRaisesMessage(
        self, expected_exception: Any, expected_message: str, *args: Any, **kwargs: Any
    ) -> Any:
        """Assert the exception is raised with ``expected_message`` in its message."""
        return self._assert_foo_message(
            self.assertRaises,
            "exception",
            expected_exception,
            expected_message,
            *args,
            **kwargs,
        )

    def assertWarnsMessage(
        self, expected_warning: Any, expected_message: str, *args: Any, **kwargs: Any
    ) -> Any:
        """Assert the warning is issued with ``expected_message`` in its message."""
        return self._assert_foo_message(
            self.assertWarns,
            "warning",
            expected_warning,
            expected_message,
            *args,
            **kwargs,
        )
