"""The ASGI entry point: scope and body in, response messages out.

``ASGIHandler`` owns the protocol edge: lifespan, refusing what it cannot
serve (websockets for now), the request limits that must hold before a
request object exists (request line, headers, body size), reading the body
into a spooled file, and sending the response (streaming and files in
chunks). The middleware chain and exception handling come from
``BaseHandler``; the request object from ``ASGIRequest``.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
import os
import sys
import tempfile
from collections.abc import Awaitable, Callable, Coroutine, Iterator
from typing import IO, Any

from manouche.core import signals
from manouche.core.exceptions import (
    BadRequest,
    RequestAborted,
    RequestDataTooBig,
    SuspiciousOperation,
)
from manouche.core.handlers import _scope
from manouche.core.handlers._disconnect import DisconnectListener, DisconnectWatcher
from manouche.core.handlers._scope import _SEEN_BLOCKS, _SEEN_BLOCKS_LIMITS
from manouche.core.handlers._serve import build_serve
from manouche.core.handlers.base import BaseHandler
from manouche.core.handlers.exception import plain_error_response
from manouche.http import HttpRequest, HttpResponseBadRequest
from manouche.http.response import PLAIN_CONTENT
from manouche.urls import set_script_prefix, set_urlconf
from manouche.utils.asyncio import markcoroutinefunction, run_sync
from manouche.utils.log import log_response

__all__ = ["ASGIHandler", "ASGIRequest", "get_script_prefix"]

logger = logging.getLogger("manouche.request")

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

_BODY_TOO_BIG = "Request body exceeded settings.DATA_UPLOAD_MAX_REQUEST_SIZE."
#: (name, value) header pairs already encoded for ASGI; bounded, since values
#: such as Location or Content-Length vary.
_ENCODED_HEADERS: dict[tuple[str, str], tuple[bytes, bytes]] = {}
_ENCODED_HEADERS_MAX = 1024
#: Whole header sets already encoded, bounded in count (emptied when full) and
#: in size: a view answers with the same headers request after request.
_ENCODED_BLOCKS: dict[tuple[tuple[str, str], ...], tuple[tuple[bytes, bytes], ...]] = {}
_ENCODED_BLOCKS_MAX = 256
_ENCODED_BLOCK_SIZE = 4096
#: Pieces of a sync streaming body gathered per trip to a worker thread.
_BATCH_BYTES = 1 << 16


def get_script_prefix(scope: Scope) -> str:
    """Return the script prefix: FORCE_SCRIPT_NAME, else the scope's root_path."""
    forced = _scope.get_limits().force_script_name
    if forced:
        return forced
    return scope.get("root_path", "") or ""


#: The META entries a connection gives every request, per (client, server,
#: script name); bounded, since clients come and go.
_CONNECTION_META: dict[tuple[Any, Any, str], dict[str, Any]] = {}
_CONNECTION_META_MAX = 256
#: The client, server and script name last asked for, and their META.
_last_connection: tuple[Any, Any, str | None, dict[str, Any]] = (
    object(),
    object(),
    None,
    {},
)


def _connection_meta(client: Any, server: Any, script_name: str) -> dict[str, Any]:
    """A fresh META dict holding what the client, server and prefix give."""
    global _last_connection
    try:
        key: Any = (client, server, script_name)
        base = _CONNECTION_META.get(key)
    except TypeError:  # client or server given as lists
        key = base = None
    if base is None:
        # The per-request keys come first, as placeholders: copies of the
        # base then have room for them and a few headers without growing.
        base = {
            "REQUEST_METHOD": None,
            "QUERY_STRING": None,
            "PATH_INFO": None,
            "SCRIPT_NAME": script_name,
        }
        if client:
            base["REMOTE_ADDR"] = base["REMOTE_HOST"] = client[0]
            base["REMOTE_PORT"] = client[1]
        if server:
            base["SERVER_NAME"] = server[0]
            base["SERVER_PORT"] = str(server[1])
        else:
            base["SERVER_NAME"] = "unknown"
            base["SERVER_PORT"] = "0"
        base["wsgi.multithread"] = base["wsgi.multiprocess"] = True
        if key is not None:
            if len(_CONNECTION_META) >= _CONNECTION_META_MAX:
                _CONNECTION_META.clear()
            _CONNECTION_META[key] = base
    _last_connection = (client, server, script_name, base)
    return base.copy()


class ASGIRequest(HttpRequest):
    """An HttpRequest built from an ASGI scope and a file holding the body.

    Building it enforces the header limits (431), refuses header fields with
    control characters or a second ``Host`` (400) and drops header names
    containing ``_`` before ``META`` is filled.
    """

    def __init__(self, scope: Scope, body_file: IO[bytes] | None) -> None:
        self.scope = scope
        self.resolver_match = None
        path = scope["path"]
        if not path.isascii():
            path = _scope.clean_path(scope)
        self.path = path
        limits = _scope._limits or _scope.get_limits()
        self.script_name = script_name = (
            limits.force_script_name or scope.get("root_path", "") or ""
        )
        if script_name and path.startswith(script_name):
            path_info = path.removeprefix(script_name) or "/"
        else:
            path_info = path
        self.path_info = path_info
        method = scope["method"]
        if method not in _scope.PLAIN_METHODS:
            method = method.upper()
        self.method = method
        query_string = scope.get("query_string", b"")
        if isinstance(query_string, bytes):
            # Invalid UTF-8 raises UnicodeDecodeError: create_request answers 400.
            query_string = query_string.decode() if query_string else ""
        client = scope.get("client")
        server = scope.get("server")
        # A server passes a connection's own client and server tuples with
        # each of its requests: the last connection's META is kept at hand.
        last = _last_connection
        if last[0] is client and last[1] is server and last[2] == script_name:
            meta = last[3].copy()
        else:
            meta = _connection_meta(client, server, script_name)
        meta["REQUEST_METHOD"] = method
        meta["QUERY_STRING"] = query_string
        meta["PATH_INFO"] = path_info
        # _scope.fill_meta_from_headers, its lookup of a block seen before inline.
        headers = scope.get("headers") or ()
        try:
            block_key: tuple[Any, ...] | None = tuple(headers)
            items = (
                _SEEN_BLOCKS.get(block_key)  # type: ignore[arg-type]
                if _SEEN_BLOCKS_LIMITS[0] is limits
                else None
            )
        except TypeError:  # fields given as lists: checked one by one
            block_key = items = None
        if items is None:
            items = _scope.checked_block(headers, block_key, limits)
        meta.update(items)
        self.META = meta
        # content_type, content_params and encoding are parsed on first use.
        self._stream = body_file  # type: ignore[assignment]

    def _get_scheme(self) -> str:
        return str(self.scope.get("scheme") or super()._get_scheme())

    @property
    def environ(self) -> dict[str, Any]:
        """A WSGI environ equivalent to this request (Django's request.environ).

        Lets code written for WSGIRequest (``WSGIHandler()(request.environ,
        ...)``) run on requests built from a scope. The body stream is shared.
        """
        path_info = self.META.get("PATH_INFO", self.path_info)
        environ: dict[str, Any] = {
            **self.META,
            # WSGI carries the path as latin-1-decoded bytes, not as text.
            "PATH_INFO": path_info.encode("utf-8", "surrogateescape").decode("latin-1"),
            "SERVER_PROTOCOL": f"HTTP/{self.scope.get('http_version', '1.1')}",
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": self._get_scheme(),
            "wsgi.input": self._stream if self._stream is not None else io.BytesIO(),
            "wsgi.errors": sys.stderr,
            "wsgi.run_once": False,
        }
        return environ

    def close(self) -> None:
        """Close uploaded files and the body file."""
        super().close()
        if self._stream is not None:
            self._stream.close()


class ASGIHandler(BaseHandler):
    """An ASGI 3 application serving manouche's middleware chain and views."""

    request_class = ASGIRequest
    #: Whether handle() must call get_response_async (a subclass overrides
    #: it) rather than run the base version's body itself. __init__ decides.
    _own_get_response = True
    #: Size of the pieces a file response is read and sent in.
    chunk_size = 1 << 16

    #: The generated coroutine serving HTTP requests (see ``_serve``), or None
    #: when ``handle`` serves them.
    _serve: Any = None

    def __init__(self) -> None:
        super().__init__()
        self.load_middleware(is_async=True)
        self._own_get_response = (
            type(self).get_response_async is not BaseHandler.get_response_async
        )

    def load_middleware(self, is_async: bool = False) -> None:
        """Build the middleware chain, and the coroutine serving it when it can."""
        super().load_middleware(is_async)
        self._serve = build_serve(self, self._flat_chain) if is_async else None

    @markcoroutinefunction
    def __call__(
        self, scope: Scope, receive: Receive, send: Send
    ) -> Coroutine[Any, Any, None]:
        """Serve one ASGI connection scope.

        A coroutine function to servers (it is marked as one): it returns the
        coroutine serving the scope, the generated one itself for HTTP when
        there is one, which spares every request a coroutine level.
        """
        serve = self._serve
        if serve is not None and scope["type"] == "http":
            return serve(scope, receive, send)  # type: ignore[no-any-return]
        return self._dispatch(scope, receive, send)

    async def _dispatch(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve a scope by its type when ``__call__`` has no shortcut for it."""
        scope_type = scope["type"]
        if scope_type == "http":
            await self.handle(scope, receive, send)
        elif scope_type == "lifespan":
            await self.lifespan(receive, send)
        elif scope_type == "websocket":
            # No websocket routing yet: refuse the handshake (the server sends 403).
            message = await receive()
            if message["type"] == "websocket.connect":
                await send({"type": "websocket.close", "code": 1000})
        else:
            raise ValueError(
                f"manouche can only handle ASGI/HTTP connections, not {scope_type}."
            )

    async def lifespan(self, receive: Receive, send: Send) -> None:
        """Answer the lifespan protocol, running the startup and shutdown hooks."""
        from manouche.core import asgi

        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                if await self._run_hooks(asgi.startup_handlers, "startup", send):
                    await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if await self._run_hooks(asgi.shutdown_handlers, "shutdown", send):
                    await send({"type": "lifespan.shutdown.complete"})
                return

    @staticmethod
    async def _run_hooks(
        hooks: list[Callable[[], Any]], phase: str, send: Send
    ) -> bool:
        try:
            for hook in hooks:
                result = hook()
                if isinstance(result, Awaitable):
                    await result
        except Exception as exc:
            logger.exception("ASGI %s hook failed", phase)
            await send({"type": f"lifespan.{phase}.failed", "message": repr(exc)})
            return False
        return True

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check the limits, read the body, run the chain and send the answer."""
        limits = _scope._limits or _scope.get_limits()
        # get_script_prefix(scope), with the limits at hand.
        set_script_prefix(limits.force_script_name or scope.get("root_path", "") or "")
        handler_class = type(self)
        started = signals.request_started
        # Loop-safe sync receivers (the usual ones) are called right here.
        if started.receivers and not started.send_inline(handler_class, scope=scope):
            await started.asend(sender=handler_class, scope=scope)
        request, error_response = self.create_request(scope, None)
        if request is None:
            await self._send_and_close(error_response, send)
            return
        try:
            if "CONTENT_LENGTH" in request.META:
                self._check_declared_length(request)
            message = await receive()
            body = message.get("body", b"")
            if (
                message["type"] == "http.request"
                and not message.get("more_body", False)
                and len(body) <= limits.memory_max
                and (limits.body_max is None or len(body) <= limits.body_max)
            ):
                # One small final message, the common case: no spooled file.
                request._stream = io.BytesIO(body)
            else:
                # The base class types _stream as BytesIO; any binary file works.
                request._stream = await self._read_request_body(receive, message)  # type: ignore[assignment]
        except RequestAborted:
            request.close()
            return
        except (RequestDataTooBig, BadRequest) as exc:
            request.close()
            response = self._refusal(scope, exc)
            await self._send_and_close(response, send)
            return
        listener = DisconnectListener(receive)
        response = None
        try:
            try:
                if self._own_get_response:
                    response = await self.get_response_async(request)
                else:
                    # BaseHandler.get_response_async, one coroutine fewer.
                    set_urlconf(None)
                    response = await self._middleware_chain(request)  # type: ignore[misc]
                    self._after_response(request, response)
            except BaseException:
                # DEBUG_PROPAGATE_EXCEPTIONS or cancellation: free the body, unless
                # the client left: a sync view may still be reading it in a
                # worker thread, and the garbage collector closes it after.
                if not listener.fired:
                    request.close()
                raise
            response._handler_class = handler_class
            listener.before_answer(response)
            try:
                await self.send_response(response, send, scope=scope)
            except OSError:
                pass  # The client went away while the answer was being written.
            finally:
                # Once the answer is out, a disconnect must not cancel the close.
                listener.stop()
                if self._closes_on_loop(response):
                    response.close()
                else:
                    await run_sync(response.close)
        except asyncio.CancelledError:
            if not listener.fired:
                raise
            await self._after_disconnect(listener, response)
        finally:
            listener.stop()

    async def _after_disconnect(
        self, listener: DisconnectListener, response: Any
    ) -> None:
        """Finish a request its client abandoned; re-raise a protocol error."""
        task = asyncio.current_task()
        if task is not None:
            task.uncancel()
        if response is None:
            # The response never existed, so nothing else announces the end.
            await signals.request_finished.asend(sender=type(self))
        if listener.error is not None:
            raise listener.error

    @classmethod
    def _check_declared_length(cls, request: ASGIRequest) -> None:
        """Raise the error a malformed or too large Content-Length deserves."""
        too_big = cls._declared_length_error(request)
        if too_big is not None:
            raise too_big

    @staticmethod
    def _declared_length_error(request: ASGIRequest) -> Exception | None:
        declared = request.META.get("CONTENT_LENGTH")
        if not declared:
            return None
        if not declared.isdigit() or not declared.isascii():
            return BadRequest("Malformed Content-Length")
        limit = _scope.get_limits().body_max
        if limit is not None and int(declared) > limit:
            return RequestDataTooBig("Declared request body is over the limit")
        return None

    async def _read_request_body(
        self, receive: Receive, message: Message | None = None
    ) -> IO[bytes]:
        """Read the body; one small final message skips the spooled file.

        ``message`` is the first message when it was received already.
        """
        if message is None:
            message = await receive()
        if message["type"] == "http.request" and not message.get("more_body", False):
            chunk = message.get("body", b"")
            limits = _scope.get_limits()
            if limits.body_max is not None and len(chunk) > limits.body_max:
                raise RequestDataTooBig(_BODY_TOO_BIG)
            if len(chunk) <= limits.memory_max:
                return io.BytesIO(chunk)
        return await self.read_body(receive, first_message=message)  # type: ignore[no-any-return]

    async def read_body(
        self, receive: Receive, first_message: Message | None = None
    ) -> Any:
        """Read the whole body into a spooled temporary file.

        Bytes are counted as they arrive, whatever Content-Length said, and
        RequestDataTooBig is raised as soon as DATA_UPLOAD_MAX_REQUEST_SIZE is
        crossed. A client that disconnects raises RequestAborted.
        """
        limits = _scope.get_limits()
        limit = limits.body_max
        body_file = tempfile.SpooledTemporaryFile(  # noqa: SIM115 - returned open
            max_size=limits.memory_max, mode="w+b", dir=limits.temp_dir
        )
        received = 0
        message = first_message
        try:
            while True:
                if message is None:
                    message = await receive()
                if message["type"] == "http.disconnect":
                    raise RequestAborted()
                chunk = message.get("body", b"")
                if chunk:
                    received += len(chunk)
                    if limit is not None and received > limit:
                        raise RequestDataTooBig(_BODY_TOO_BIG)
                    if body_file._rolled:  # type: ignore[attr-defined]
                        await run_sync(body_file.write, chunk)
                    else:
                        body_file.write(chunk)
                if not message.get("more_body", False):
                    break
                message = None
        except BaseException:
            body_file.close()
            raise
        body_file.seek(0)
        return body_file

    def create_request(
        self, scope: Scope, body_file: IO[bytes] | None
    ) -> tuple[ASGIRequest | None, Any]:
        """Build the request, or return ``(None, response)`` when it is refused.

        The request line and header limits are checked first: 414, 431, 405
        for TRACE/TRACK, and 400 for malformed headers.
        """
        try:
            request = self.request_class(scope, body_file)
            _scope.check_request(scope, request.META)
            return request, None
        except (SuspiciousOperation, BadRequest, UnicodeDecodeError) as exc:
            if body_file is not None:
                body_file.close()
            return None, self._refusal(scope, exc)

    @staticmethod
    def _refusal(scope: Scope, exc: Exception) -> Any:
        status = getattr(exc, "status_code", 400)
        if isinstance(exc, UnicodeDecodeError):
            # As Django answers an undecodable query string: 400, no body.
            response = HttpResponseBadRequest()
        else:
            response = plain_error_response(status)
        if status == 405:
            response["Allow"] = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS"
        path = scope.get("path", "")
        if len(path) > 200:
            path = path[:200] + "..."
        log_response(
            "%s (%s): %s",
            response.reason_phrase,
            str(exc),
            path,
            response=response,
            logger=logger,
        )
        return response

    async def _send_and_close(
        self,
        response: Any,
        send: Send,
        receive: Receive | None = None,
        scope: Scope | None = None,
    ) -> None:
        try:
            await self.send_response(response, send, receive=receive, scope=scope)
        except OSError:
            # The client went away while the answer was being written.
            pass
        finally:
            await self._close_response(response)

    async def _close_response(self, response: Any) -> None:
        """Close the response (which sends request_finished) off the loop if needed.

        Async streaming responses close their iterator through async_to_sync,
        which only works from a worker thread.
        """
        if self._closes_on_loop(response):
            response.close()
        else:
            await run_sync(response.close)

    def _closes_on_loop(self, response: Any) -> bool:
        """Tell whether closing ``response`` may happen on the event loop."""
        return signals.request_finished.runs_on_loop(type(self)) and not (
            response.streaming and getattr(response, "is_async", False)
        )

    async def send_response(
        self,
        response: Any,
        send: Send,
        receive: Receive | None = None,
        scope: Scope | None = None,
    ) -> None:
        """Send ``response`` as ASGI messages; streaming bodies go in chunks.

        With ``receive``, a streaming answer stops as soon as the client
        disconnects; with ``scope``, a file may go through the server's
        ``http.response.pathsend`` extension.
        """
        if not response.streaming:
            start, content = start_message(response)
            await send(start)
            await send({"type": "http.response.body", "body": content})
            return
        start = {
            "type": "http.response.start",
            "status": response.status_code,
            "headers": _encoded_headers(response),
        }
        await self._send_streaming(response, start, send, receive, scope or {})

    async def _send_streaming(
        self,
        response: Any,
        start: Message,
        send: Send,
        receive: Receive | None,
        scope: Scope,
    ) -> None:
        watcher = DisconnectWatcher(receive) if receive is not None else None
        try:
            if await self._try_pathsend(response, start, send, scope):
                return
            await send(start)
            async for chunk in self._iter_chunks(response):
                if watcher is not None and watcher.disconnected:
                    return
                if chunk:
                    await send(
                        {"type": "http.response.body", "body": chunk, "more_body": True}
                    )
            await send({"type": "http.response.body", "body": b""})
        finally:
            if watcher is not None:
                watcher.stop()

    async def _try_pathsend(
        self, response: Any, start: Message, send: Send, scope: Scope
    ) -> bool:
        """Let the server send a whole file itself when it offers pathsend."""
        if "http.response.pathsend" not in scope.get("extensions", {}):
            return False
        filelike = getattr(response, "file_to_stream", None)
        name = getattr(filelike, "name", None)
        if not isinstance(name, str) or not os.path.isabs(name):
            return False
        try:
            if filelike.tell() != 0:  # type: ignore[union-attr]
                return False
        except (OSError, AttributeError):
            return False
        await send(start)
        await send({"type": "http.response.pathsend", "path": name})
        return True

    async def _iter_chunks(self, response: Any) -> Any:
        """Yield the body of a streaming response without blocking the loop."""
        filelike = getattr(response, "file_to_stream", None)
        if filelike is not None and hasattr(filelike, "read"):
            size = self.chunk_size
            while chunk := await run_sync(filelike.read, size):
                yield chunk if isinstance(chunk, bytes) else bytes(chunk)
            return
        if getattr(response, "is_async", False):
            async with contextlib.aclosing(response.streaming_content) as content:
                async for chunk in content:
                    yield chunk
            return
        iterator = iter(response.streaming_content)
        while batch := await run_sync(_next_batch, iterator):
            for chunk in batch:
                yield chunk


def _encoded_headers(response: Any) -> list[tuple[bytes, bytes]]:
    """The response's headers and cookies, encoded for ASGI."""
    block = tuple(response.headers._store.values())
    encoded_block = _ENCODED_BLOCKS.get(block)
    if encoded_block is None:
        encoded_block = _encode_headers(block)
    # A list of its own: the server may keep it, content-length may be added.
    headers = list(encoded_block)
    # ``cookies`` is created on first use: a response that never set one
    # has none, and building one here would be waste.
    cookies = response._cookies
    if cookies:
        headers.extend(
            (b"set-cookie", cookie.output(header="").strip().encode("latin-1"))
            for cookie in cookies.values()
        )
    return headers


def start_message(response: Any) -> tuple[Message, bytes]:
    """Return the start message of a response that does not stream, and its body."""
    store = response.headers._store
    headers = _encoded_headers(response)
    if type(response).content is PLAIN_CONTENT:  # the property, inline
        container = response._container
        content = container[0] if len(container) == 1 else b"".join(container)
    else:
        content = response.content
    if "content-length" not in store and _may_have_body(response.status_code):
        # Spare the server chunked encoding for a body of known size.
        headers.append((b"content-length", str(len(content)).encode()))
    start = {
        "type": "http.response.start",
        "status": response.status_code,
        "headers": headers,
    }
    return start, content


def _encode_headers(
    block: tuple[tuple[str, str], ...],
) -> tuple[tuple[bytes, bytes], ...]:
    """Encode a response's header pairs for ASGI, remembering pairs and blocks.

    The store holds (name, value) pairs already checked when they were set;
    most recur on every response, and so does the whole set of a view's
    answers.
    """
    encoded_pairs = []
    known = _ENCODED_HEADERS.get
    for pair in block:
        encoded = known(pair)
        if encoded is None:
            encoded = (pair[0].encode("ascii"), pair[1].encode("latin-1"))
            if len(_ENCODED_HEADERS) < _ENCODED_HEADERS_MAX:
                _ENCODED_HEADERS[pair] = encoded
        encoded_pairs.append(encoded)
    encoded_block = tuple(encoded_pairs)
    if len(_ENCODED_BLOCKS) >= _ENCODED_BLOCKS_MAX:
        _ENCODED_BLOCKS.clear()
    if sum(len(name) + len(value) for name, value in block) <= _ENCODED_BLOCK_SIZE:
        _ENCODED_BLOCKS[block] = encoded_block
    return encoded_block


def _may_have_body(status: int) -> bool:
    return status >= 200 and status not in (204, 304)


def _next_batch(iterator: Iterator[bytes]) -> list[bytes]:
    """Pull pieces from a sync iterator until about 64 KiB are gathered."""
    batch: list[bytes] = []
    size = 0
    for chunk in iterator:
        batch.append(chunk)
        size += len(chunk)
        if size >= _BATCH_BYTES:
            break
    return batch
