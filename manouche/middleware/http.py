"""Conditional GET: answer 304 when the client's cached copy is current."""

from __future__ import annotations

from typing import TYPE_CHECKING

from manouche.utils.cache import (
    cc_delim_re,
    get_conditional_response,
    set_response_etag,
)
from manouche.utils.deprecation import MiddlewareMixin
from manouche.utils.http import parse_http_date_safe

if TYPE_CHECKING:
    from manouche.http import HttpRequest, HttpResponseBase

__all__ = ["ConditionalGetMiddleware"]


class ConditionalGetMiddleware(MiddlewareMixin):
    """Handle conditional GET requests using ETag and Last-Modified.

    Add a strong ETag to non-streaming responses that lack one (unless
    Cache-Control has no-store), then turn the response into a 304 when the
    request's If-None-Match or If-Modified-Since says the client is current.
    """

    process_in_loop = True

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        """Add an ETag when missing and evaluate the request's preconditions."""
        # Too late to refuse an unsafe request with 412, and HEAD has no body
        # to hash: only GET is handled here.
        if request.method != "GET":
            return response

        if self.needs_etag(response) and not response.has_header("ETag"):
            set_response_etag(response)

        etag = response.get("ETag")
        last_modified_header = response.get("Last-Modified")
        last_modified = (
            parse_http_date_safe(last_modified_header) if last_modified_header else None
        )
        if etag or last_modified:
            conditional = get_conditional_response(
                request, etag=etag, last_modified=last_modified, response=response
            )
            if conditional is not None:
                return conditional
        return response

    def needs_etag(self, response: HttpResponseBase) -> bool:
        """Tell whether an ETag should be added (not when Cache-Control: no-store)."""
        directives = cc_delim_re.split(response.get("Cache-Control", ""))
        return all(directive.lower() != "no-store" for directive in directives)
