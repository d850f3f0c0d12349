"""Security headers and the HTTPS redirect, configured once from settings."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from manouche.conf import settings
from manouche.http import HttpResponsePermanentRedirect, ResponseHeaders
from manouche.utils.deprecation import MiddlewareMixin

if TYPE_CHECKING:
    from collections.abc import Callable

    from manouche.http import HttpRequest, HttpResponseBase

__all__ = ["SecurityMiddleware"]


class SecurityMiddleware(MiddlewareMixin):
    """Set HSTS, nosniff, Referrer-Policy and COOP; redirect HTTP to HTTPS."""

    process_in_loop = True

    def __init__(self, get_response: Callable[[Any], Any]) -> None:
        super().__init__(get_response)
        self.sts_seconds = settings.SECURE_HSTS_SECONDS
        self.sts_include_subdomains = settings.SECURE_HSTS_INCLUDE_SUBDOMAINS
        self.sts_preload = settings.SECURE_HSTS_PRELOAD
        self.content_type_nosniff = settings.SECURE_CONTENT_TYPE_NOSNIFF
        self.redirect = settings.SECURE_SSL_REDIRECT
        self.redirect_host = settings.SECURE_SSL_HOST
        self.redirect_exempt = [re.compile(r) for r in settings.SECURE_REDIRECT_EXEMPT]
        self.referrer_policy = settings.SECURE_REFERRER_POLICY
        self.cross_origin_opener_policy = settings.SECURE_CROSS_ORIGIN_OPENER_POLICY
        self._sts_header = self._build_sts_header()
        self._referrer_policy_header = self._build_referrer_policy_header()
        self._default_headers = self._build_default_headers()
        if not self.redirect:
            # process_request could only return None: the chain skips the call.
            self._process_request = None

    def _build_sts_header(self) -> str:
        header = f"max-age={self.sts_seconds}"
        if self.sts_include_subdomains:
            header += "; includeSubDomains"
        if self.sts_preload:
            header += "; preload"
        return header

    def _build_referrer_policy_header(self) -> str:
        policy = self.referrer_policy
        if not policy:
            return ""
        # A comma-separated string or an iterable lists fallbacks, newest last.
        values = policy.split(",") if isinstance(policy, str) else policy
        return ",".join(value.strip() for value in values)

    def _build_default_headers(self) -> list[tuple[str, tuple[str, str]]]:
        """Validate the always-added headers once, as header-store entries."""
        candidates = ResponseHeaders({})
        if self.content_type_nosniff:
            candidates["X-Content-Type-Options"] = "nosniff"
        if self._referrer_policy_header:
            candidates["Referrer-Policy"] = self._referrer_policy_header
        if self.cross_origin_opener_policy:
            candidates["Cross-Origin-Opener-Policy"] = self.cross_origin_opener_policy
        return list(candidates._store.items())

    def _response_entries(self) -> tuple[tuple[str, Any], ...] | None:
        """The always-added headers, unless HSTS asks about each request."""
        if self.sts_seconds or (
            type(self).process_response is not SecurityMiddleware.process_response
        ):
            return None
        return tuple(self._default_headers)

    def process_request(self, request: HttpRequest) -> HttpResponseBase | None:
        """Redirect plain-HTTP requests to HTTPS unless the path is exempt."""
        if not self.redirect or request.is_secure():
            return None
        path = request.path.lstrip("/")
        if any(pattern.search(path) for pattern in self.redirect_exempt):
            return None
        host = self.redirect_host or request.get_host()
        return HttpResponsePermanentRedirect(f"https://{host}{request.get_full_path()}")

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        """Add the security headers the response does not set itself."""
        headers = response.headers
        if (
            self.sts_seconds
            and "Strict-Transport-Security" not in headers
            and request.is_secure()
        ):
            headers["Strict-Transport-Security"] = self._sts_header
        # Checked once in __init__: straight into the store, unless already set.
        store = headers._store
        for key, entry in self._default_headers:
            if key not in store:
                store[key] = entry
        return response
