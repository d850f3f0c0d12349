"""X-Frame-Options on every response, so pages cannot be framed by other sites."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from manouche.conf import settings
from manouche.http.response import ResponseHeaders
from manouche.utils.deprecation import MiddlewareMixin

if TYPE_CHECKING:
    from manouche.http import HttpRequest, HttpResponseBase

__all__ = ["XFrameOptionsMiddleware"]


class XFrameOptionsMiddleware(MiddlewareMixin):
    """Set X-Frame-Options unless the response sets it or is exempt."""

    process_in_loop = True
    #: The last header value that passed ResponseHeaders' checks.
    _checked_value: str | None = None

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        """Add the header from ``get_xframe_options_value()`` when missing."""
        headers = response.headers
        if "x-frame-options" in headers._store:
            return response
        if getattr(response, "xframe_options_exempt", False):
            return response
        value = self.get_xframe_options_value(request, response)
        if type(value) is str and value == self._checked_value:
            # The value checked last time: skip validating it again.
            headers._store["x-frame-options"] = ("X-Frame-Options", value)
        else:
            headers["X-Frame-Options"] = value
            # Remembered only when stored as given (not converted or encoded).
            stored = headers._store["x-frame-options"][1]
            self._checked_value = value if stored == value else None
        return response

    def _response_entries(self) -> tuple[tuple[str, Any], ...] | None:
        """The header from X_FRAME_OPTIONS, unless a subclass decides it."""
        cls = type(self)
        if (
            cls.process_response is not XFrameOptionsMiddleware.process_response
            or cls.get_xframe_options_value
            is not XFrameOptionsMiddleware.get_xframe_options_value
        ):
            return None
        return (("x-frame-options", _entry_from_setting),)

    def get_xframe_options_value(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> str:
        """Return the header value (X_FRAME_OPTIONS); override to vary it."""
        return str(getattr(settings, "X_FRAME_OPTIONS", "DENY")).upper()


#: X_FRAME_OPTIONS values already checked, as header-store entries.
_ENTRIES: dict[str, tuple[str, str]] = {}


def _entry_from_setting(response: HttpResponseBase) -> tuple[str, str]:
    """The X-Frame-Options entry for the current X_FRAME_OPTIONS setting.

    Read per response, as get_xframe_options_value reads it.
    """
    setting = getattr(settings, "X_FRAME_OPTIONS", "DENY")
    entry = _ENTRIES.get(setting) if type(setting) is str else None
    if entry is None:
        headers = ResponseHeaders({})
        headers["X-Frame-Options"] = str(setting).upper()
        entry = headers._store["x-frame-options"]
        if type(setting) is str and len(_ENTRIES) < 16:
            _ENTRIES[setting] = entry
    return entry
