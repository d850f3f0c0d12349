"""Template assertions of ``SimpleTestCase``: which templates rendered.

A mixin; ``assertTemplateUsed`` reads a test client response's templates or,
as a context manager, listens to ``template_rendered`` inside the block.
"""

# These assertions are built from unittest's own, as Django's are.
# ruff: noqa: PT009

from __future__ import annotations

import unittest
from typing import TYPE_CHECKING, Any

from manouche.test.signals import template_rendered

__all__ = ["TemplateAssertions"]

# unittest leaves the frames of modules carrying this flag out of failure
# tracebacks, so a failure points at the test's own line, not at these helpers.
__unittest = True


class _TemplateUsedContext:
    """``with self.assertTemplateUsed(name):`` records templates rendered inside."""

    def __init__(
        self,
        test_case: TemplateAssertions,
        template_name: str,
        msg_prefix: str,
        count: int | None,
    ) -> None:
        self.test_case = test_case
        self.template_name = template_name
        self.msg_prefix = msg_prefix
        self.count = count
        self.rendered_template_names: list[str] = []

    def on_template_render(
        self, sender: Any, signal: Any, template: Any, context: Any, **kwargs: Any
    ) -> None:
        """Collect the name of each named template rendered.

        A template built from a string has no name: it can't match and
        shouldn't hide that no named template rendered.
        """
        name = getattr(template, "name", None)
        if name is not None:
            self.rendered_template_names.append(name)

    def __enter__(self) -> _TemplateUsedContext:
        template_rendered.connect(self.on_template_render)
        return self

    def __exit__(self, exc_type: Any, exc_value: Any, traceback: Any) -> None:
        template_rendered.disconnect(self.on_template_render)
        if exc_type is not None:
            return
        self.check()

    def check(self) -> None:
        """Fail unless the template was rendered (``count`` times, when given)."""
        self.test_case._assert_template_used(
            self.template_name,
            self.rendered_template_names,
            self.msg_prefix,
            self.count,
        )


class _TemplateNotUsedContext(_TemplateUsedContext):
    def check(self) -> None:
        if self.template_name in self.rendered_template_names:
            self.test_case.fail(
                f"{self.msg_prefix}Template '{self.template_name}' was used "
                "unexpectedly "
                "in rendering the response"
            )


if TYPE_CHECKING:
    _Base = unittest.TestCase
else:
    _Base = object


class TemplateAssertions(_Base):
    """Assertions about the templates that rendered a response or a block."""

    def _get_template_used(
        self,
        response: Any,
        template_name: str | None,
        msg_prefix: str,
        method_name: str,
    ) -> tuple[str | None, list[str] | None, str]:
        if response is None and template_name is None:
            raise TypeError("response and/or template_name argument must be provided")
        if msg_prefix:
            msg_prefix += ": "
        if (
            template_name is not None
            and response is not None
            and not hasattr(response, "templates")
        ):
            self.fail(
                f"{method_name}() is only usable on responses fetched using the test "
                "Client."
            )
        if not hasattr(response, "templates") or (response is None and template_name):
            if response:
                template_name = response
            return template_name, None, msg_prefix
        names = [
            t.name for t in response.templates if getattr(t, "name", None) is not None
        ]
        return None, names, msg_prefix

    def _assert_template_used(
        self,
        template_name: str,
        template_names: list[str],
        msg_prefix: str,
        count: int | None,
    ) -> None:
        if not template_names:
            self.fail(f"{msg_prefix}No templates used to render the response")
        self.assertTrue(
            template_name in template_names,
            f"{msg_prefix}Template '{template_name}' was not a template used to render "
            f"the response. Actual template(s) used: {', '.join(template_names)}",
        )
        if count is not None:
            actual = template_names.count(template_name)
            self.assertEqual(
                actual,
                count,
                f"{msg_prefix}Template '{template_name}' was expected to be rendered "
                f"{count} time(s) but was actually rendered {actual} time(s).",
            )

    def assertTemplateUsed(
        self,
        response: Any = None,
        template_name: str | None = None,
        msg_prefix: str = "",
        count: int | None = None,
    ) -> Any:
        """Assert a template rendered the response; usable as a context manager."""
        context_template, names, msg_prefix = self._get_template_used(
            response, template_name, msg_prefix, "assertTemplateUsed"
        )
        if context_template:
            return _TemplateUsedContext(self, context_template, msg_prefix, count)
        # An empty name opens no block to watch: fail now, no template was used.
        self._assert_template_used(
            template_name or context_template or "", names or [], msg_prefix, count
        )
        return None

    def assertTemplateNotUsed(
        self,
        response: Any = None,
        template_name: str | None = None,
        msg_prefix: str = "",
    ) -> Any:
        """Assert a template did not render the response; also a context manager."""
        context_template, names, msg_prefix = self._get_template_used(
            response, template_name, msg_prefix, "assertTemplateNotUsed"
        )
        if context_template:
            return _TemplateNotUsedContext(self, context_template, msg_prefix, None)
        self.assertFalse(
            template_name in (names or []),
            f"{msg_prefix}Template '{template_name}' was used unexpectedly in "
            "rendering "
            "the response",
        )
        return None
