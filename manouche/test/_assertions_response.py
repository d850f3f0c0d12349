"""Response assertions of ``SimpleTestCase``: redirects, URLs and content.

A mixin; ``assertRedirects`` may fetch the target through the response's own
test client, sync or async.
"""

# These assertions are built from unittest's own, as Django's are.
# ruff: noqa: PT009

from __future__ import annotations

import asyncio
import concurrent.futures
import unittest
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlparse, urlsplit, urlunparse

from manouche.conf import settings
from manouche.test._assertions_markup import _content_repr, assert_and_parse_html
from manouche.utils.asyncio import async_to_sync

__all__ = ["ResponseAssertions"]

# unittest leaves the frames of modules carrying this flag out of failure
# tracebacks, so a failure points at the test's own line, not at these helpers.
__unittest = True


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


if TYPE_CHECKING:
    _Base = unittest.TestCase
else:
    _Base = object


class ResponseAssertions(_Base):
    """Assertions about responses fetched with the test client."""

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
