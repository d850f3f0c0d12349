"""The page shown when a request fails CSRF verification, as ``django.views.csrf``.

``CSRF_FAILURE_VIEW`` points here by default. The ``REASON_*`` messages are the
reasons the CSRF middleware gives; they live here so the view and the
middleware share one definition. Everything the request supplies reaches the
page escaped, and the help section only appears with ``DEBUG = True``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from manouche.conf import settings
from manouche.http import HttpResponseForbidden
from manouche.template import Context, Engine, TemplateDoesNotExist, loader
from manouche.utils.translation import gettext as _
from manouche.utils.version import get_docs_version

if TYPE_CHECKING:
    from manouche.http import HttpRequest

__all__ = [
    "CSRF_FAILURE_TEMPLATE_NAME",
    "REASON_BAD_ORIGIN",
    "REASON_BAD_REFERER",
    "REASON_CSRF_TOKEN_MISSING",
    "REASON_INCORRECT_LENGTH",
    "REASON_INSECURE_REFERER",
    "REASON_INVALID_CHARACTERS",
    "REASON_MALFORMED_REFERER",
    "REASON_NO_CSRF_COOKIE",
    "REASON_NO_REFERER",
    "builtin_template_path",
    "csrf_failure",
]

CSRF_FAILURE_TEMPLATE_NAME = "403_csrf.html"

REASON_BAD_ORIGIN = "Origin checking failed - %s does not match any trusted origins."
REASON_NO_REFERER = "Referer checking failed - no Referer."
REASON_BAD_REFERER = "Referer checking failed - %s does not match any trusted origins."
REASON_NO_CSRF_COOKIE = "CSRF cookie not set."
REASON_CSRF_TOKEN_MISSING = "CSRF token missing."
REASON_MALFORMED_REFERER = "Referer checking failed - Referer is malformed."
REASON_INSECURE_REFERER = (
    "Referer checking failed - Referer is insecure while host is secure."
)
# Completions of "CSRF token from <source> ..." messages.
REASON_INCORRECT_LENGTH = "has incorrect length"
REASON_INVALID_CHARACTERS = "has invalid characters"


def builtin_template_path(name: str) -> Path:
    """Return the path of a template shipped with manouche's views."""
    return Path(__file__).parent / "templates" / name


def _page_context(reason: str) -> dict[str, Any]:
    return {
        "title": _("Forbidden"),
        "main": _("CSRF verification failed. Request aborted."),
        "reason": reason,
        "no_referer": reason == REASON_NO_REFERER,
        "no_referer1": _(
            "You are seeing this message because this HTTPS site requires a "
            "“Referer header” to be sent by your web browser, but none was "
            "sent. This header is required for security reasons, to ensure "
            "that your browser is not being hijacked by third parties."
        ),
        "no_referer2": _(
            "If you have configured your browser to disable “Referer” headers, "
            "please re-enable them, at least for this site, or for HTTPS "
            "connections, or for “same-origin” requests."
        ),
        "no_referer3": _(
            'If you are using the <meta name="referrer" '
            'content="no-referrer"> tag or including the “Referrer-Policy: '
            "no-referrer” header, please remove them. The CSRF protection "
            "requires the “Referer” header to do strict referer checking. If "
            "you’re concerned about privacy, use alternatives like "  # noqa: RUF001
            '<a rel="noreferrer" …> for links to third-party sites.'
        ),
        "no_cookie": reason == REASON_NO_CSRF_COOKIE,
        "no_cookie1": _(
            "You are seeing this message because this site requires a CSRF "
            "cookie when submitting forms. This cookie is required for "
            "security reasons, to ensure that your browser is not being "
            "hijacked by third parties."
        ),
        "no_cookie2": _(
            "If you have configured your browser to disable cookies, please "
            "re-enable them, at least for this site, or for “same-origin” "
            "requests."
        ),
        "DEBUG": settings.DEBUG,
        "docs_version": get_docs_version(),
        "more": _("More information is available with DEBUG=True."),
    }


def csrf_failure(
    request: HttpRequest,
    reason: str = "",
    template_name: str = CSRF_FAILURE_TEMPLATE_NAME,
) -> HttpResponseForbidden:
    """Answer 403 with a page explaining the CSRF failure.

    The project's ``template_name`` template is used when it exists; for the
    default name a built-in page is the fallback (it needs no TEMPLATES
    setting), while a custom name that cannot be found raises
    ``TemplateDoesNotExist``.
    """
    context: Any = _page_context(reason)
    try:
        template = loader.get_template(template_name)
    except TemplateDoesNotExist:
        if template_name != CSRF_FAILURE_TEMPLATE_NAME:
            raise
        with builtin_template_path("csrf_403.html").open(encoding="utf-8") as fh:
            template = Engine().from_string(fh.read())
        context = Context(context)
        return HttpResponseForbidden(template.render(context))
    return HttpResponseForbidden(template.render(context, request))
