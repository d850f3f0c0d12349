"""The technical pages shown when DEBUG is on, and the filters that keep secrets out.

``technical_500_response`` and ``technical_404_response`` are only called by
the handlers when ``settings.DEBUG`` is true. Everything a page shows is
escaped; settings, cookies, POST values and local variables pass through
``SafeExceptionReporterFilter`` first, which masks what looks secret and what
views marked with ``sensitive_variables`` / ``sensitive_post_parameters``.
The filter lives in ``_debug_filter``, the reporter in ``_debug_reporter``;
this module is their public path.
"""

from __future__ import annotations

import functools
import types
from pathlib import Path as Path  # kept importable: tests patch debug.Path.open
from types import TracebackType
from typing import Any

import manouche
from manouche.conf import settings
from manouche.http import HttpResponse, HttpResponseNotFound
from manouche.utils.encoding import force_str
from manouche.utils.module_loading import import_string
from manouche.views._debug_filter import (
    CLEANSED_SUBSTITUTE,
    CallableSettingWrapper,
    SafeExceptionReporterFilter,
    get_default_exception_reporter_filter,
    get_exception_reporter_filter,
)
from manouche.views._debug_reporter import (
    ExceptionCycleWarning,
    ExceptionReporter,
    get_caller,
    report_engine,
)
from manouche.views._debug_reporter import safe_repr as safe_repr

__all__ = [
    "CLEANSED_SUBSTITUTE",
    "CallableSettingWrapper",
    "ExceptionCycleWarning",
    "ExceptionReporter",
    "SafeExceptionReporterFilter",
    "default_urlconf",
    "get_default_exception_reporter_filter",
    "get_exception_reporter_class",
    "get_exception_reporter_filter",
    "technical_404_response",
    "technical_500_response",
]


def technical_500_response(
    request: Any,
    exc_type: type[BaseException] | None,
    exc_value: BaseException | None,
    tb: TracebackType | None,
    status_code: int = 500,
) -> HttpResponse:
    """Return the debug page for an exception, HTML or plain text per Accept."""
    reporter = get_exception_reporter_class(request)(request, exc_type, exc_value, tb)
    if request is None or _prefers_html(request):
        return HttpResponse(
            reporter.get_traceback_html(),
            status=status_code,
            content_type="text/html; charset=utf-8",
        )
    return HttpResponse(
        reporter.get_traceback_text(),
        status=status_code,
        content_type="text/plain; charset=utf-8",
    )


def _prefers_html(request: Any) -> bool:
    accepts = getattr(request, "accepts", None)
    if accepts is None:
        return True
    try:
        return bool(accepts("text/html"))
    except Exception:
        return True


def get_exception_reporter_class(request: Any) -> type[ExceptionReporter]:
    """Return the request's own reporter class, or DEFAULT_EXCEPTION_REPORTER."""
    default = import_string(settings.DEFAULT_EXCEPTION_REPORTER)
    return getattr(request, "exception_reporter_class", default)  # type: ignore[no-any-return]


def _pattern_description(pattern: Any) -> str:
    text = str(getattr(pattern, "pattern", pattern))
    name = getattr(pattern, "name", None)
    if name:
        text += f" [name='{name}']"
    return text


def technical_404_response(request: Any, exception: Exception) -> HttpResponse:
    """Return the DEBUG 404 page: the path and the URL patterns that were tried."""
    from manouche.views import _debug_html

    info = exception.args[0] if exception.args else None
    error_url = request.path_info[1:]
    tried: Any = None
    if isinstance(info, dict):
        error_url = info.get("path", error_url)
        tried = info.get("tried")
    resolved = tried is None
    if resolved:
        match = getattr(request, "resolver_match", None)
        tried = getattr(match, "tried", None) if match else None
    elif not tried and request.path == "/":
        return default_urlconf(request)
    urlconf = getattr(request, "urlconf", settings.ROOT_URLCONF)
    if isinstance(urlconf, types.ModuleType):
        urlconf = urlconf.__name__
    patterns = [
        " ".join(_pattern_description(p) for p in entry)
        if isinstance(entry, list | tuple)
        else _pattern_description(entry)
        for entry in tried or ()
    ]
    reason = "" if isinstance(info, dict) else force_str(exception, errors="replace")
    context = {
        "urlconf": str(urlconf),
        "root_urlconf": settings.ROOT_URLCONF,
        "request_path": str(error_url),
        "urlpatterns": tried,
        "resolved": resolved,
        "reason": reason,
        "request": request,
        "raising_view_name": get_caller(request) if resolved else "",
    }
    html = _debug_html.render_404(
        {
            **context,
            "full_path": request.path,
            "method": request.method,
            "patterns": patterns,
        }
    )
    return HttpResponseNotFound(
        _through_engine(html, context), content_type="text/html; charset=utf-8"
    )


def _through_engine(html: str, context: dict[str, Any]) -> str:
    """Return ``html`` unchanged, after rendering it with ``context``.

    The page is laid out (and escaped) in Python; passing it through the
    report engine lets the test client capture ``context``, as it does for
    pages that come from templates.
    """
    from manouche.template import Context
    from manouche.utils.safestring import mark_safe

    page = Context({**context, "technical_page_html": mark_safe(html)}, use_l10n=False)
    return str(_page_template().render(page))


@functools.lru_cache(maxsize=1)
def _page_template() -> Any:
    return report_engine().from_string("{{ technical_page_html }}")


def default_urlconf(request: Any) -> HttpResponse:
    """Return the welcome page shown while the project has no URL patterns."""
    from manouche.views import _debug_html

    return HttpResponse(
        _debug_html.render_welcome(manouche.get_version()),
        content_type="text/html; charset=utf-8",
    )
