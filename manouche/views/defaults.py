"""The default error views: 400, 403, 404 and 500 pages.

Each tries the project's template (``404.html`` ...) through the template layer
when it is installed, and falls back to a small built-in page. No exception
detail reaches the built-in pages, so nothing sensitive is disclosed; they
the 404 page still renders through the template engine with the context a
project template would get, so that the test client can inspect
``response.context`` (as in Django).
"""

from __future__ import annotations

import functools
import importlib
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from manouche.core.exceptions import ImproperlyConfigured
from manouche.http import (
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseNotFound,
    HttpResponseServerError,
)

if TYPE_CHECKING:
    from manouche.http import HttpRequest, HttpResponse

__all__ = [
    "ERROR_400_TEMPLATE_NAME",
    "ERROR_403_TEMPLATE_NAME",
    "ERROR_404_TEMPLATE_NAME",
    "ERROR_500_TEMPLATE_NAME",
    "ERROR_PAGE_TEMPLATE",
    "bad_request",
    "page_not_found",
    "permission_denied",
    "server_error",
]

ERROR_404_TEMPLATE_NAME = "404.html"
ERROR_403_TEMPLATE_NAME = "403.html"
ERROR_400_TEMPLATE_NAME = "400.html"
ERROR_500_TEMPLATE_NAME = "500.html"
ERROR_PAGE_TEMPLATE = """
<!doctype html>
<html lang="en">
<head>
  <title>%(title)s</title>
</head>
<body>
  <h1>%(title)s</h1><p>%(details)s</p>
</body>
</html>
"""


def _load_template(template_name: str, default_name: str) -> Any:
    """Return the template, or None to use the built-in page.

    A custom template name that cannot be found is an error worth raising.
    """
    try:
        # Imported by name: the template layer is optional at this level.
        template = importlib.import_module("manouche.template")
        loader = importlib.import_module("manouche.template.loader")
    except ImportError as exc:
        if template_name != default_name:
            raise ImproperlyConfigured(
                f"Cannot load the error template {template_name!r}: the template "
                "layer (manouche.template) is not available."
            ) from exc
        return None
    try:
        return loader.get_template(template_name)
    except template.TemplateDoesNotExist:
        if template_name != default_name:
            raise
        return None


def _builtin_page(
    title: str, context: dict[str, Any] | None = None, details: str = ""
) -> str:
    """Return the built-in page; with ``context``, rendered for the test client.

    As in Django, only the 404 page passes a context; the others stay plain
    text. The page holds no template syntax and ``context`` is never shown.
    When the template layer is missing or fails, the plain text is returned
    as is, since this page is the last resort.
    """
    page = ERROR_PAGE_TEMPLATE % {"title": title, "details": details}
    if context is None:
        return page
    try:
        template = importlib.import_module("manouche.template")
        return str(_builtin_template(page).render(template.Context(context)))
    except Exception:
        return page


@functools.lru_cache(maxsize=8)
def _builtin_template(page: str) -> Any:
    """Compile a built-in page once, with an engine independent of TEMPLATES."""
    template = importlib.import_module("manouche.template")
    return template.Engine().from_string(page)


def page_not_found(
    request: HttpRequest,
    exception: BaseException | None,
    template_name: str = ERROR_404_TEMPLATE_NAME,
) -> HttpResponse:
    """Render the 404 page.

    The template gets ``request_path`` (quoted) and ``exception`` (the
    exception's message when it is a string, else its class name).
    """
    exception_repr = exception.__class__.__name__
    # Prefer a readable message over e.g. Resolver404's dict of tried patterns.
    try:
        message = exception.args[0]  # type: ignore[union-attr]
    except (AttributeError, IndexError):
        pass
    else:
        if isinstance(message, str):
            exception_repr = message
    context = {"request_path": quote(request.path), "exception": exception_repr}
    template = _load_template(template_name, ERROR_404_TEMPLATE_NAME)
    if template is None:
        body = _builtin_page(
            "Not Found",
            context,
            "The requested resource was not found on this server.",
        )
    else:
        body = template.render(context, request)
    return HttpResponseNotFound(body)


def server_error(
    request: HttpRequest, template_name: str = ERROR_500_TEMPLATE_NAME
) -> HttpResponse:
    """Render the 500 page, with an empty context (it must not fail again)."""
    template = _load_template(template_name, ERROR_500_TEMPLATE_NAME)
    if template is None:
        return HttpResponseServerError(_builtin_page("Server Error (500)"))
    return HttpResponseServerError(template.render())


def bad_request(
    request: HttpRequest,
    exception: BaseException | None,
    template_name: str = ERROR_400_TEMPLATE_NAME,
) -> HttpResponse:
    """Render the 400 page with the request; the exception may be sensitive.

    The exception is neither shown nor given to the template.
    """
    template = _load_template(template_name, ERROR_400_TEMPLATE_NAME)
    if template is None:
        return HttpResponseBadRequest(_builtin_page("Bad Request (400)"))
    return HttpResponseBadRequest(template.render(request=request))


def permission_denied(
    request: HttpRequest,
    exception: BaseException | None,
    template_name: str = ERROR_403_TEMPLATE_NAME,
) -> HttpResponse:
    """Render the 403 page; the template gets ``exception`` as a string."""
    context = {"exception": str(exception)}
    template = _load_template(template_name, ERROR_403_TEMPLATE_NAME)
    if template is None:
        return HttpResponseForbidden(_builtin_page("403 Forbidden"))
    return HttpResponseForbidden(template.render(request=request, context=context))
