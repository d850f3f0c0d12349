"""HTTP caching helpers: Cache-Control, Vary, ETags and conditional responses.

These functions only read and write response headers; they never touch a cache
backend (``learn_cache_key``/``get_cache_key`` arrive with the cache layer).
"""

from __future__ import annotations

import hashlib
import re
import time
from typing import TYPE_CHECKING, Any

from manouche.conf import settings
from manouche.http import HttpResponse, HttpResponseNotModified
from manouche.utils.http import http_date, parse_etags, parse_http_date_safe, quote_etag
from manouche.utils.log import log_response

if TYPE_CHECKING:
    from collections.abc import Iterable

    from manouche.http import HttpRequest, HttpResponseBase

__all__ = [
    "add_never_cache_headers",
    "cc_delim_re",
    "get_conditional_response",
    "get_max_age",
    "has_vary_header",
    "patch_cache_control",
    "patch_response_headers",
    "patch_vary_headers",
    "set_response_etag",
]

cc_delim_re = re.compile(r"\s*,\s*")

# Headers a 304 keeps from the full response (RFC 9110 section 15.4.5).
_NOT_MODIFIED_HEADERS = (
    "Cache-Control",
    "Content-Location",
    "Date",
    "ETag",
    "Expires",
    "Last-Modified",
    "Vary",
)


def _split_directive(field: str) -> tuple[str, str | bool]:
    name, sep, value = field.partition("=")
    return (name.lower(), value) if sep else (name.lower(), True)


def _join_directive(name: str, value: Any) -> str:
    return name if value is True else f"{name}={value}"


def patch_cache_control(response: HttpResponseBase, **kwargs: Any) -> None:
    """Add or replace Cache-Control directives given as keyword arguments.

    ``max_age`` never raises an existing max-age; ``public`` and ``private``
    replace each other; ``no_cache`` accumulates field names.
    """
    directives: dict[str, Any] = {}
    if response.get("Cache-Control"):
        for field in cc_delim_re.split(response.headers["Cache-Control"]):
            name, value = _split_directive(field)
            if name == "no-cache":
                directives.setdefault(name, set()).add(value)
            else:
                directives[name] = value

    if "max-age" in directives and "max_age" in kwargs:
        kwargs["max_age"] = min(int(directives["max-age"]), kwargs["max_age"])

    if "private" in directives and "public" in kwargs:
        del directives["private"]
    elif "public" in directives and "private" in kwargs:
        del directives["public"]

    for key, value in kwargs.items():
        name = key.replace("_", "-")
        if name == "no-cache":
            current = directives.get(name)
            if not isinstance(current, set):
                current = directives[name] = set()
            current.add(value)
        else:
            directives[name] = value

    parts: list[str] = []
    for name, value in directives.items():
        if isinstance(value, set):
            values = [True] if True in value else sorted(value, key=str)
            parts.extend(_join_directive(name, item) for item in values)
        else:
            parts.append(_join_directive(name, value))
    response.headers["Cache-Control"] = ", ".join(parts)


def get_max_age(response: HttpResponseBase) -> int | None:
    """Return the max-age of the response's Cache-Control as an int, or None."""
    if not response.has_header("Cache-Control"):
        return None
    directives = dict(
        _split_directive(field)
        for field in cc_delim_re.split(response.headers["Cache-Control"])
    )
    value = directives.get("max-age")
    # A bare "max-age" has no value (Django would read it as int(True) == 1).
    if not isinstance(value, str):
        return None
    try:
        return int(value)
    except ValueError:
        return None


def set_response_etag(response: HttpResponseBase) -> HttpResponseBase:
    """Set a strong ETag from the MD5 of a non-streaming response's content."""
    if not response.streaming and response.content:  # type: ignore[attr-defined]
        digest = hashlib.md5(
            response.content,  # type: ignore[attr-defined]
            usedforsecurity=False,
        ).hexdigest()
        response.headers["ETag"] = quote_etag(digest)
    return response


def _precondition_failed(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(status=412)
    log_response(
        "Precondition Failed: %s",
        request.path,
        response=response,
        request=request,
    )
    return response


def _not_modified(
    request: HttpRequest, response: HttpResponseBase | None = None
) -> HttpResponseNotModified:
    new_response = HttpResponseNotModified()
    if response:
        for header in _NOT_MODIFIED_HEADERS:
            if header in response:
                new_response.headers[header] = response.headers[header]
        # Set-Cookie travels with a 304 as with a 200 (RFC 6265 section 3).
        new_response.cookies = response.cookies
    return new_response


def _if_match_passes(target_etag: str | None, etags: list[str]) -> bool:
    if not target_etag:
        return False
    if etags == ["*"]:
        return True
    # If-Match uses the strong comparison: a weak ETag never matches.
    if target_etag.startswith("W/"):
        return False
    return target_etag in etags


def _if_unmodified_since_passes(
    last_modified: int | None, if_unmodified_since: int
) -> bool:
    return bool(last_modified and last_modified <= if_unmodified_since)


def _if_none_match_passes(target_etag: str | None, etags: list[str]) -> bool:
    if not target_etag:
        return True
    if etags == ["*"]:
        return False
    # If-None-Match uses the weak comparison: ignore the W/ prefixes.
    target = target_etag.removeprefix("W/")
    return all(etag.removeprefix("W/") != target for etag in etags)


def _if_modified_since_passes(
    last_modified: int | None, if_modified_since: int
) -> bool:
    return not last_modified or last_modified > if_modified_since


def _parse_date_header(request: HttpRequest, key: str) -> int | None:
    value = request.META.get(key)
    return parse_http_date_safe(value) if value else None


def get_conditional_response(
    request: HttpRequest,
    etag: str | None = None,
    last_modified: int | None = None,
    response: HttpResponseBase | None = None,
) -> HttpResponseBase | None:
    """Evaluate the request's preconditions (RFC 9110 section 13.2.2).

    Return a 304 or 412 response when a precondition decides, else ``response``.
    """
    if response is not None and not (200 <= response.status_code < 300):
        return response

    meta = request.META
    if_match_etags = parse_etags(meta.get("HTTP_IF_MATCH", ""))
    if_none_match_etags = parse_etags(meta.get("HTTP_IF_NONE_MATCH", ""))

    # Step 1: If-Match.
    if if_match_etags and not _if_match_passes(etag, if_match_etags):
        return _precondition_failed(request)

    # Step 2: If-Unmodified-Since, only when If-Match is absent.
    if not if_match_etags:
        if_unmodified_since = _parse_date_header(request, "HTTP_IF_UNMODIFIED_SINCE")
        if if_unmodified_since and not _if_unmodified_since_passes(
            last_modified, if_unmodified_since
        ):
            return _precondition_failed(request)

    # Step 3: If-None-Match.
    if if_none_match_etags and not _if_none_match_passes(etag, if_none_match_etags):
        if request.method in ("GET", "HEAD"):
            return _not_modified(request, response)
        return _precondition_failed(request)

    # Step 4: If-Modified-Since, only for GET/HEAD without If-None-Match.
    if not if_none_match_etags and request.method in ("GET", "HEAD"):
        if_modified_since = _parse_date_header(request, "HTTP_IF_MODIFIED_SINCE")
        if if_modified_since and not _if_modified_since_passes(
            last_modified, if_modified_since
        ):
            return _not_modified(request, response)

    # Step 5 (If-Range) is not supported; step 6: no conditional response.
    return response


def patch_response_headers(
    response: HttpResponseBase, cache_timeout: float | None = None
) -> None:
    """Set Expires (if absent) and Cache-Control max-age from ``cache_timeout``."""
    if cache_timeout is None:
        cache_timeout = settings.CACHE_MIDDLEWARE_SECONDS
    cache_timeout = max(cache_timeout, 0)
    if not response.has_header("Expires"):
        response.headers["Expires"] = http_date(time.time() + cache_timeout)
    patch_cache_control(response, max_age=cache_timeout)


def add_never_cache_headers(response: HttpResponseBase) -> None:
    """Mark a response as never to be cached by anyone."""
    patch_response_headers(response, cache_timeout=-1)
    patch_cache_control(
        response, no_cache=True, no_store=True, must_revalidate=True, private=True
    )


def patch_vary_headers(response: HttpResponseBase, newheaders: Iterable[str]) -> None:
    """Add headers to Vary, keeping order and ignoring case; ``*`` wins alone."""
    if response.has_header("Vary"):
        vary_headers = cc_delim_re.split(response.headers["Vary"])
    else:
        vary_headers = []
    existing = {header.lower() for header in vary_headers}
    for header in newheaders:
        if header.lower() not in existing:
            existing.add(header.lower())
            vary_headers.append(header)
    if "*" in vary_headers:
        response.headers["Vary"] = "*"
    else:
        response.headers["Vary"] = ", ".join(vary_headers)


def has_vary_header(response: HttpResponseBase, header_query: str) -> bool:
    """Tell whether ``header_query`` is listed in the response's Vary header."""
    if not response.has_header("Vary"):
        return False
    vary_headers = cc_delim_re.split(response.headers["Vary"])
    return header_query.lower() in {header.lower() for header in vary_headers}
