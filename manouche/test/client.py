"""Test clients and request factories.

``RequestFactory`` builds request objects the way a server would, without
running them; ``Client`` and ``AsyncClient`` send requests through the real
ASGI handler in process (middleware chain, resolver, views, exception
conversion) and return the response with test extras attached: the request,
``templates``, ``context``, ``json()``, ``redirect_chain`` and cookies kept
between requests. Nothing here opens a socket.
"""

from __future__ import annotations

import contextlib
import functools
import json
import sys
from collections.abc import AsyncIterator, Callable, Iterator
from copy import copy
from http.cookies import SimpleCookie
from types import TracebackType
from typing import Any
from urllib.parse import urljoin, urlsplit

from manouche.conf import settings
from manouche.core.exceptions import (
    BadRequest,
    ImproperlyConfigured,
    SuspiciousOperation,
)
from manouche.core.handlers.asgi import ASGIHandler, get_script_prefix
from manouche.core.signals import (
    got_request_exception,
    request_finished,
    request_started,
)
from manouche.test._factory import (
    AsyncRequestFactory,
    RequestFactory,
    _body_of,
    _environ_to_scope,
)
from manouche.test._multipart import (
    BOUNDARY,
    JSON_CONTENT_TYPE_RE,
    MULTIPART_CONTENT,
    FakePayload,
    encode_file,
    encode_multipart,
)
from manouche.test.signals import template_rendered
from manouche.test.utils import ContextList
from manouche.utils.asyncio import async_to_sync, run_sync
from manouche.utils.functional import SimpleLazyObject

__all__ = [
    "BOUNDARY",
    "MULTIPART_CONTENT",
    "AsyncClient",
    "AsyncRequestFactory",
    "Client",
    "ClientHandler",
    "FakePayload",
    "RedirectCycleError",
    "RequestFactory",
    "conditional_content_removal",
    "encode_file",
    "encode_multipart",
    "store_rendered_templates",
]

REDIRECT_STATUS_CODES = frozenset({301, 302, 303, 307, 308})
# Firefox's network.http.redirection-limit: a longer chain is taken as a loop.
MAX_REDIRECTS = 20
# Request-dict keys that become part of the ASGI scope instead of META.


class RedirectCycleError(Exception):
    """The test client was redirected in a loop, or too many times."""

    def __init__(self, message: str, last_response: Any) -> None:
        super().__init__(message)
        self.last_response = last_response
        self.redirect_chain = last_response.redirect_chain


def conditional_content_removal(request: Any, response: Any) -> Any:
    """Drop the body of HEAD answers and of statuses that must not have one."""
    status = response.status_code
    if 100 <= status < 200 or status in (204, 304) or request.method == "HEAD":
        if response.streaming:
            response.streaming_content = []
        else:
            response.content = b""
    return response


def store_rendered_templates(
    store: dict[str, Any],
    signal: Any,
    sender: Any,
    template: Any,
    context: Any,
    **kwargs: Any,
) -> None:
    """Record a rendered template and a copy of its context (a signal receiver)."""
    store.setdefault("templates", []).append(template)
    if "context" not in store:
        store["context"] = ContextList()
    store["context"].append(copy(context))


class _ClosingIterator:
    """Iterate a sync body and close the response once it is exhausted."""

    def __init__(self, iterator: Iterator[bytes], close: Callable[[], None]) -> None:
        self._iterator = iterator
        self._close: Callable[[], None] | None = close

    def __iter__(self) -> _ClosingIterator:
        return self

    def __next__(self) -> bytes:
        try:
            return next(self._iterator)
        except StopIteration:
            self._finish()
            raise

    def _finish(self) -> None:
        close, self._close = self._close, None
        if close is not None:
            with _keep_db_connections(request_finished):
                close()


class _SyncFromAsyncIterator(_ClosingIterator):
    """Let synchronous test code read an async body, chunk by chunk."""

    def __init__(
        self, iterator: AsyncIterator[bytes], close: Callable[[], None]
    ) -> None:
        super().__init__(iter(()), close)
        self._async_iterator = iterator
        self._next = async_to_sync(self._anext)

    async def _anext(self) -> tuple[bool, bytes]:
        try:
            return True, await self._async_iterator.__anext__()
        except StopAsyncIteration:
            return False, b""

    def __next__(self) -> bytes:
        more, chunk = self._next()
        if not more:
            self._finish()
            raise StopIteration
        return chunk


class _AsyncClosingIterator:
    """Iterate an async body and close the response once it is exhausted."""

    def __init__(
        self, iterator: AsyncIterator[bytes], close: Callable[[], None]
    ) -> None:
        self._iterator = iterator
        self._close: Callable[[], None] | None = close

    def __aiter__(self) -> _AsyncClosingIterator:
        return self

    async def __anext__(self) -> bytes:
        try:
            return await self._iterator.__anext__()
        except StopAsyncIteration:
            close, self._close = self._close, None
            if close is not None:
                with _keep_db_connections(request_finished):
                    await run_sync(close)
            raise


def _body_receiver(body: bytes) -> Callable[[], Any]:
    sent = False

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


@contextlib.contextmanager
def _keep_db_connections(signal: Any) -> Iterator[None]:
    """Hold ``close_old_connections`` off ``signal`` for one test request.

    Inside a TestCase the connections are in the test's atomic block; closing
    them at request edges would end (and, in memory, destroy) the database.
    """
    try:
        from manouche.db import close_old_connections
    except ImportError:
        yield
        return
    disconnected = signal.disconnect(close_old_connections)
    try:
        yield
    finally:
        if disconnected:
            signal.connect(close_old_connections)


async def _close_response(response: Any) -> None:
    """Close ``response`` (sending request_finished) keeping the connections."""
    with _keep_db_connections(request_finished):
        await run_sync(response.close)


class ClientHandler(ASGIHandler):
    """Run test requests through the real handler without a server.

    The middleware chain is built on first use and rebuilt when
    ``settings.MIDDLEWARE`` changes, so ``override_settings`` works between
    requests of one client. CSRF checks are skipped unless enforced.
    """

    def __init__(self, enforce_csrf_checks: bool = True) -> None:
        self.enforce_csrf_checks = enforce_csrf_checks
        self._middleware_chain = None
        self._loaded_for: tuple[str, ...] | None = None

    def _ensure_middleware(self) -> None:
        middleware = tuple(settings.MIDDLEWARE)
        if self._middleware_chain is None or middleware != self._loaded_for:
            self.load_middleware(is_async=True)
            self._loaded_for = middleware

    async def get_test_response(
        self,
        scope: dict[str, Any],
        body: bytes,
        meta: dict[str, Any],
        started: dict[str, Any],
    ) -> Any:
        """Answer one request: limits, middleware, view, exception conversion."""
        from manouche.urls import set_script_prefix

        self._ensure_middleware()
        set_script_prefix(get_script_prefix(scope))
        with _keep_db_connections(request_started):
            await request_started.asend(sender=type(self), **started)
        request, error_response = self.create_request(scope, None)
        if request is None:
            error_response.wsgi_request = error_response.asgi_request = None
            await _close_response(error_response)
            return error_response
        if meta:
            request.META.update(meta)
        request._dont_enforce_csrf_checks = not self.enforce_csrf_checks  # type: ignore[attr-defined]
        try:
            declared_error = self._declared_length_error(request)
            if declared_error is not None:
                raise declared_error
            request._stream = await self.read_body(_body_receiver(body))
        except (BadRequest, SuspiciousOperation) as exc:
            request.close()
            response = self._refusal(scope, exc)
            response.wsgi_request = response.asgi_request = None
            await _close_response(response)
            return response
        response = await self.get_response_async(request)
        response._handler_class = type(self)
        conditional_content_removal(request, response)
        response.wsgi_request = response.asgi_request = request
        if not response.streaming:
            await _close_response(response)
        return response


class _ClientMixin:
    """What Client and AsyncClient share: signals, response extras, cookies."""

    handler: ClientHandler
    cookies: SimpleCookie
    raise_request_exception: bool
    exc_info: tuple[type[BaseException], BaseException, TracebackType | None] | None
    extra: dict[str, Any] | None
    headers: dict[str, str] | None

    def __init__(
        self,
        enforce_csrf_checks: bool = False,
        raise_request_exception: bool = True,
        *,
        headers: dict[str, str] | None = None,
        query_params: Any = None,
        **defaults: Any,
    ) -> None:
        # The request factory (next in the MRO) keeps the defaults.
        super().__init__(  # type: ignore[call-arg]
            headers=headers, query_params=query_params, **defaults
        )
        self.handler = ClientHandler(enforce_csrf_checks)
        self.raise_request_exception = raise_request_exception
        self.exc_info = None
        self.extra = None
        self.headers = None

    def store_exc_info(self, **kwargs: Any) -> None:
        """Remember the exception a view raised (a got_request_exception receiver)."""
        exc_info = sys.exc_info()
        if exc_info[1] is None and isinstance(kwargs.get("exception"), BaseException):
            exc = kwargs["exception"]
            exc_info = (type(exc), exc, exc.__traceback__)
        if exc_info[1] is not None:
            self.exc_info = exc_info

    async def _run_request(
        self,
        request_dict: dict[str, Any],
        scope: dict[str, Any],
        body: bytes,
        meta: dict[str, Any],
        started: dict[str, Any],
    ) -> Any:
        data: dict[str, Any] = {}
        on_template_render = functools.partial(store_rendered_templates, data)
        signal_uid = f"template-render-{id(request_dict)}"
        template_rendered.connect(on_template_render, dispatch_uid=signal_uid)
        exception_uid = f"request-exception-{id(request_dict)}"
        got_request_exception.connect(self.store_exc_info, dispatch_uid=exception_uid)
        try:
            response = await self.handler.get_test_response(scope, body, meta, started)
        finally:
            template_rendered.disconnect(dispatch_uid=signal_uid)
            got_request_exception.disconnect(dispatch_uid=exception_uid)
        self._decorate_response(response, request_dict, data)
        return response

    def _decorate_response(
        self, response: Any, request_dict: dict[str, Any], data: dict[str, Any]
    ) -> None:
        response.exc_info = self.exc_info
        if self.exc_info is not None:
            exc_value = self.exc_info[1]
            self.exc_info = None
            if self.raise_request_exception:
                raise exc_value
        response.client = self
        response.request = request_dict
        response.templates = data.get("templates", [])
        context = data.get("context")
        response.context = (
            context[0] if context is not None and len(context) == 1 else context
        )
        response.json = functools.partial(self._parse_json, response)
        request = getattr(response, "asgi_request", None)
        urlconf = getattr(request, "urlconf", None)
        path = request.path_info if request is not None else "/"
        response.resolver_match = SimpleLazyObject(lambda: _resolve(path, urlconf))
        if response.cookies:
            self._store_cookies(response.cookies)

    def _store_cookies(self, cookies: SimpleCookie) -> None:
        for key, morsel in cookies.items():
            if _is_expired(morsel):
                self.cookies.pop(key, None)
            else:
                self.cookies[key] = morsel

    @staticmethod
    def _parse_json(response: Any, **extra: Any) -> Any:
        if not hasattr(response, "_json"):
            content_type = response.get("Content-Type") or ""
            if not JSON_CONTENT_TYPE_RE.match(content_type):
                raise ValueError(
                    f'Content-Type header is "{response.get("Content-Type")}", '
                    'not "application/json"'
                )
            response._json = json.loads(
                response.content.decode(response.charset), **extra
            )
        return response._json

    def _redirect_target(
        self, response: Any, method: str
    ) -> tuple[str, str, dict[str, Any], bool]:
        """Return (path, query, extra, keep_method) for following ``response``."""
        url = urlsplit(response.url)
        extra: dict[str, Any] = {}
        if url.scheme:
            extra["secure"] = url.scheme == "https"
        if url.hostname:
            extra["SERVER_NAME"] = url.hostname
        if url.port:
            extra["SERVER_PORT"] = str(url.port)
        path = url.path
        if not path and url.netloc:
            path = "/"
        if not path.startswith("/"):
            path = urljoin(response.asgi_request.path_info, path)
        keep_method = response.status_code in (307, 308) and method not in (
            "GET",
            "HEAD",
        )
        return path, url.query, extra, keep_method

    @staticmethod
    def _check_redirect_loop(
        response: Any, redirect_chain: list[tuple[str, int]]
    ) -> None:
        response.redirect_chain = redirect_chain
        if redirect_chain[-1] in redirect_chain[:-1]:
            raise RedirectCycleError("Redirect loop detected.", last_response=response)
        if len(redirect_chain) > MAX_REDIRECTS:
            raise RedirectCycleError("Too many redirects.", last_response=response)

    # Sessions and authentication need the contrib apps.

    def _require_contrib(self, feature: str) -> None:
        from manouche.apps import apps

        if not (
            apps.is_installed("manouche.contrib.sessions")
            and apps.is_installed("manouche.contrib.auth")
        ):
            raise ImproperlyConfigured(
                f"Client.{feature} needs 'manouche.contrib.auth' and "
                "'manouche.contrib.sessions' in INSTALLED_APPS."
            )

    @property
    def session(self) -> Any:
        """Return the session of the current session cookie."""
        self._require_contrib("session")
        raise NotImplementedError(
            "Client.session arrives with manouche.contrib.sessions."
        )

    def force_login(self, user: Any, backend: str | None = None) -> None:
        """Log ``user`` in without checking credentials."""
        self._require_contrib("force_login()")
        raise NotImplementedError(
            "Client.force_login() arrives with manouche.contrib.auth."
        )

    def login(self, **credentials: Any) -> bool:
        """Log in with ``credentials``; return whether they were accepted."""
        self._require_contrib("login()")
        raise NotImplementedError("Client.login() arrives with manouche.contrib.auth.")

    def logout(self) -> None:
        """Log out and forget the session."""
        self._require_contrib("logout()")
        raise NotImplementedError("Client.logout() arrives with manouche.contrib.auth.")


def _resolve(path: str, urlconf: Any) -> Any:
    from manouche.urls import resolve

    return resolve(path, urlconf)


def _is_expired(morsel: Any) -> bool:
    from email.utils import parsedate_to_datetime

    max_age = morsel["max-age"]
    if max_age != "":
        try:
            return int(max_age) <= 0
        except ValueError:
            return False
    expires = morsel["expires"]
    if not expires:
        return False
    try:
        when = parsedate_to_datetime(expires)
    except (TypeError, ValueError):
        return False
    import datetime

    if when.tzinfo is None:
        when = when.replace(tzinfo=datetime.UTC)
    return when <= datetime.datetime.now(datetime.UTC)


class Client(_ClientMixin, RequestFactory):
    """Send requests through the application in process, as a browser would.

    Sync views run on the calling thread; cookies are kept between
    requests; exceptions raised by views are re-raised unless
    ``raise_request_exception`` is False.
    """

    def request(self, **request: Any) -> Any:
        """Run a request described by META-style keys; return the response."""
        scope, body, meta = _environ_to_scope(self._base_environ(**request))
        started = {"environ": request}
        response = async_to_sync(self._run_request)(request, scope, body, meta, started)
        if response.streaming:
            content = response.streaming_content
            if getattr(response, "is_async", False):
                response.streaming_content = _SyncFromAsyncIterator(
                    content, response.close
                )
            else:
                response.streaming_content = _ClosingIterator(
                    iter(content), response.close
                )
        return response

    def generic(
        self,
        method: str,
        path: Any,
        data: Any = "",
        content_type: str | None = "application/octet-stream",
        secure: bool = False,
        *,
        follow: bool = False,
        headers: dict[str, str] | None = None,
        query_params: Any = None,
        **extra: Any,
    ) -> Any:
        """Send a request for any method; follow redirects when ``follow``."""
        self.extra = extra
        self.headers = headers
        response = super().generic(
            method,
            path,
            data,
            content_type,
            secure,
            headers=headers,
            query_params=query_params,
            **extra,
        )
        if follow:
            response = self._handle_redirects(
                response, method, data, content_type, headers, extra
            )
        return response

    def _handle_redirects(
        self,
        response: Any,
        method: str,
        data: Any,
        content_type: str | None,
        headers: dict[str, str] | None,
        extra: dict[str, Any],
    ) -> Any:
        redirect_chain: list[tuple[str, int]] = []
        response.redirect_chain = redirect_chain
        while response.status_code in REDIRECT_STATUS_CODES:
            redirect_chain.append((response.url, response.status_code))
            path, query, target, keep_method = self._redirect_target(response, method)
            kwargs = {**extra, **target}
            if keep_method:
                response = self.generic(
                    method,
                    path,
                    data,
                    content_type,
                    headers=headers,
                    QUERY_STRING=query,
                    **kwargs,
                )
            else:
                method = "GET"
                response = self.get(
                    path, query_params=_query_dict(query), headers=headers, **kwargs
                )
            self._check_redirect_loop(response, redirect_chain)
        return response


def _query_dict(query: str) -> Any:
    from manouche.http import QueryDict

    return QueryDict(query)


class AsyncClient(_ClientMixin, AsyncRequestFactory):
    """Send requests through the application from async tests; await each call.

    Extra keyword arguments are header names without the ``HTTP_`` prefix.
    """

    async def request(self, **request: Any) -> Any:
        """Run a request described by scope keys; return the response."""
        body = _body_of(request.get("_body_file"))
        scope = self._base_scope(**request)
        response = await self._run_request(request, scope, body, {}, {"scope": scope})
        if response.streaming:
            content = response.streaming_content
            if getattr(response, "is_async", False):
                response.streaming_content = _AsyncClosingIterator(
                    content, response.close
                )
            else:
                response.streaming_content = _ClosingIterator(
                    iter(content), response.close
                )
        return response

    async def generic(
        self,
        method: str,
        path: Any,
        data: Any = "",
        content_type: str | None = "application/octet-stream",
        secure: bool = False,
        *,
        follow: bool = False,
        headers: dict[str, str] | None = None,
        query_params: Any = None,
        **extra: Any,
    ) -> Any:
        """Send a request for any method; follow redirects when ``follow``."""
        self.extra = extra
        self.headers = headers
        response = await super().generic(
            method,
            path,
            data,
            content_type,
            secure,
            headers=headers,
            query_params=query_params,
            **extra,
        )
        if follow:
            response = await self._handle_redirects(
                response, method, data, content_type, headers, extra
            )
        return response

    async def _handle_redirects(
        self,
        response: Any,
        method: str,
        data: Any,
        content_type: str | None,
        headers: dict[str, str] | None,
        extra: dict[str, Any],
    ) -> Any:
        redirect_chain: list[tuple[str, int]] = []
        response.redirect_chain = redirect_chain
        while response.status_code in REDIRECT_STATUS_CODES:
            redirect_chain.append((response.url, response.status_code))
            path, query, target, keep_method = self._redirect_target(response, method)
            secure = target.pop("secure", False)
            # The async client takes headers, not META keys, for the host.
            host = target.pop("SERVER_NAME", None)
            port = target.pop("SERVER_PORT", None)
            kwargs = dict(extra)
            if host:
                kwargs["host"] = f"{host}:{port}" if port else host
            if keep_method:
                response = await self.generic(
                    method,
                    path,
                    data,
                    content_type,
                    secure,
                    headers=headers,
                    QUERY_STRING=query,
                    **kwargs,
                )
            else:
                method = "GET"
                response = await self.get(
                    path,
                    secure=secure,
                    query_params=_query_dict(query),
                    headers=headers,
                    **kwargs,
                )
            self._check_redirect_loop(response, redirect_chain)
        return response
