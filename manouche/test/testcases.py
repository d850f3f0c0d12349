"""unittest test case classes with manouche's clients and assertions.

``SimpleTestCase`` gives each test a fresh ``client`` and ``async_client``,
applies class-level ``override_settings``/``modify_settings`` and runs
``async def`` tests. It owns assertions about responses, HTML, JSON, XML,
URLs, messages and templates. Database behaviour belongs to
``TransactionTestCase`` and ``TestCase``, which the ORM completes.
"""

# These assertions are built from unittest's own, as Django's are.
# ruff: noqa: PT009, PT018

from __future__ import annotations

import asyncio
import collections
import concurrent.futures
import difflib
import json
import pickle
import sys
import unittest
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, ClassVar
from unittest.util import safe_repr
from urllib.parse import parse_qsl, urlencode, urljoin, urlparse, urlsplit, urlunparse

from manouche.conf import settings
from manouche.test import _db_state
from manouche.test._databases import (
    CaptureQueriesContext,
    DatabaseAccessGuard,
    DatabaseOperationForbidden,
)
from manouche.test._features import (
    skipIfDBFeature,
    skipUnlessAnyDBFeature,
    skipUnlessDBFeature,
)
from manouche.test.client import AsyncClient, Client
from manouche.test.html import HTMLParseError, parse_html
from manouche.test.signals import template_rendered
from manouche.test.utils import (
    _set_mail_outbox,
    compare_xml,
    modify_settings,
    override_settings,
)
from manouche.utils.asyncio import async_to_sync, iscoroutinefunction

__all__ = [
    "DatabaseOperationForbidden",
    "SerializeMixin",
    "SimpleTestCase",
    "TestCase",
    "TransactionTestCase",
    "skipIfDBFeature",
    "skipUnlessAnyDBFeature",
    "skipUnlessDBFeature",
]

# How much of a response body failure messages show.
_CONTENT_REPR_MAX = 1000


def is_pickable(obj: Any) -> bool:
    """Tell whether ``obj`` survives a pickle round trip (parallel runs need it)."""
    try:
        pickle.loads(pickle.dumps(obj))
    except Exception:
        return False
    return True


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


class _TemplateUsedContext:
    """``with self.assertTemplateUsed(name):`` records templates rendered inside."""

    def __init__(
        self,
        test_case: SimpleTestCase,
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
        """Collect the name of each template rendered."""
        self.rendered_template_names.append(getattr(template, "name", None) or "")

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


def _run_coroutine_blocking(coroutine: Any) -> Any:
    """Run ``coroutine`` to completion from sync code, even inside an event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:

        async def wait() -> Any:
            return await coroutine

        return async_to_sync(wait)()
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as executor:
        return executor.submit(asyncio.run, coroutine).result()


class SimpleTestCase(unittest.TestCase):
    """A test case with test clients, settings helpers and web assertions."""

    client_class: ClassVar[type[Client]] = Client
    async_client_class: ClassVar[type[AsyncClient]] = AsyncClient
    _overridden_settings: ClassVar[dict[str, Any] | None] = None
    _modified_settings: ClassVar[list[Any] | None] = None
    # Databases this test may use; the ORM will refuse the others.
    databases: ClassVar[set[str] | str] = set()
    client: Client
    async_client: AsyncClient

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        if cls._overridden_settings:
            overridden = override_settings(**cls._overridden_settings)
            overridden.enable()
            cls.addClassCleanup(overridden.disable)
        if cls._modified_settings:
            modified = modify_settings(cls._modified_settings)
            modified.enable()
            cls.addClassCleanup(modified.disable)
        guard = DatabaseAccessGuard(
            cls,
            cls._databases_names(),
            simple=not issubclass(cls, TransactionTestCase),
        )
        guard.enable()
        cls.addClassCleanup(guard.disable)

    @classmethod
    def _databases_names(cls, include_mirrors: bool = True) -> set[str]:
        """The aliases this test case may use ("__all__" means every alias)."""
        if cls.databases == "__all__":
            return set(settings.DATABASES or {}) or {"default"}
        return set(cls.databases)

    def __getstate__(self) -> dict[str, Any]:
        """Pickle only the picklable attributes (parallel runners send tests)."""
        return {
            key: value for key, value in self.__dict__.items() if is_pickable(value)
        }

    def __call__(self, result: unittest.TestResult | None = None) -> Any:
        """Set up clients around the test; subclasses needn't call super().setUp()."""
        return self._setup_and_call(result)

    def debug(self) -> None:
        """Run the test without collecting the result, raising errors."""
        self._setup_and_call(None, debug=True)

    def _setup_and_call(self, result: Any, debug: bool = False) -> Any:
        test_method = getattr(self, self._testMethodName)
        skipped = getattr(self.__class__, "__unittest_skip__", False) or getattr(
            test_method, "__unittest_skip__", False
        )
        if iscoroutinefunction(test_method):
            setattr(self, self._testMethodName, async_to_sync(test_method))
        if not skipped:
            try:
                self._pre_setup()
            except Exception:
                if debug:
                    raise
                if result is not None:
                    result.addError(self, sys.exc_info())
                return None
        if debug:
            super().debug()
            outcome = None
        else:
            outcome = super().__call__(result)
        if not skipped:
            try:
                self._post_teardown()
            except Exception:
                if debug:
                    raise
                if result is not None:
                    result.addError(self, sys.exc_info())
        return outcome

    def _pre_setup(self) -> None:
        """Give the test fresh clients and an empty mail outbox."""
        self.client = self.client_class()
        self.async_client = self.async_client_class()
        _set_mail_outbox()

    def _post_teardown(self) -> None:
        """Undo ``_pre_setup`` (nothing to undo yet)."""

    def settings(self, **kwargs: Any) -> override_settings:
        """Return a context manager overriding settings for part of a test."""
        return override_settings(**kwargs)

    def modify_settings(self, **kwargs: Any) -> modify_settings:
        """Return a context manager that edits list settings (append, remove...)."""
        return modify_settings(**kwargs)

    # Responses.

    def assertRedirects(
        self,
        response: Any,
        expected_url: Any,
        status_code: int = 302,
        target_status_code: int = 200,
        msg_prefix: str = "",
        fetch_redirect_response: bool = True,
    ) -> None:
        """Assert that ``response`` redirected to ``expected_url`` and that it loads."""
        if msg_prefix:
            msg_prefix += ": "
        if hasattr(response, "redirect_chain"):
            self.assertTrue(
                len(response.redirect_chain) > 0,
                f"{msg_prefix}Response didn't redirect as expected: Response code was "
                f"{response.status_code} (expected {status_code})",
            )
            first_status = response.redirect_chain[0][1]
            self.assertEqual(
                first_status,
                status_code,
                f"{msg_prefix}Initial response didn't redirect as expected: Response "
                f"code was {first_status} (expected {status_code})",
            )
            url, status_code = response.redirect_chain[-1]
            self.assertEqual(
                response.status_code,
                target_status_code,
                f"{msg_prefix}Response didn't redirect as expected: Final Response "
                "code "
                f"was {response.status_code} (expected {target_status_code})",
            )
        else:
            self.assertEqual(
                response.status_code,
                status_code,
                f"{msg_prefix}Response didn't redirect as expected: Response code was "
                f"{response.status_code} (expected {status_code})",
            )
            url = response.url
            scheme, netloc, path, query, _fragment = urlsplit(url)
            if not path.startswith("/"):
                base = response.asgi_request.path_info
                url = urljoin(base, url)
                path = urljoin(base, path)
            if fetch_redirect_response:
                self._fetch_redirect(
                    response,
                    url,
                    scheme,
                    netloc,
                    path,
                    query,
                    target_status_code,
                    msg_prefix,
                )
        self.assertURLEqual(
            url,
            expected_url,
            f"{msg_prefix}Response redirected to '{url}', expected '{expected_url}'",
        )

    def _fetch_redirect(
        self,
        response: Any,
        url: str,
        scheme: str,
        netloc: str,
        path: str,
        query: str,
        target_status_code: int,
        msg_prefix: str,
    ) -> None:
        from manouche.http import QueryDict
        from manouche.http.request import split_domain_port, validate_host

        domain, _port = split_domain_port(netloc)
        if domain and not validate_host(domain, settings.ALLOWED_HOSTS):
            raise ValueError(
                f"The test client is unable to fetch remote URLs (got {url}). If the "
                f"host is served by manouche, add '{domain}' to ALLOWED_HOSTS. "
                "Otherwise, use assertRedirects(..., fetch_redirect_response=False)."
            )
        client = response.client
        redirect_response = client.get(
            path,
            QueryDict(query),
            secure=(scheme == "https"),
            headers=client.headers or {},
            **(client.extra or {}),
        )
        if asyncio.iscoroutine(redirect_response):
            redirect_response = _run_coroutine_blocking(redirect_response)
        self.assertEqual(
            redirect_response.status_code,
            target_status_code,
            f"{msg_prefix}Couldn't retrieve redirection page '{path}': response code "
            f"was {redirect_response.status_code} (expected {target_status_code})",
        )

    def assertURLEqual(self, url1: Any, url2: Any, msg_prefix: str = "") -> None:
        """Assert that two URLs are equal, ignoring the order of query parameters."""

        def normalize(url: Any) -> str:
            scheme, netloc, path, params, query, fragment = urlparse(str(url))
            query_parts = sorted(parse_qsl(query))
            return urlunparse(
                (scheme, netloc, path, params, urlencode(query_parts), fragment)
            )

        if msg_prefix:
            msg_prefix += ": "
        self.assertEqual(
            normalize(url1),
            normalize(url2),
            f"{msg_prefix}Expected '{url1}' to equal '{url2}'.",
        )

    def _assert_contains(
        self, response: Any, text: Any, status_code: int, msg_prefix: str, html: bool
    ) -> tuple[str, int, str, str]:
        if callable(getattr(response, "render", None)) and not response.is_rendered:
            response.render()
        if msg_prefix:
            msg_prefix += ": "
        self.assertEqual(
            response.status_code,
            status_code,
            f"{msg_prefix}Couldn't retrieve content: Response code was "
            f"{response.status_code} (expected {status_code})",
        )
        content: Any
        if response.streaming:
            content = b"".join(response.streaming_content)
        else:
            content = response.content
        content_repr = _content_repr(content)
        if not isinstance(text, bytes) or html:
            text = str(text)
            content = content.decode(response.charset)
            text_repr = f"'{text}'"
        else:
            text_repr = repr(text)
        if html:
            content = assert_and_parse_html(
                self, content, None, "Response's content is not valid HTML:"
            )
            text = assert_and_parse_html(
                self, text, None, "Second argument is not valid HTML:"
            )
        real_count = content.count(text)
        return text_repr, real_count, msg_prefix, content_repr

    def assertContains(
        self,
        response: Any,
        text: Any,
        count: int | None = None,
        status_code: int = 200,
        msg_prefix: str = "",
        html: bool = False,
    ) -> None:
        """Assert the response has ``status_code`` and contains ``text``."""
        text_repr, real_count, msg_prefix, content_repr = self._assert_contains(
            response, text, status_code, msg_prefix, html
        )
        if count is not None:
            self.assertEqual(
                real_count,
                count,
                f"{msg_prefix}Found {real_count} instances of {text_repr} (expected "
                f"{count}) in the following response\n{content_repr}",
            )
        else:
            self.assertTrue(
                real_count != 0,
                f"{msg_prefix}Couldn't find {text_repr} in the following response\n"
                f"{content_repr}",
            )

    def assertNotContains(
        self,
        response: Any,
        text: Any,
        status_code: int = 200,
        msg_prefix: str = "",
        html: bool = False,
    ) -> None:
        """Assert the response has ``status_code`` and does not contain ``text``."""
        text_repr, real_count, msg_prefix, content_repr = self._assert_contains(
            response, text, status_code, msg_prefix, html
        )
        self.assertEqual(
            real_count,
            0,
            f"{msg_prefix}{text_repr} unexpectedly found in the following response\n"
            f"{content_repr}",
        )

    # Templates.

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
        assert template_name is not None and names is not None
        self._assert_template_used(template_name, names, msg_prefix, count)
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
        assert names is not None
        self.assertFalse(
            template_name in names,
            f"{msg_prefix}Template '{template_name}' was used unexpectedly in "
            "rendering "
            "the response",
        )
        return None

    # Exceptions and warnings.

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

    # HTML, JSON and XML.

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
        """Assert two XML documents are equal, ignoring attribute order and blanks."""
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


class TransactionTestCase(SimpleTestCase):
    """A test case that may use the databases it names; tables flushed after.

    ``databases`` lists the aliases the test may use (``"__all__"`` for
    all); queries to others fail. After each test the tables of installed
    models are emptied (``reset_sequences`` restarts their sequences).
    """

    databases: ClassVar[set[str] | str] = {"default"}
    reset_sequences = False
    available_apps: ClassVar[list[str] | None] = None
    fixtures: ClassVar[list[str] | None] = None
    serialized_rollback = False

    def _pre_setup(self) -> None:
        super()._pre_setup()
        _db_state.enter_available_apps(self.available_apps)
        try:
            self._fixture_setup()
        except Exception:
            _db_state.exit_available_apps(self.available_apps)
            raise
        # Set-up queries must not count towards the test's (bounded) log.
        from manouche.db import connections

        for alias in self._databases_names(include_mirrors=False):
            if alias in connections:
                queries_log = getattr(connections[alias], "queries_log", None)
                if queries_log is not None:
                    queries_log.clear()

    def _post_teardown(self) -> None:
        try:
            self._fixture_teardown()
        finally:
            from manouche.db import connections

            _forget_rolled_back_rows()
            for alias in self._databases_names():
                if alias in connections:
                    connections[alias].close()
            _db_state.exit_available_apps(self.available_apps)
            super()._post_teardown()

    def _fixture_setup(self) -> None:
        """Restart sequences, restore the serialized rows, load ``fixtures``."""
        if self.reset_sequences:
            _db_state.reset_sequences(self._databases_names(include_mirrors=False))
        if self.serialized_rollback:
            _db_state.restore_serialized_contents(
                self._databases_names(include_mirrors=False), self.available_apps
            )
        if self.fixtures:
            from manouche.core.management import call_command

            for alias in self._databases_names(include_mirrors=False):
                call_command("loaddata", *self.fixtures, verbosity=0, database=alias)

    def _fixture_teardown(self) -> None:
        """Empty the tables of installed models in every declared database."""
        _db_state.flush_databases(
            self._databases_names(include_mirrors=False), self.reset_sequences
        )

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
            self.assertDictEqual(
                dict(collections.Counter(items)),
                dict(collections.Counter(values)),
                msg=msg,
            )
            return
        if len(values) > 1 and getattr(qs, "ordered", True) is False:
            raise ValueError(
                "Trying to compare non-ordered queryset against more than one "
                "ordered value."
            )
        self.assertEqual(list(items), values, msg=msg)


class TestData:
    """A class attribute from setUpTestData, deep-copied once per test."""

    memo_attr = "_manouche_testdata_memo"

    def __init__(self, name: str, data: Any) -> None:
        self.name = name
        self.data = data

    def get_memo(self, testcase: Any) -> dict[int, Any]:
        """The deepcopy memo shared by the attributes of one test."""
        try:
            memo: dict[int, Any] = getattr(testcase, self.memo_attr)
        except AttributeError:
            memo = {}
            setattr(testcase, self.memo_attr, memo)
        return memo

    def __get__(self, instance: Any, owner: Any) -> Any:
        if instance is None:
            return self.data
        import copy

        data = copy.deepcopy(self.data, self.get_memo(instance))
        setattr(instance, self.name, data)
        return data

    def __repr__(self) -> str:
        return f"<TestData: name={self.name!r}, data={self.data!r}>"


class TestCase(TransactionTestCase):
    """A test case whose every test runs in a rolled-back transaction.

    The class opens a transaction per database around ``setUpTestData``;
    each test runs in a savepoint rolled back afterwards, and attributes set
    in ``setUpTestData`` are deep-copied per test. Async code in the test
    uses the test's connection, so it sees (and rolls back with) its data.
    """

    cls_atomics: ClassVar[dict[str, Any]] = {}

    @classmethod
    def _enter_atomics(cls) -> dict[str, Any]:
        from manouche.db import transaction

        atomics = {}
        for alias in sorted(cls._databases_names()):
            atomic = transaction.atomic(using=alias)
            atomic._from_testcase = True
            atomic.__enter__()
            atomics[alias] = atomic
        return atomics

    @classmethod
    def _rollback_atomics(cls, atomics: dict[str, Any]) -> None:
        from manouche.db import transaction

        for alias, atomic in reversed(list(atomics.items())):
            transaction.set_rollback(True, using=alias)
            atomic.__exit__(None, None, None)

    @classmethod
    def _databases_support_transactions(cls) -> bool:
        from manouche.db import connections

        return all(
            connections[alias].features.supports_transactions
            and connections[alias].vendor != "dummy"
            for alias in cls._databases_names()
        )

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.cls_atomics = {}
        if not cls._databases_support_transactions():
            return
        cls.cls_atomics = cls._enter_atomics()
        if cls.fixtures:
            # Loaded once for the class, inside its transaction.
            from manouche.core.management import call_command

            for alias in cls._databases_names(include_mirrors=False):
                try:
                    call_command("loaddata", *cls.fixtures, verbosity=0, database=alias)
                except Exception:
                    cls._rollback_atomics(cls.cls_atomics)
                    raise
        before = dict(cls.__dict__)
        try:
            cls.setUpTestData()
        except Exception:
            cls._rollback_atomics(cls.cls_atomics)
            raise
        for name, value in cls.__dict__.copy().items():
            if name.startswith("__") or callable(value):
                continue
            if name in before and before[name] is value:
                continue
            if isinstance(value, (classmethod, staticmethod, property, TestData)):
                continue
            setattr(cls, name, TestData(name, value))

    @classmethod
    def tearDownClass(cls) -> None:
        if cls.cls_atomics:
            cls._rollback_atomics(cls.cls_atomics)
            cls.cls_atomics = {}
        super().tearDownClass()

    @classmethod
    def setUpTestData(cls) -> None:
        """Create class-wide test data (runs once, inside the class transaction)."""

    def _fixture_setup(self) -> None:
        if not self._databases_support_transactions():
            super()._fixture_setup()
            return
        if self.reset_sequences:
            raise TypeError("reset_sequences cannot be used on TestCase instances")
        from manouche.db.backends._async_atomic import hold_for_testcase

        self.atomics = self._enter_atomics()
        self._held_token = hold_for_testcase(self.atomics)

    def _fixture_teardown(self) -> None:
        if not self._databases_support_transactions():
            super()._fixture_teardown()
            return
        from manouche.db.backends._async_atomic import release_for_testcase

        release_for_testcase(self._held_token)
        try:
            # The test's transaction never commits: check its deferred keys.
            _db_state.check_deferred_constraints(self._databases_names())
        finally:
            self._rollback_atomics(self.atomics)

    def _post_teardown(self) -> None:
        if not self._databases_support_transactions():
            super()._post_teardown()
            return
        try:
            self._fixture_teardown()
        finally:
            _forget_rolled_back_rows()
            _db_state.exit_available_apps(self.available_apps)
            SimpleTestCase._post_teardown(self)

    @classmethod
    @contextmanager
    def captureOnCommitCallbacks(
        cls, *, using: str = "default", execute: bool = False
    ) -> Iterator[list[Callable[[], Any]]]:
        """Collect the on_commit callbacks registered in the block (run them if
        ``execute``)."""
        from manouche.db import connections

        callbacks: list[Callable[[], Any]] = []
        start_count = len(connections[using].run_on_commit)
        try:
            yield callbacks
        finally:
            while True:
                callback_count = len(connections[using].run_on_commit)
                for _, callback, robust in connections[using].run_on_commit[
                    start_count:
                ]:
                    callbacks.append(callback)
                    if execute:
                        if robust:
                            try:
                                callback()
                            except Exception:
                                pass
                        else:
                            callback()
                if callback_count == len(connections[using].run_on_commit):
                    break
                start_count = callback_count


def _forget_rolled_back_rows() -> None:
    """Drop caches that may hold rows the test's rollback or flush removed."""
    from manouche.apps import apps

    if apps.ready and apps.is_installed("manouche.contrib.contenttypes"):
        from manouche.contrib.contenttypes.models import ContentType

        ContentType.objects.clear_cache()


class SerializeMixin:
    """Run the test classes sharing a ``lockfile`` one at a time.

    Parallel test processes take an exclusive lock on the file for the
    whole class, so classes touching one shared resource never overlap.
    """

    lockfile: ClassVar[str | None] = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.lockfile is None:
            raise ValueError(
                f"{cls.__name__}.lockfile isn't set. Set it to a unique value in "
                "the base class."
            )

    @classmethod
    def setUpClass(cls) -> None:
        import fcntl

        assert cls.lockfile is not None
        lock = open(cls.lockfile)  # noqa: SIM115 - held for the whole class
        cls.addClassCleanup(lock.close)  # type: ignore[attr-defined]
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        super().setUpClass()  # type: ignore[misc]
