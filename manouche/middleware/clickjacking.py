"""X-Frame-Options on every response, so pages cannot be framed by other sites."""

from __future__ import annotations

from typing import TYPE_CHECKING

from manouche.conf import settings
from manouche.utils.deprecation import MiddlewareMixin

if TYPE_CHECKING:
    from manouche.http import HttpRequest, HttpResponseBase

__all__ = ["XFrameOptionsMiddleware"]


class XFrameOptionsMiddleware(MiddlewareMixin):
    """Set X-Frame-Options unless the response sets it or is exempt."""

    process_in_loop = True

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        """Add the header from ``get_xframe_options_value()`` when missing."""
        if response.get("X-Frame-Options") is not None:
            return response
        if getattr(response, "xframe_options_exempt", False):
            return response
        response.headers["X-Frame-Options"] = self.get_xframe_options_value(
            request, response
        )
        return response

    def get_xframe_options_value(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> str:
        """Return the header value (X_FRAME_OPTIONS); override to vary it."""
        return str(getattr(settings, "X_FRAME_OPTIONS", "DENY")).upper()
