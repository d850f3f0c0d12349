"""The request handler shared by the ASGI and WSGI entry points.

``BaseHandler`` builds the middleware chain once, from ``settings.MIDDLEWARE``,
adapting each member to the sync or async mode it supports, and runs a request
through it: URL resolution, view middleware, the view, template responses and
exception middleware. It knows nothing about the server protocol.
"""

from __future__ import annotations

import asyncio
import logging
import types
from collections.abc import Callable
from typing import Any

from manouche.conf import settings
from manouche.core import signals
from manouche.core.exceptions import ImproperlyConfigured, MiddlewareNotUsed
from manouche.core.handlers._chain import (
    DirectView,
    FlatChain,
    Layer,
    compile_chain,
    plan_flat_chain,
)
from manouche.core.handlers.exception import convert_exception_to_response
from manouche.dispatch.dispatcher import idle_when, loop_safe
from manouche.http.response import HttpResponseBase
from manouche.urls import ResolverMatch, get_resolver, set_urlconf
from manouche.urls.base import _urlconf_is_default
from manouche.utils.asyncio import (
    async_to_sync,
    iscoroutinefunction,
    run_sync,
)
from manouche.utils.log import log_response
from manouche.utils.module_loading import import_string

__all__ = ["BaseHandler", "log_error_response", "reset_urlconf"]

logger = logging.getLogger("manouche.request")


def _to_async(method: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a blocking callable so it is awaited off the event loop."""

    async def adapted(*args: Any, **kwargs: Any) -> Any:
        return await run_sync(method, *args, **kwargs)

    adapted.__wrapped__ = method  # type: ignore[attr-defined]
    return adapted


#: Per attribute name, per class: what _class_has answered (one dict per name,
#: so that asking costs no key tuple; the classes seen are few).
_CLASS_ANSWERS: dict[str, dict[type, bool]] = {}


def _class_has(cls: type, name: str) -> bool:
    """Whether instances of ``cls`` answer ``name`` without an instance attribute."""
    answers = _CLASS_ANSWERS.get(name)
    if answers is None:
        answers = _CLASS_ANSWERS[name] = {}
    answer = answers.get(cls)
    if answer is None:
        answer = answers[cls] = hasattr(cls, name) or hasattr(cls, "__getattr__")
    return answer


def _may_render(response: Any) -> bool:
    """Whether ``response`` has a callable ``render`` (a template response)."""
    if "render" not in getattr(response, "__dict__", ()) and not _class_has(
        type(response), "render"
    ):
        return False
    return callable(getattr(response, "render", None))


class BaseHandler:
    """Run requests through the middleware chain, the resolver and the view."""

    _view_middleware: list[Callable[..., Any]] | None = None
    _template_response_middleware: list[Callable[..., Any]] | None = None
    _exception_middleware: list[Callable[..., Any]] | None = None
    _middleware_chain: Callable[..., Any] | None = None
    #: The async chain's outer layers as one flat run (see ``_chain``); it
    #: reaches the view itself (``direct``) only when every layer flattened.
    _flat_chain: FlatChain | None = None

    def load_middleware(self, is_async: bool = False) -> None:
        """Build the middleware chain from ``settings.MIDDLEWARE``, once.

        Walks the list from the innermost member outwards, handing each one
        the handler below it adapted to the mode it prefers.
        """
        self._view_middleware = []
        self._template_response_middleware = []
        self._exception_middleware = []

        get_response = self._get_response_async if is_async else self._get_response
        handler = convert_exception_to_response(get_response)
        handler_is_async = is_async
        debug = settings.DEBUG
        layers: list[Layer] = []
        for middleware_path in reversed(settings.MIDDLEWARE):
            middleware = import_string(middleware_path)
            can_sync = getattr(middleware, "sync_capable", True)
            can_async = getattr(middleware, "async_capable", False)
            if not can_sync and not can_async:
                raise RuntimeError(
                    f"Middleware {middleware_path} must have at least one of "
                    "sync_capable/async_capable set to True."
                )
            if not handler_is_async and can_sync:
                middleware_is_async = False
            else:
                middleware_is_async = can_async
            try:
                adapted_handler = self.adapt_method_mode(
                    middleware_is_async, handler, handler_is_async
                )
                instance = middleware(adapted_handler)
            except MiddlewareNotUsed as exc:
                if debug:
                    if str(exc):
                        logger.debug("MiddlewareNotUsed(%r): %s", middleware_path, exc)
                    else:
                        logger.debug("MiddlewareNotUsed: %r", middleware_path)
                continue
            if debug and adapted_handler is not handler:
                # Said only once the middleware accepted it (not MiddlewareNotUsed).
                logger.debug(
                    "%s handler adapted for middleware %s.",
                    "Synchronous" if middleware_is_async else "Asynchronous",
                    middleware_path,
                )
            handler = adapted_handler
            if instance is None:
                raise ImproperlyConfigured(
                    f"Middleware factory {middleware_path} returned None."
                )
            self._collect_hooks(instance, is_async)
            layers.append((instance, adapted_handler, middleware_is_async))
            handler = convert_exception_to_response(instance)
            handler_is_async = middleware_is_async

        # The outermost layer must match the mode the server calls in.
        chain = self.adapt_method_mode(is_async, handler, handler_is_async)
        self._flat_chain = None
        if is_async and handler_is_async:
            flat = plan_flat_chain(layers[::-1], chain, self._direct_view())
            if flat is not None:
                chain = compile_chain(flat)
                self._flat_chain = flat
        self._middleware_chain = chain

    def _direct_view(self) -> DirectView | None:
        """Let the flat chain call views itself when nothing would differ.

        Not when a subclass changes how views are found, wrapped or checked,
        nor with view or exception middleware installed.
        """
        cls = type(self)
        if (
            self._view_middleware
            or self._exception_middleware
            or cls._get_response_async is not BaseHandler._get_response_async
            or cls.resolve_request is not BaseHandler.resolve_request
            or cls.make_view_atomic is not BaseHandler.make_view_atomic
            or cls.check_response is not BaseHandler.check_response
        ):
            return None
        request_class = getattr(self, "request_class", None)
        if request_class is not None and _class_has(request_class, "urlconf"):
            request_class = None
        return DirectView(
            get_response=self._get_response_async,
            request_class=request_class,
            run_sync_view=_run_sync_view,
            finish=self._finish_response_async,
            renders=_CLASS_ANSWERS.setdefault("render", {}),
        )

    def _collect_hooks(self, instance: Any, is_async: bool) -> None:
        assert self._view_middleware is not None
        assert self._template_response_middleware is not None
        assert self._exception_middleware is not None
        if hasattr(instance, "process_view"):
            self._view_middleware.insert(
                0, self.adapt_method_mode(is_async, instance.process_view)
            )
        if hasattr(instance, "process_template_response"):
            self._template_response_middleware.append(
                self.adapt_method_mode(is_async, instance.process_template_response)
            )
        if hasattr(instance, "process_exception"):
            # Exception middleware always runs synchronously, off the loop.
            self._exception_middleware.append(
                self.adapt_method_mode(False, instance.process_exception)
            )

    def adapt_method_mode(
        self,
        is_async: bool,
        method: Callable[..., Any],
        method_is_async: bool | None = None,
        debug: bool = False,
        name: str | None = None,
    ) -> Callable[..., Any]:
        """Adapt ``method`` to be called in the sync or async mode ``is_async``.

        Sync callables reached from async code run through ``run_sync`` (a
        persistent pool, or the thread of an enclosing sync caller); async
        ones reached from sync code run through ``async_to_sync``.
        """
        if method_is_async is None:
            method_is_async = iscoroutinefunction(method)
        if debug and not name:
            name = f"method {method.__qualname__}()"
        if is_async:
            if not method_is_async:
                if debug:
                    logger.debug("Synchronous handler adapted for %s.", name)
                return _to_async(method)
        elif method_is_async:
            if debug:
                logger.debug("Asynchronous handler adapted for %s.", name)
            adapted = async_to_sync(method)
            # functools.wraps copied the async marker of ``method``; the
            # adapter itself is synchronous.
            vars(adapted).pop("_is_coroutine_marker", None)
            return adapted
        return method

    def get_response(self, request: Any) -> Any:
        """Return a response for ``request`` (sync servers)."""
        set_urlconf(None)
        assert self._middleware_chain is not None, "load_middleware() was not called."
        response = self._middleware_chain(request)
        self._after_response(request, response)
        return response

    async def get_response_async(self, request: Any) -> Any:
        """Return a response for ``request`` (async servers)."""
        set_urlconf(None)
        chain = self._middleware_chain
        assert chain is not None, "load_middleware(is_async=True) was not called."
        response = await chain(request)
        self._after_response(request, response)
        return response

    @staticmethod
    def _after_response(request: Any, response: Any) -> None:
        closers = getattr(response, "_resource_closers", None)
        if closers is not None:
            closers.append(request.close)
        if response.status_code >= 400:
            log_error_response(request, response)

    def _get_response(self, request: Any) -> Any:
        """Resolve and call the view, with view, template and exception hooks."""
        assert self._view_middleware is not None
        response: Any = None
        callback, callback_args, callback_kwargs = self.resolve_request(request)
        for middleware_method in self._view_middleware:
            response = middleware_method(
                request, callback, callback_args, callback_kwargs
            )
            if response:
                break
        if response is None:
            wrapped_callback = self.make_view_atomic(callback)
            if iscoroutinefunction(wrapped_callback):
                wrapped_callback = async_to_sync(wrapped_callback)
            try:
                response = wrapped_callback(request, *callback_args, **callback_kwargs)
            except Exception as exc:
                response = self.process_exception_by_middleware(exc, request)
                if response is None:
                    raise
        self.check_response(response, callback)
        if hasattr(response, "render") and callable(response.render):
            response = self._process_template_response(request, response)
        return response

    def _process_template_response(self, request: Any, response: Any) -> Any:
        assert self._template_response_middleware is not None
        for middleware_method in self._template_response_middleware:
            response = middleware_method(request, response)
            self.check_response(
                response,
                middleware_method,
                name=f"{_owner_name(middleware_method)}.process_template_response",
            )
        try:
            render = response.render
            if iscoroutinefunction(render):
                render = async_to_sync(render)
            response = render()
        except Exception as exc:
            response = self.process_exception_by_middleware(exc, request)
            if response is None:
                raise
        return response

    async def _get_response_async(self, request: Any) -> Any:
        """Resolve and await the view; sync views run once through ``run_sync``."""
        view_middleware = self._view_middleware
        assert view_middleware is not None
        response: Any = None
        match = self.resolve_request(request)
        if type(match) is ResolverMatch:  # its attributes, without __iter__
            callback, callback_args, callback_kwargs = (
                match.func,
                match.args,
                match.kwargs,
            )
        else:
            callback, callback_args, callback_kwargs = match
        if view_middleware:
            for middleware_method in view_middleware:
                response = await middleware_method(
                    request, callback, callback_args, callback_kwargs
                )
                if response:
                    break
        if response is None:
            wrapped_callback = self.make_view_atomic(callback)
            try:
                if iscoroutinefunction(wrapped_callback):
                    if callback_args or callback_kwargs:
                        response = await wrapped_callback(
                            request, *callback_args, **callback_kwargs
                        )
                    else:
                        response = await wrapped_callback(request)
                else:
                    response = await run_sync(
                        _run_sync_view,
                        wrapped_callback,
                        request,
                        *callback_args,
                        **callback_kwargs,
                    )
            except Exception as exc:
                response = await run_sync(
                    self.process_exception_by_middleware, exc, request
                )
                if response is None:
                    raise
        if isinstance(response, HttpResponseBase) and not _may_render(response):
            return response
        return await self._finish_response_async(request, response, callback)

    async def _finish_response_async(
        self, request: Any, response: Any, callback: Any
    ) -> Any:
        """Check what the view returned and render a template response."""
        if not isinstance(response, HttpResponseBase):
            self.check_response(response, callback)
        if _may_render(response):
            response = await self._process_template_response_async(request, response)
        return response

    async def _process_template_response_async(
        self, request: Any, response: Any
    ) -> Any:
        assert self._template_response_middleware is not None
        for middleware_method in self._template_response_middleware:
            response = await middleware_method(request, response)
            self.check_response(
                response,
                middleware_method,
                name=f"{_owner_name(middleware_method)}.process_template_response",
            )
        try:
            arender = getattr(response, "arender", None)
            if arender is not None and iscoroutinefunction(arender):
                response = await arender()
            elif iscoroutinefunction(response.render):
                response = await response.render()
            else:
                response = await run_sync(response.render)
        except Exception as exc:
            response = await run_sync(
                self.process_exception_by_middleware, exc, request
            )
            if response is None:
                raise
        return response

    def resolve_request(self, request: Any) -> Any:
        """Resolve ``request.path_info``, honouring a per-request ``urlconf``."""
        if "urlconf" in getattr(request, "__dict__", ()) or (
            _class_has(type(request), "urlconf") and hasattr(request, "urlconf")
        ):
            urlconf = request.urlconf
            set_urlconf(urlconf)
            resolver = get_resolver(urlconf)
        else:
            resolver = get_resolver()
        resolver_match = resolver.resolve(request.path_info)
        request.resolver_match = resolver_match
        return resolver_match

    def check_response(
        self, response: Any, callback: Any, name: str | None = None
    ) -> None:
        """Raise ValueError when a view or hook gave None or an unawaited coroutine."""
        # The isinstance test answers the usual case without asking the
        # (slower) coroutine ABCs.
        if isinstance(response, HttpResponseBase) or not (
            response is None or asyncio.iscoroutine(response)
        ):
            return
        if not name:
            if isinstance(callback, types.FunctionType):
                name = f"The view {callback.__module__}.{callback.__name__}"
            else:
                name = (
                    f"The view {callback.__module__}.{type(callback).__name__}.__call__"
                )
        if response is None:
            raise ValueError(
                f"{name} didn't return an HttpResponse object. It returned None "
                "instead."
            )
        response.close()
        raise ValueError(
            f"{name} didn't return an HttpResponse object. It returned an "
            "unawaited coroutine instead. You may need to add an 'await' "
            "into your view."
        )

    def make_view_atomic(self, view: Any) -> Any:
        """Wrap ``view`` in a transaction for each database with ATOMIC_REQUESTS."""
        databases = settings.DATABASES
        if not databases:
            return view
        original = view
        for alias, config in databases.items():
            # Asked only when a database wants it: the usual answer is no.
            if config.get("ATOMIC_REQUESTS") and alias not in getattr(
                original, "_non_atomic_requests", ()
            ):
                if iscoroutinefunction(view):
                    raise RuntimeError(
                        "You cannot use ATOMIC_REQUESTS with async views."
                    )
                from manouche.db import transaction

                view = transaction.atomic(using=alias)(view)
        return view

    def process_exception_by_middleware(
        self, exception: Exception, request: Any
    ) -> Any:
        """Give each exception middleware a chance to answer; None if none did."""
        for middleware_method in self._exception_middleware or ():
            response = middleware_method(request, exception)
            if response:
                return response
        return None


def log_error_response(request: Any, response: Any) -> None:
    """Log a 4xx or 5xx answer on manouche.request (its status sets the level)."""
    log_response(
        "%s: %s",
        response.reason_phrase,
        request.path,
        response=response,
        request=request,
    )


def _owner_name(method: Any) -> str:
    owner = getattr(method, "__self__", None)
    if owner is None:
        wrapped = getattr(method, "__wrapped__", None)
        owner = getattr(wrapped, "__self__", None)
    return type(owner).__name__ if owner is not None else repr(method)


def _run_sync_view(
    view: Callable[..., Any], request: Any, *args: Any, **kwargs: Any
) -> Any:
    """Call a sync view in its worker thread, then tidy that thread's connections.

    The database connections a sync view opens belong to the worker thread it
    ran in; ``request_finished`` is sent from the event loop, so the check at
    the request's end (CONN_MAX_AGE, broken connections) is made here.
    """
    try:
        return view(request, *args, **kwargs)
    finally:
        _close_thread_connections()


def _close_thread_connections() -> None:
    from manouche.db import close_old_connections

    # The test client holds the receiver off during its requests: so do we.
    sync_receivers, _async_receivers = signals.request_finished._live_receivers(None)
    if close_old_connections in sync_receivers:
        close_old_connections()


@loop_safe
@idle_when(_urlconf_is_default)
def reset_urlconf(sender: Any, **kwargs: Any) -> None:
    """Forget a per-request URLconf once the response is finished."""
    set_urlconf(None)


signals.request_finished.connect(reset_urlconf)
