"""Database assertions of ``TransactionTestCase``: query counts and querysets.

A mixin; ``assertNumQueries`` captures the queries of one connection around
a call or a ``with`` block.
"""

# These assertions are built from unittest's own, as Django's are.
# ruff: noqa: PT009

from __future__ import annotations

import collections
import unittest
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from manouche.test._databases import CaptureQueriesContext

__all__ = ["DatabaseAssertions"]

# unittest leaves the frames of modules carrying this flag out of failure
# tracebacks, so a failure points at the test's own line, not at these helpers.
__unittest = True


class _AssertNumQueriesContext(CaptureQueriesContext):
    def __init__(self, test_case: Any, num: int, connection: Any) -> None:
        self.test_case = test_case
        self.num = num
        super().__init__(connection)

    def __exit__(self, exc_type: Any, exc_value: Any, traceback: Any) -> None:
        super().__exit__(exc_type, exc_value, traceback)
        if exc_type is not None:
            return
        executed = len(self)
        queries = "\n".join(
            f"{number}. {query['sql']}"
            for number, query in enumerate(self.captured_queries, start=1)
        )
        self.test_case.assertEqual(
            executed,
            self.num,
            f"{executed} queries executed, {self.num} expected\n"
            f"Captured queries were:\n{queries}",
        )


if TYPE_CHECKING:
    _Base = unittest.TestCase
else:
    _Base = object


class DatabaseAssertions(_Base):
    """Assertions about the queries a test runs and the rows it reads."""

    def assertNumQueries(
        self,
        num: int,
        func: Any = None,
        *args: Any,
        using: str = "default",
        **kwargs: Any,
    ) -> Any:
        """Assert ``func`` (or the ``with`` block) runs exactly ``num`` queries."""
        from manouche.db import connections

        context = _AssertNumQueriesContext(self, num, connections[using])
        if func is None:
            return context
        with context:
            func(*args, **kwargs)
        return None

    def assertQuerySetEqual(
        self,
        qs: Any,
        values: Any,
        transform: Callable[[Any], Any] | None = None,
        ordered: bool = True,
        msg: str | None = None,
    ) -> None:
        """Assert ``qs`` (optionally mapped by ``transform``) equals ``values``.

        With ``ordered=False`` each value must appear as many times as in
        ``values``; comparing an unordered queryset to several ordered values
        is refused as ambiguous.
        """
        values = list(values)
        items: Any = qs if transform is None else map(transform, qs)
        if not ordered:
            # Counters (not plain dicts) as unittest shows them: their diff,
            # truncated past maxDiff with unittest's hint to raise it.
            self.assertDictEqual(
                collections.Counter(items), collections.Counter(values), msg=msg
            )
            return
        if len(values) > 1 and getattr(qs, "ordered", True) is False:
            raise ValueError(
                "Trying to compare non-ordered queryset against more than one "
                "ordered value."
            )
        self.assertEqual(list(items), values, msg=msg)
