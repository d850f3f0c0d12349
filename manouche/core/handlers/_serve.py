"""One generated coroutine serving a whole HTTP request, per ASGI handler.

``ASGIHandler.handle`` reaches the view through layers of calls: the
middleware chain, the view call, hooks, the sending and closing helpers. When
the handler is a plain ``ASGIHandler`` and every middleware flattens (see
``_chain``), ``build_serve`` writes the same steps as one coroutine: the
chain's source inline (hooks by name, header entries as constants), the
request's limits, body, answer and close around it. Anything out of the
ordinary (a refused request, a body to spool, a streaming answer, a client
that leaves) goes to the handler's own methods, so the behaviour is that of
``handle``; ``tests/core/handlers/test_serve.py`` holds the two side by side.
"""

from __future__ import annotations

import asyncio
import io
import types
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from manouche.core import signals
from manouche.core.exceptions import (
    BadRequest,
    RequestAborted,
    RequestDataTooBig,
    SuspiciousOperation,
)
from manouche.core.handlers import _disconnect, _scope
from manouche.core.handlers._chain import (
    FlatChain,
    chain_source,
    compile_function,
    indent,
)
from manouche.core.handlers.base import log_error_response
from manouche.http.response import PLAIN_CLOSE
from manouche.urls import set_script_prefix, set_urlconf
from manouche.urls.base import _prefix, _urlconf
from manouche.utils.asyncio import run_sync

if TYPE_CHECKING:
    from manouche.core.handlers.asgi import ASGIHandler

__all__ = ["build_serve"]

Serve = Callable[[dict[str, Any], Any, Any], Awaitable[None]]

#: The methods ``handle`` calls whose work the generated coroutine does itself:
#: a subclass overriding any of them keeps ``handle``.
_INLINED = (
    "handle",
    "get_response_async",
    "create_request",
    "send_response",
    "_after_response",
    "_close_response",
    "_closes_on_loop",
)

_BEFORE_CHAIN = """\
async def serve(scope, receive, send):
    limits = scope_module._limits or get_limits()
    prefix = limits.force_script_name or scope.get("root_path", "") or ""
    # No prefix while none is set (or "/" is) leaves nothing to set.
    if prefix or script_prefix.get() not in (None, "/"):
        set_script_prefix(prefix)
    #idle started
    if plan is not None and started.receivers:
        if not started.send_inline(handler_class, scope=scope):
            await started.asend(sender=handler_class, scope=scope)
    try:
        request = handler.request_class(scope, None)
        # check_request's refusals, asked inline for the usual request.
        line_max = limits.line_max
        if (
            request.method not in plain_methods
            or "HTTP_HOST" not in request.META
            or line_max is not None
            and len(scope.get("raw_path") or scope["path"])
            + len(scope.get("query_string", b""))
            > line_max
        ):
            check_request(scope, request.META)
    except (SuspiciousOperation, BadRequest, UnicodeDecodeError) as exc:
        await handler._send_and_close(handler._refusal(scope, exc), send)
        return
    try:
        if "CONTENT_LENGTH" in request.META:
            handler._check_declared_length(request)
        message = await receive()
        body = message.get("body", b"")
        if (
            message["type"] == "http.request"
            and not message.get("more_body", False)
            and (
                not body
                or len(body) <= limits.memory_max
                and (limits.body_max is None or len(body) <= limits.body_max)
            )
        ):
            request._stream = BytesIO(body)
        else:
            request._stream = await handler._read_request_body(receive, message)
    except RequestAborted:
        request.close()
        return
    except (RequestDataTooBig, BadRequest) as exc:
        request.close()
        await handler._send_and_close(handler._refusal(scope, exc), send)
        return
    loop = get_running_loop()
    watched = [current_task(loop), receive, None]  # a _disconnect.Watch
    waiting = waiting_listeners.get(loop)
    if waiting is None:
        waiting = waiting_list(loop)
    waiting.append(watched)
    response = None
    try:
        try:
            if urlconf_var.get() is not None:  # set_urlconf(None)'s test, inline
                set_urlconf(None)
"""

_AFTER_CHAIN = """\
            # A plain request holding only its body in memory has nothing to close.
            if (
                type(request) is not ASGIRequest
                or type(request._stream) is not BytesIO
                or getattr(request, "_files", None) is not None
            ):
                closers = getattr(response, "_resource_closers", None)
                if closers is not None:
                    closers.append(request.close)
            if response.status_code >= 400:
                log_error_response(request, response)
        except BaseException:
            if watched[2] is None or not watched[2].fired:
                request.close()
            raise
        response._handler_class = handler_class
        streaming = response.streaming
        try:
            if streaming:
                listen_now(watched, waiting)
                await handler.send_response(response, send, scope=scope)
            else:
                start, content = start_message(response)
                await send(start)
                await send({"type": "http.response.body", "body": content})
        except OSError:
            pass
        finally:
            if watched[0] is not None:  # stop_watch, inline
                watched[0] = None
                if waiting and waiting[-1] is watched:
                    waiting.pop()
                elif watched[2] is not None:
                    watched[2].stop()
            if type(response).close is not plain_close or (
                streaming and getattr(response, "is_async", False)
            ):
                await handler._close_response(response)
            elif response._resource_closers:
                if not response._close_inline():
                    await run_sync(finished.send, sender=handler_class)
            else:  # response._close_inline(), with no closers to run
                response.closed = True
                #idle finished
                if (
                    plan is not None
                    and finished.receivers
                    and not finished.send_inline(handler_class)
                ):
                    await run_sync(finished.send, sender=handler_class)
    except CancelledError:
        if watched[2] is None or not watched[2].fired:
            raise
        await handler._after_disconnect(watched[2], response)
    finally:
        if watched[0] is not None:
            stop_watch(watched, waiting)
"""


def _idle_source(signal: str) -> list[str]:
    """Lines leaving ``plan`` None when every receiver of ``signal`` is idle now.

    What ``send_inline`` would find from its last plan for this handler
    class, asked here: the receivers' ``idle_when`` predicates, without a
    call to ``send_inline``. Otherwise ``plan`` is not None, and the caller
    sends the signal.
    """
    return [
        f"plan = {signal}._inline_last",
        "if (",
        "    plan[0] is handler_class",
        f"    and plan[1] is {signal}.receivers",
        "    and plan[2] == len(plan[1])",
        "    and plan[4] is not None",
        "):",
        "    for idle in plan[4]:",
        "        if not idle():",
        "            break",
        "    else:",
        "        plan = None",
    ]


def _expand(template: str) -> list[str]:
    """The template's lines, each ``#idle <signal>`` line replaced by its source."""
    lines = []
    for line in template.splitlines():
        stripped = line.lstrip()
        if stripped.startswith("#idle "):
            depth = (len(line) - len(stripped)) // 4
            lines += indent(_idle_source(stripped.removeprefix("#idle ")), depth)
        else:
            lines.append(line)
    return lines


def _current_task_getter() -> Callable[[asyncio.AbstractEventLoop], Any]:
    """``asyncio.current_task``, or the C lookup it wraps in Python (3.11)."""
    current_task = asyncio.current_task
    tasks = getattr(asyncio.tasks, "_current_tasks", None)
    if isinstance(current_task, types.FunctionType) and type(tasks) is dict:
        return tasks.get
    return current_task


def build_serve(handler: ASGIHandler, flat: FlatChain | None) -> Serve | None:
    """Return the generated coroutine for ``handler``, or None to keep ``handle``.

    ``flat`` is the handler's flattened chain; it must reach the view
    directly, so that nothing but the generated code runs between the
    server and the view.
    """
    from manouche.core.handlers.asgi import ASGIHandler, ASGIRequest, start_message

    cls = type(handler)
    if any(getattr(cls, name) is not getattr(ASGIHandler, name) for name in _INLINED):
        return None
    if flat is None or flat.direct is None:
        return None
    namespace: dict[str, Any] = {
        "handler": handler,
        "handler_class": cls,
        "scope_module": _scope,
        "get_limits": _scope.get_limits,
        "check_request": _scope.check_request,
        "plain_methods": _scope.PLAIN_METHODS,
        "set_script_prefix": set_script_prefix,
        "script_prefix": _prefix,
        "urlconf_var": _urlconf,
        "set_urlconf": set_urlconf,
        "started": signals.request_started,
        "finished": signals.request_finished,
        "SuspiciousOperation": SuspiciousOperation,
        "BadRequest": BadRequest,
        "RequestAborted": RequestAborted,
        "RequestDataTooBig": RequestDataTooBig,
        "CancelledError": asyncio.CancelledError,
        "BytesIO": io.BytesIO,
        "get_running_loop": asyncio.get_running_loop,
        "current_task": _current_task_getter(),
        "waiting_listeners": _disconnect._waiting_listeners,
        "waiting_list": _disconnect.waiting_list,
        "listen_now": _disconnect.listen_now,
        "stop_watch": _disconnect.stop_watch,
        "log_error_response": log_error_response,
        "start_message": start_message,
        "ASGIRequest": ASGIRequest,
        "run_sync": run_sync,
        "plain_close": PLAIN_CLOSE,
    }
    lines = _expand(_BEFORE_CHAIN)
    lines += indent(chain_source(flat, namespace), 3)
    lines += _expand(_AFTER_CHAIN)
    serve: Serve = compile_function(
        lines, namespace, "serve", f"<{cls.__name__} serve>"
    )
    return serve
