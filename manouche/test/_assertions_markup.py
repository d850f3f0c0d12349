"""HTML, JSON and XML assertions of ``SimpleTestCase`` (compared by meaning).

A mixin: HTML is compared as parsed trees, JSON as decoded data and XML
ignoring attribute order, so formatting differences never fail a test.
"""

# These assertions are built from unittest's own, as Django's are.
# ruff: noqa: PT009

from __future__ import annotations

import difflib
import json
import unittest
from typing import TYPE_CHECKING, Any
from unittest.util import safe_repr

from manouche.test.html import HTMLParseError, parse_html
from manouche.test.utils import compare_xml

__all__ = ["MarkupAssertions", "assert_and_parse_html"]

# unittest leaves the frames of modules carrying this flag out of failure
# tracebacks, so a failure points at the test's own line, not at these helpers.
__unittest = True

# How much of a response body failure messages show.
_CONTENT_REPR_MAX = 1000


def assert_and_parse_html(
    test_case: unittest.TestCase, html: str, user_msg: Any, msg: str
) -> Any:
    """Parse ``html`` or fail the test with ``msg`` and the parser's complaint."""
    try:
        return parse_html(html)
    except HTMLParseError as exc:
        test_case.fail(test_case._formatMessage(user_msg, f"{msg}\n{exc}"))


def _content_repr(content: Any) -> str:
    text = safe_repr(content)
    if len(text) > _CONTENT_REPR_MAX:
        text = f"{text[:_CONTENT_REPR_MAX]}...[truncated]"
    return text


if TYPE_CHECKING:
    _Base = unittest.TestCase
else:
    _Base = object


class MarkupAssertions(_Base):
    """Assertions comparing HTML, JSON and XML documents."""

    def _truncate_diff(self, message: str, diff: str) -> str:
        if self.maxDiff is None or len(diff) <= self.maxDiff:
            return message + diff
        return (
            f"{message}\nDiff is {len(diff)} characters long. Set self.maxDiff to "
            "None to see it."
        )

    def assertHTMLEqual(self, html1: str, html2: str, msg: str | None = None) -> None:
        """Assert two HTML fragments are equal, ignoring insignificant differences."""
        dom1 = assert_and_parse_html(
            self, html1, msg, "First argument is not valid HTML:"
        )
        dom2 = assert_and_parse_html(
            self, html2, msg, "Second argument is not valid HTML:"
        )
        if dom1 != dom2:
            standard_msg = f"{safe_repr(dom1, True)} != {safe_repr(dom2, True)}"
            diff = "\n" + "\n".join(
                difflib.ndiff(str(dom1).splitlines(), str(dom2).splitlines())
            )
            standard_msg = self._truncate_diff(standard_msg, diff)
            self.fail(self._formatMessage(msg, standard_msg))

    def assertHTMLNotEqual(
        self, html1: str, html2: str, msg: str | None = None
    ) -> None:
        """Assert two HTML fragments are not equal."""
        dom1 = assert_and_parse_html(
            self, html1, msg, "First argument is not valid HTML:"
        )
        dom2 = assert_and_parse_html(
            self, html2, msg, "Second argument is not valid HTML:"
        )
        if dom1 == dom2:
            standard_msg = f"{safe_repr(dom1, True)} == {safe_repr(dom2, True)}"
            self.fail(self._formatMessage(msg, standard_msg))

    def assertInHTML(
        self, needle: str, haystack: str, count: int | None = None, msg_prefix: str = ""
    ) -> None:
        """Assert the HTML ``needle`` occurs in ``haystack`` (``count`` times)."""
        parsed_needle = assert_and_parse_html(
            self, needle, None, "First argument is not valid HTML:"
        )
        parsed_haystack = assert_and_parse_html(
            self, haystack, None, "Second argument is not valid HTML:"
        )
        real_count = parsed_haystack.count(parsed_needle)
        if msg_prefix:
            msg_prefix += ": "
        haystack_repr = _content_repr(haystack)
        if count is None:
            self.assertTrue(
                real_count != 0,
                f"{msg_prefix}Couldn't find '{needle}' in the following response\n"
                f"{haystack_repr}",
            )
        elif count == 0:
            self.assertEqual(
                real_count,
                0,
                f"{msg_prefix}'{needle}' unexpectedly found in the following response\n"
                f"{haystack_repr}",
            )
        else:
            self.assertEqual(
                real_count,
                count,
                f"{msg_prefix}Found {real_count} instances of '{needle}' (expected "
                f"{count}) in the following response\n{haystack_repr}",
            )

    def assertNotInHTML(self, needle: str, haystack: str, msg_prefix: str = "") -> None:
        """Assert the HTML ``needle`` does not occur in ``haystack``."""
        self.assertInHTML(needle, haystack, count=0, msg_prefix=msg_prefix)

    def assertJSONEqual(
        self, raw: str, expected_data: Any, msg: str | None = None
    ) -> None:
        """Assert the JSON text ``raw`` decodes to ``expected_data`` (data or JSON)."""
        try:
            data = json.loads(raw)
        except json.JSONDecodeError:
            self.fail(f"First argument is not valid JSON: {raw!r}")
        if isinstance(expected_data, str):
            try:
                expected_data = json.loads(expected_data)
            except ValueError:
                self.fail(f"Second argument is not valid JSON: {expected_data!r}")
        self.assertEqual(data, expected_data, msg=msg)

    def assertJSONNotEqual(
        self, raw: str, expected_data: Any, msg: str | None = None
    ) -> None:
        """Assert the JSON text ``raw`` does not decode to ``expected_data``."""
        try:
            data = json.loads(raw)
        except json.JSONDecodeError:
            self.fail(f"First argument is not valid JSON: {raw!r}")
        if isinstance(expected_data, str):
            try:
                expected_data = json.loads(expected_data)
            except json.JSONDecodeError:
                self.fail(f"Second argument is not valid JSON: {expected_data!r}")
        self.assertNotEqual(data, expected_data, msg=msg)

    def assertXMLEqual(self, xml1: str, xml2: str, msg: str | None = None) -> None:
        """Assert two XML documents are equal, ignoring attribute order and how
        long each run of whitespace is (see ``compare_xml``)."""
        try:
            result = compare_xml(xml1, xml2)
        except Exception as exc:
            self.fail(
                self._formatMessage(
                    msg, f"First or second argument is not valid XML\n{exc}"
                )
            )
        if not result:
            standard_msg = f"{safe_repr(xml1, True)} != {safe_repr(xml2, True)}"
            diff = "\n" + "\n".join(difflib.ndiff(xml1.splitlines(), xml2.splitlines()))
            self.fail(self._formatMessage(msg, self._truncate_diff(standard_msg, diff)))

    def assertXMLNotEqual(self, xml1: str, xml2: str, msg: str | None = None) -> None:
        """Assert two XML documents are not equal."""
        try:
            result = compare_xml(xml1, xml2)
        except Exception as exc:
            self.fail(
                self._formatMessage(
                    msg, f"First or second argument is not valid XML\n{exc}"
                )
            )
        if result:
            standard_msg = f"{safe_repr(xml1, True)} == {safe_repr(xml2, True)}"
            self.fail(self._formatMessage(msg, standard_msg))
