"""Activate the request's language, and send unprefixed i18n URLs to a prefix.

The language comes from the URL prefix (when the URLconf uses
``i18n_patterns``), then the language cookie, the Accept-Language header and
LANGUAGE_CODE. Hooks are quick and non-blocking, so they run on the loop: the
activated translation is a context variable the view then sees.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from manouche.conf import settings
from manouche.conf.urls.i18n import is_language_prefix_patterns_used
from manouche.http import HttpResponseRedirect
from manouche.urls import get_script_prefix, is_valid_path
from manouche.utils import translation
from manouche.utils.cache import patch_vary_headers
from manouche.utils.deprecation import MiddlewareMixin

if TYPE_CHECKING:
    from manouche.http import HttpRequest, HttpResponseBase

__all__ = ["LocaleMiddleware"]


class LocaleMiddleware(MiddlewareMixin):
    """Activate the request's language and say which one answered.

    A 404 for a path without a language prefix, under ``i18n_patterns`` that
    prefix the default language, becomes a redirect to the prefixed path when
    that one resolves.
    """

    process_in_loop = True
    response_redirect_class: type[HttpResponseBase] = HttpResponseRedirect

    def process_request(self, request: HttpRequest) -> None:
        """Activate the language and record it as ``request.LANGUAGE_CODE``."""
        urlconf = _urlconf(request)
        patterns_used, prefixed_default = is_language_prefix_patterns_used(urlconf)
        language = translation.get_language_from_request(
            request, check_path=patterns_used
        )
        if (
            patterns_used
            and not prefixed_default
            and not translation.get_language_from_path(request.path_info)
        ):
            # An unprefixed URL is the default language's, whatever the
            # cookie or the browser prefer.
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()  # type: ignore[attr-defined]

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        """Redirect to the prefixed URL if that helps; set Content-Language."""
        language = translation.get_language()
        language_from_path = translation.get_language_from_path(request.path_info)
        urlconf = _urlconf(request)
        patterns_used, prefixed_default = is_language_prefix_patterns_used(urlconf)
        if (
            response.status_code == 404
            and patterns_used
            and prefixed_default
            and not language_from_path
        ):
            redirect = self._prefixed_redirect(request, language, urlconf)
            if redirect is not None:
                return redirect
        if not (patterns_used and language_from_path):
            patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", language)
        return response

    def _prefixed_redirect(
        self, request: HttpRequest, language: str | None, urlconf: Any
    ) -> HttpResponseBase | None:
        """The redirect to ``/<language>/<path>``, or None if it would 404 too."""
        language_path = f"/{language}{request.path_info}"
        path_valid = bool(is_valid_path(language_path, urlconf))
        needs_slash = (
            not path_valid
            and settings.APPEND_SLASH
            and not language_path.endswith("/")
            and bool(is_valid_path(f"{language_path}/", urlconf))
        )
        if not (path_valid or needs_slash):
            return None
        script_prefix = get_script_prefix()
        # The language goes after the script prefix, before the rest.
        language_url = request.get_full_path(force_append_slash=needs_slash).replace(
            script_prefix, f"{script_prefix}{language}/", 1
        )
        redirect = self.response_redirect_class(language_url)
        # The target depends on the cookie and header: caches must know.
        patch_vary_headers(redirect, ("Accept-Language", "Cookie"))
        return redirect


def _urlconf(request: HttpRequest) -> Any:
    return getattr(request, "urlconf", settings.ROOT_URLCONF)
