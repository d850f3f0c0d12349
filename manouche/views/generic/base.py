"""The base class-based views: View, TemplateView and RedirectView."""

from __future__ import annotations

import importlib
import logging
from typing import TYPE_CHECKING, Any

from manouche.core.exceptions import ImproperlyConfigured
from manouche.http import (
    HttpResponse,
    HttpResponseGone,
    HttpResponseNotAllowed,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
)
from manouche.utils.asyncio import iscoroutinefunction, markcoroutinefunction
from manouche.utils.decorators import classonlymethod
from manouche.utils.functional import classproperty
from manouche.utils.log import log_response

if TYPE_CHECKING:
    from collections.abc import Callable

    from manouche.http import HttpRequest, HttpResponseBase

__all__ = [
    "ContextMixin",
    "RedirectView",
    "TemplateResponseMixin",
    "TemplateView",
    "View",
]

logger = logging.getLogger("manouche.request")


class ContextMixin:
    """Provide ``get_context_data()``, adding ``view`` and ``extra_context``."""

    extra_context: dict[str, Any] | None = None

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        """Return the template context: the keyword arguments plus ``view``."""
        kwargs.setdefault("view", self)
        if self.extra_context is not None:
            kwargs.update(self.extra_context)
        return kwargs


async def _as_awaitable(response: HttpResponseBase) -> HttpResponseBase:
    return response


class View:
    """Intentionally simple parent class for all views: dispatch by HTTP method."""

    http_method_names = [
        "get",
        "post",
        "put",
        "patch",
        "delete",
        "head",
        "options",
        "trace",
    ]

    def __init__(self, **kwargs: Any) -> None:
        # Set by as_view(): one instance per request, keyword arguments as attrs.
        for key, value in kwargs.items():
            setattr(self, key, value)

    @classproperty
    def view_is_async(cls: type[View]) -> bool:
        """Tell whether the HTTP handlers are async; refuse a sync/async mix."""
        handlers = [
            getattr(cls, method)
            for method in cls.http_method_names
            if method != "options" and hasattr(cls, method)
        ]
        if not handlers:
            return False
        is_async = iscoroutinefunction(handlers[0])
        if not all(iscoroutinefunction(h) == is_async for h in handlers[1:]):
            raise ImproperlyConfigured(
                f"{cls.__qualname__} HTTP handlers must either be all sync or all "
                "async."
            )
        return is_async

    @classonlymethod
    def as_view(cls, **initkwargs: Any) -> Callable[..., Any]:
        """Return the request-response view function for this class."""
        for key in initkwargs:
            if key in cls.http_method_names:
                raise TypeError(
                    f"The method name {key} is not accepted as a keyword argument "
                    f"to {cls.__name__}()."
                )
            if not hasattr(cls, key):
                raise TypeError(
                    f"{cls.__name__}() received an invalid keyword {key!r}. as_view "
                    "only accepts arguments that are already attributes of the "
                    "class."
                )

        def view(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            self = cls(**initkwargs)
            self.setup(request, *args, **kwargs)
            if not hasattr(self, "request"):
                raise AttributeError(
                    f"{cls.__name__} instance has no 'request' attribute. Did you "
                    "override setup() and forget to call super()?"
                )
            return self.dispatch(request, *args, **kwargs)

        view.view_class = cls  # type: ignore[attr-defined]
        view.view_initkwargs = initkwargs  # type: ignore[attr-defined]
        # __name__/__qualname__ stay "view": view_class names the view reliably.
        view.__doc__ = cls.__doc__
        view.__module__ = cls.__module__
        view.__annotations__ = cls.dispatch.__annotations__
        # Keep attributes decorators set on dispatch (e.g. csrf_exempt).
        view.__dict__.update(cls.dispatch.__dict__)
        if cls.view_is_async:
            markcoroutinefunction(view)
        return view

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        """Initialise attributes shared by all view methods."""
        if hasattr(self, "get") and not hasattr(self, "head"):
            self.head = self.get
        self.request = request
        self.args = args
        self.kwargs = kwargs

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        """Call the handler named after the request method, or refuse with 405."""
        method = (request.method or "").lower()
        if method in self.http_method_names:
            handler = getattr(self, method, self.http_method_not_allowed)
        else:
            handler = self.http_method_not_allowed
        return handler(request, *args, **kwargs)

    def http_method_not_allowed(
        self, request: HttpRequest, *args: Any, **kwargs: Any
    ) -> Any:
        """Return a 405 listing the allowed methods, and log it."""
        response = HttpResponseNotAllowed(self._allowed_methods())
        log_response(
            "Method Not Allowed (%s): %s",
            request.method,
            request.path,
            response=response,
            request=request,
            logger=logger,
        )
        if self.view_is_async:
            return _as_awaitable(response)
        return response

    def options(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        """Handle OPTIONS: an empty response with the Allow header."""
        response = HttpResponse()
        response.headers["Allow"] = ", ".join(self._allowed_methods())
        response.headers["Content-Length"] = "0"
        if self.view_is_async:
            return _as_awaitable(response)
        return response

    def _allowed_methods(self) -> list[str]:
        return [m.upper() for m in self.http_method_names if hasattr(self, m)]


class _TemplateResponseClass:
    """Resolve TemplateResponse on first use: the template layer is optional."""

    def __get__(self, instance: object, owner: type | None = None) -> Any:
        try:
            # Imported by name: the template layer is optional at this level.
            module = importlib.import_module("manouche.template.response")
        except ImportError as exc:
            raise ImproperlyConfigured(
                "TemplateResponseMixin needs manouche.template.response."
                "TemplateResponse, but the template layer is not available "
                f"({exc}). Set response_class to another response class."
            ) from exc
        return module.TemplateResponse


class TemplateResponseMixin:
    """Render a template into a response."""

    template_name: str | None = None
    template_engine: str | None = None
    response_class: Any = _TemplateResponseClass()
    content_type: str | None = None
    request: HttpRequest

    def render_to_response(
        self, context: dict[str, Any], **response_kwargs: Any
    ) -> HttpResponseBase:
        """Return a response_class instance rendering ``context``."""
        response_kwargs.setdefault("content_type", self.content_type)
        response: HttpResponseBase = self.response_class(
            request=self.request,
            template=self.get_template_names(),
            context=context,
            using=self.template_engine,
            **response_kwargs,
        )
        return response

    def get_template_names(self) -> list[str]:
        """Return the template names to try, in order."""
        if self.template_name is None:
            raise ImproperlyConfigured(
                "TemplateResponseMixin requires either a definition of "
                "'template_name' or an implementation of 'get_template_names()'"
            )
        return [self.template_name]


class TemplateView(TemplateResponseMixin, ContextMixin, View):
    """Render a template, passing the URL keyword arguments in the context."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        """Render the template with ``get_context_data(**kwargs)``."""
        context = self.get_context_data(**kwargs)
        return self.render_to_response(context)


class RedirectView(View):
    """Redirect to a URL (``url`` or ``pattern_name``); 410 Gone when there is none."""

    permanent = False
    url: str | None = None
    pattern_name: str | None = None
    query_string = False

    def get_redirect_url(self, *args: Any, **kwargs: Any) -> str | None:
        """Return the target: ``url % kwargs`` or the reversed ``pattern_name``."""
        if self.url:
            url = self.url % kwargs
        elif self.pattern_name:
            from manouche.urls import reverse

            url = reverse(self.pattern_name, args=args, kwargs=kwargs)
        else:
            return None
        query = self.request.META.get("QUERY_STRING", "")
        if query and self.query_string:
            url = f"{url}?{query}"
        return url

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        """Redirect, permanently or not, or answer 410 Gone."""
        url = self.get_redirect_url(*args, **kwargs)
        if url:
            if self.permanent:
                return HttpResponsePermanentRedirect(url)
            return HttpResponseRedirect(url)
        response = HttpResponseGone()
        log_response(
            "Gone: %s", request.path, response=response, request=request, logger=logger
        )
        return response

    def head(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        """Redirect like GET."""
        return self.get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        """Redirect like GET."""
        return self.get(request, *args, **kwargs)

    def options(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        """Redirect like GET."""
        return self.get(request, *args, **kwargs)

    def delete(
        self, request: HttpRequest, *args: Any, **kwargs: Any
    ) -> HttpResponseBase:
        """Redirect like GET."""
        return self.get(request, *args, **kwargs)

    def put(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        """Redirect like GET."""
        return self.get(request, *args, **kwargs)

    def patch(
        self, request: HttpRequest, *args: Any, **kwargs: Any
    ) -> HttpResponseBase:
        """Redirect like GET."""
        return self.get(request, *args, **kwargs)
