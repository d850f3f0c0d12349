"""Language switching views, as ``django.views.i18n``.

``set_language`` stores the chosen language in the language cookie and sends
the user back where they came from, but only to this site: the ``next``
target and the Referer both go through the safe-redirect check.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from manouche.conf import settings
from manouche.http import HttpResponse, HttpResponseRedirect
from manouche.urls import translate_url
from manouche.utils.http import url_has_allowed_host_and_scheme
from manouche.utils.translation import check_for_language

if TYPE_CHECKING:
    from manouche.http import HttpRequest

__all__ = ["LANGUAGE_QUERY_PARAMETER", "set_language"]

LANGUAGE_QUERY_PARAMETER = "language"


def _safe_next_url(request: HttpRequest) -> str | None:
    """Return ``next``, else the Referer, else ``/``: whichever is on-site."""
    next_url: str | None = request.POST.get("next", request.GET.get("next"))
    if not next_url and not request.accepts("text/html"):
        return None
    allowed_hosts = {request.get_host()}
    require_https = request.is_secure()
    for candidate in (next_url, request.META.get("HTTP_REFERER")):
        if url_has_allowed_host_and_scheme(
            candidate, allowed_hosts=allowed_hosts, require_https=require_https
        ):
            return str(candidate)
    return "/"


def set_language(request: HttpRequest) -> HttpResponse:
    """Set the language from the POSTed ``language`` and redirect to ``next``.

    Without a usable ``next`` the Referer is used, then ``/``; a client that
    does not want HTML and gave no ``next`` gets a 204. The language must be
    one of ``LANGUAGES``; the redirect target is translated to it when its
    URL has a language prefix.
    """
    next_url = _safe_next_url(request)
    response: HttpResponse = (
        HttpResponseRedirect(next_url) if next_url else HttpResponse(status=204)
    )
    if request.method != "POST":
        return response
    lang_code = request.POST.get(LANGUAGE_QUERY_PARAMETER)
    if not lang_code or not check_for_language(lang_code):
        return response
    if next_url:
        next_trans = translate_url(next_url, lang_code)
        if next_trans != next_url:
            response = HttpResponseRedirect(next_trans)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        lang_code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response
