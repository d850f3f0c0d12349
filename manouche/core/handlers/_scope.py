"""Check an ASGI HTTP scope against the request limits and build ``META`` from it.

One pass over the header list both enforces the limits (count, field size,
total size, one ``Host``, no control characters) and fills ``META``, so a
request's headers are copied exactly once. Nothing here does I/O; violations
raise the exceptions whose ``status_code`` the handler answers with.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote_to_bytes

from manouche.conf import settings
from manouche.core.exceptions import (
    BadRequest,
    RequestHeadersTooLarge,
    RequestLineTooLong,
)
from manouche.utils.encoding import repercent_broken_unicode

__all__ = [
    "LIMIT_SETTINGS",
    "HeaderError",
    "Limits",
    "PLAIN_METHODS",
    "MethodNotAllowed",
    "check_host_present",
    "check_request",
    "checked_block",
    "clean_path",
    "clear_limits",
    "fill_meta_from_headers",
    "get_limits",
]

# NUL, CR and LF can never be part of a header value; a server that lets them
# through opens the door to response splitting and log injection.
_FORBIDDEN_IN_FIELD = re.compile(rb"[\x00\r\n]")
_REFUSED_METHODS = frozenset({"TRACE", "TRACK"})
# Memo of header name -> META key (None: dropped). Bounded so that hostile
# header names cannot grow it without limit.
_META_KEYS: dict[bytes, str | None] = {
    b"content-length": "CONTENT_LENGTH",
    b"content-type": "CONTENT_TYPE",
}
_META_KEYS_MAX = 512
_UNSEEN: Any = object()
# Memo of (name, value) -> (META key, text) for fields already checked, bounded
# in count and field size so that hostile headers cannot grow it far.
_SEEN_FIELDS: dict[tuple[bytes, bytes], tuple[str | None, str]] = {}
_SEEN_MAX = 1024
_SEEN_FIELD_SIZE = 256


@dataclass(frozen=True, slots=True)
class Limits:
    """The settings read on every request, looked up once.

    Slots rather than a NamedTuple: CPython 3.11 specialises reading a slot,
    not a named tuple's field, and these are read several times a request.
    """

    line_max: int | None
    field_max: int | None
    total_max: int | None
    count_max: int | None
    body_max: int | None
    memory_max: int
    temp_dir: str | None
    force_script_name: str | None


#: Settings captured by ``get_limits``; a change to one clears the snapshot.
LIMIT_SETTINGS = frozenset(
    {
        "REQUEST_LINE_MAX_SIZE",
        "REQUEST_HEADER_MAX_SIZE",
        "REQUEST_HEADERS_MAX_TOTAL_SIZE",
        "REQUEST_HEADERS_MAX_COUNT",
        "DATA_UPLOAD_MAX_REQUEST_SIZE",
        "FILE_UPLOAD_MAX_MEMORY_SIZE",
        "FILE_UPLOAD_TEMP_DIR",
        "FORCE_SCRIPT_NAME",
    }
)
_limits: Limits | None = None


def get_limits() -> Limits:
    """Return the request limits, read from settings once."""
    global _limits
    if _limits is None:
        _limits = Limits(
            line_max=settings.REQUEST_LINE_MAX_SIZE,
            field_max=settings.REQUEST_HEADER_MAX_SIZE,
            total_max=settings.REQUEST_HEADERS_MAX_TOTAL_SIZE,
            count_max=settings.REQUEST_HEADERS_MAX_COUNT,
            body_max=settings.DATA_UPLOAD_MAX_REQUEST_SIZE,
            memory_max=settings.FILE_UPLOAD_MAX_MEMORY_SIZE,
            temp_dir=settings.FILE_UPLOAD_TEMP_DIR,
            force_script_name=settings.FORCE_SCRIPT_NAME,
        )
    return _limits


def clear_limits() -> None:
    """Forget the snapshot (``setting_changed`` calls this in tests)."""
    global _limits
    _limits = None


class HeaderError(BadRequest):
    """The header block is malformed (answered with 400)."""


class MethodNotAllowed(BadRequest):
    """The method is refused outright, such as TRACE (answered with 405)."""

    status_code = 405


def _meta_key(name: bytes) -> str | None:
    key = _META_KEYS.get(name)
    if key is None and name not in _META_KEYS:
        text = name.decode("latin-1")
        # "X_Forwarded_For" must never pose as HTTP_X_FORWARDED_FOR.
        key = None if "_" in text else "HTTP_" + text.upper().replace("-", "_")
        if len(_META_KEYS) < _META_KEYS_MAX:
            _META_KEYS[name] = key
    return key


def _check_field(name: bytes, value: bytes) -> tuple[str | None, str]:
    """Refuse control characters; return the META key (None: dropped) and text.

    Short fields are remembered: most requests repeat the same few.
    """
    # One search over name and value together: the cheapest check measured.
    if _FORBIDDEN_IN_FIELD.search(name + value) is not None:
        raise HeaderError("Control character in a header field")
    key = _META_KEYS.get(name, _UNSEEN)
    if key is _UNSEEN:
        key = _meta_key(name)
    field = (key, value.decode("latin-1"))
    if len(name) + len(value) <= _SEEN_FIELD_SIZE and len(_SEEN_FIELDS) < _SEEN_MAX:
        _SEEN_FIELDS[(name, value)] = field
    return field


PLAIN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def check_request(scope: dict[str, Any], meta: dict[str, Any]) -> None:
    """Refuse what the request line and Host presence forbid (405, 414, 400).

    That is TRACE/TRACK, request targets over REQUEST_LINE_MAX_SIZE and an
    HTTP/1.1 request without a Host header. The handler asks once per
    request, after building the request object.
    """
    method = scope.get("method", "GET")
    # The usual methods skip the case folding.
    if method not in PLAIN_METHODS and method.upper() in _REFUSED_METHODS:
        raise MethodNotAllowed(f"Method {method} is not allowed")
    limit = (_limits or get_limits()).line_max
    if limit is not None:
        target = scope.get("raw_path") or scope.get("path", "")
        if len(target) + len(scope.get("query_string", b"")) > limit:
            raise RequestLineTooLong(f"Request target is over {limit} bytes")
    if "HTTP_HOST" not in meta and scope.get("http_version") == "1.1":
        raise HeaderError("HTTP/1.1 request without a Host header")


#: Whole header blocks already checked under one ``Limits`` snapshot, as the
#: META items they give: a client on a kept-alive connection repeats its
#: headers. Bounded in count and block size; emptied when full or when the
#: limits change.
_Block = tuple[tuple[str, str], ...]
_SEEN_BLOCKS: dict[tuple[Any, ...], _Block] = {}
_SEEN_BLOCKS_LIMITS: list[Limits | None] = [None]
_SEEN_BLOCKS_MAX = 256
_SEEN_BLOCK_SIZE = 4096


def fill_meta_from_headers(scope: dict[str, Any], meta: dict[str, Any]) -> None:
    """Add the scope's headers to ``meta``, enforcing the header limits."""
    headers = scope.get("headers") or ()
    limits = _limits or get_limits()
    try:
        block_key: tuple[Any, ...] | None = tuple(headers)
        items = (
            _SEEN_BLOCKS.get(block_key)  # type: ignore[arg-type]
            if _SEEN_BLOCKS_LIMITS[0] is limits
            else None
        )
    except TypeError:  # fields given as lists: checked one by one
        block_key = items = None
    if items is None:
        items = checked_block(headers, block_key, limits)
    # Header keys (HTTP_*, CONTENT_*) never collide with the scope-derived ones.
    meta.update(items)


def checked_block(
    headers: Any, block_key: tuple[Any, ...] | None, limits: Limits
) -> _Block:
    """Check a header block not seen under ``limits``; remember it by ``block_key``.

    ``block_key`` is ``tuple(headers)``, or None when the fields are not
    hashable (then nothing is remembered).
    """
    if _SEEN_BLOCKS_LIMITS[0] is not limits:
        _SEEN_BLOCKS.clear()
        _SEEN_BLOCKS_LIMITS[0] = limits
    items = _check_headers(headers, limits)
    if block_key is not None:
        if len(_SEEN_BLOCKS) >= _SEEN_BLOCKS_MAX:
            _SEEN_BLOCKS.clear()
        if sum(len(name) + len(value) for name, value in block_key) <= (
            _SEEN_BLOCK_SIZE
        ):
            _SEEN_BLOCKS[block_key] = items
    return items


def check_host_present(scope: dict[str, Any], meta: dict[str, Any]) -> None:
    """Refuse an HTTP/1.1 request that carries no Host header (RFC 9112, 3.2).

    The handler calls it for what a server delivers; building an
    ``ASGIRequest`` from a scope directly (tools, tests) does not, as in
    Django, where ``SERVER_NAME`` stands in for the missing host.
    """
    if "HTTP_HOST" not in meta and scope.get("http_version") == "1.1":
        raise HeaderError("HTTP/1.1 request without a Host header")


def _check_headers(headers: Any, limits: Limits) -> _Block:
    """Check a header block against ``limits``; return its META items."""
    meta: dict[str, str] = {}
    max_count = limits.count_max
    if max_count is not None and len(headers) > max_count:
        raise RequestHeadersTooLarge(f"More than {max_count} header fields")
    max_field = limits.field_max or 0
    max_total = limits.total_max or 0
    total = 0
    seen = _SEEN_FIELDS
    for name, value in headers:
        size = len(name) + len(value)
        total += size
        if max_field and size > max_field:
            raise RequestHeadersTooLarge(f"A header field is over {max_field} bytes")
        field = seen.get((name, value))
        if field is None:
            field = _check_field(name, value)
        key, text = field
        if key is None:
            continue
        if key in meta:
            if key == "HTTP_HOST":
                raise HeaderError("More than one Host header")
            if key == "HTTP_COOKIE":
                text = meta[key] + "; " + text.rstrip("; ")
            else:
                text = meta[key] + "," + text
        elif key == "HTTP_COOKIE":
            text = text.rstrip("; ")
        meta[key] = text
    if max_total and total > max_total:
        raise RequestHeadersTooLarge(f"Header fields are over {max_total} bytes")
    return tuple(meta.items())


def clean_path(scope: dict[str, Any]) -> str:
    """Return the request path as text, whatever bytes the client sent.

    Servers decode percent escapes themselves; invalid UTF-8 then shows up as
    replacement characters or surrogates. Re-derive such paths from
    ``raw_path`` with the broken bytes percent-encoded again, as WSGI does,
    so that routing answers 404 instead of failing.
    """
    path: str = scope["path"]
    if path.isascii():
        return path
    raw_path = scope.get("raw_path")
    if raw_path:
        decoded = repercent_broken_unicode(unquote_to_bytes(raw_path)).decode()
        root_path = scope.get("root_path", "")
        if root_path and not decoded.startswith(root_path):
            decoded = root_path + decoded
        return decoded
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return repercent_broken_unicode(
            path.encode("utf-8", "surrogateescape")
        ).decode()
    return path
