"""URL normalisation (APPEND_SLASH, PREPEND_WWW), user-agent bans, Content-Length."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from manouche.conf import settings
from manouche.core.exceptions import PermissionDenied
from manouche.http import HttpResponsePermanentRedirect
from manouche.http.response import PLAIN_CONTENT
from manouche.urls import is_valid_path
from manouche.utils.deprecation import MiddlewareMixin
from manouche.utils.http import escape_leading_slashes

if TYPE_CHECKING:
    from manouche.http import HttpRequest, HttpResponseBase

__all__ = ["BrokenLinkEmailsMiddleware", "CommonMiddleware"]


class CommonMiddleware(MiddlewareMixin):
    """Apply the project-wide URL rules and fill in Content-Length.

    - Refuse user agents matching DISALLOWED_USER_AGENTS (PermissionDenied).
    - PREPEND_WWW: redirect ``example.com`` to ``www.example.com``.
    - APPEND_SLASH: when a path is not found but the path with a trailing
      slash resolves, redirect there.
    """

    process_in_loop = True
    response_redirect_class = HttpResponsePermanentRedirect

    def process_request(self, request: HttpRequest) -> HttpResponseBase | None:
        """Refuse banned user agents and add ``www.`` when PREPEND_WWW asks."""
        user_agent = request.META.get("HTTP_USER_AGENT")
        if user_agent is not None:
            for user_agent_regex in settings.DISALLOWED_USER_AGENTS:
                if user_agent_regex.search(user_agent):
                    raise PermissionDenied("Forbidden user agent")

        # Validates Host against ALLOWED_HOSTS on every request (400 if not).
        host = request.get_host()
        if not settings.PREPEND_WWW:
            return None
        if not host or host.startswith("www."):
            return None
        # One redirect for both rules, checked only now that one is certain.
        if self.should_redirect_with_slash(request):
            path = self.get_full_path_with_slash(request)
        else:
            path = request.get_full_path()
        return self.response_redirect_class(f"{request.scheme}://www.{host}{path}")

    def should_redirect_with_slash(self, request: HttpRequest) -> bool:
        """Tell whether only the path with a trailing slash is a valid URL."""
        if not settings.APPEND_SLASH or request.path_info.endswith("/"):
            return False
        urlconf = getattr(request, "urlconf", None)
        if is_valid_path(request.path_info, urlconf):
            return False
        match: Any = is_valid_path(f"{request.path_info}/", urlconf)
        if not match:
            return False
        view = getattr(match, "func", None)
        return bool(getattr(view, "should_append_slash", True))

    def get_full_path_with_slash(self, request: HttpRequest) -> str:
        """Return the full path with a trailing slash, refusing to drop a body.

        Raise RuntimeError in DEBUG for DELETE/PATCH/POST/PUT: a redirect would lose
        the submitted data.
        """
        new_path = request.get_full_path(force_append_slash=True)
        # A leading "//" would make the redirect scheme-relative (another host).
        new_path = escape_leading_slashes(new_path)
        if settings.DEBUG and request.method in ("DELETE", "PATCH", "POST", "PUT"):
            raise RuntimeError(
                f"You called this URL via {request.method}, but the URL doesn't "
                "end in a slash and you have APPEND_SLASH set. manouche can't "
                f"redirect to the slash URL while maintaining {request.method} "
                f"data. Change your form to point to {request.get_host()}"
                f"{new_path} (note the trailing slash), or set "
                "APPEND_SLASH=False in your manouche settings."
            )
        return new_path

    def _response_entries(self) -> tuple[tuple[str, Any], ...] | None:
        """Content-Length: what process_response adds to a response that is no 404."""
        if type(self).process_response is not CommonMiddleware.process_response:
            return None
        return (("content-length", _content_length),)

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        """Redirect 404s to the slash URL when valid; set Content-Length."""
        if response.status_code == 404 and self.should_redirect_with_slash(request):
            return self.response_redirect_class(self.get_full_path_with_slash(request))

        streaming: bool = response.streaming  # type: ignore[attr-defined]
        if not streaming:
            store = response.headers._store
            if "content-length" not in store:
                # Digits only: nothing to validate, straight into the store.
                length = str(len(response.content))  # type: ignore[attr-defined]
                store["content-length"] = ("Content-Length", length)
        return response


def _content_length(response: Any) -> tuple[str, str]:
    # Digits only: nothing to validate.
    if type(response).content is PLAIN_CONTENT:  # the property, inline
        container = response._container
        if len(container) == 1:
            return ("Content-Length", str(len(container[0])))
    return ("Content-Length", str(len(response.content)))


class BrokenLinkEmailsMiddleware(MiddlewareMixin):
    """Email ``MANAGERS`` about 404s reached by following a link.

    Only active when DEBUG is off. Requests without a referer, matching
    IGNORABLE_404_URLS, or that look like bots are not reported. Mail sending
    blocks, so the hooks keep the default thread hop in an async chain.
    """

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        """Send the report for a 404 that is worth one."""
        if response.status_code == 404 and not settings.DEBUG:
            domain = request.get_host()
            path = request.get_full_path()
            referer = request.META.get("HTTP_REFERER", "")
            if not self.is_ignorable_request(request, path, domain, referer):
                self.send_report(request, path, domain, referer)
        return response

    def send_report(
        self, request: HttpRequest, path: str, domain: str, referer: str
    ) -> None:
        """Mail the managers the broken URL, its referer and the client."""
        from manouche.core.mail import mail_managers

        user_agent = request.META.get("HTTP_USER_AGENT", "<none>")
        ip_address = request.META.get("REMOTE_ADDR", "<none>")
        internal = "INTERNAL " if self.is_internal_request(domain, referer) else ""
        mail_managers(
            f"Broken {internal}link on {domain}",
            f"Referrer: {referer}\n"
            f"Requested URL: {path}\n"
            f"User agent: {user_agent}\n"
            f"IP address: {ip_address}\n",
            fail_silently=True,
        )

    def is_internal_request(self, domain: str, referer: str) -> bool:
        """Tell whether the referring page is on the requested domain."""
        return bool(re.match(f"^https?://{re.escape(domain)}/", referer))

    def is_ignorable_request(
        self, request: HttpRequest, uri: str, domain: str, referer: str
    ) -> bool:
        """Tell whether a 404 should go unreported.

        Ignored: no referer (typed or bookmarked URL); a referer equal to the
        URL without its trailing slash when APPEND_SLASH redirects; external
        referers with a query string (crawlers); a referer equal to the
        requested URL on any scheme (bots faking the referer check); and URLs
        matching IGNORABLE_404_URLS.
        """
        if not referer:
            return True
        if settings.APPEND_SLASH and uri.endswith("/") and referer == uri[:-1]:
            return True
        if not self.is_internal_request(domain, referer) and "?" in referer:
            return True
        parsed_referer = urlsplit(referer)
        if parsed_referer.netloc in ("", domain) and parsed_referer.path == uri:
            return True
        return any(pattern.search(uri) for pattern in settings.IGNORABLE_404_URLS)
