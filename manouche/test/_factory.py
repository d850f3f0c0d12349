"""Request factories: build request objects as a server would, without running them.

``RequestFactory`` speaks META/WSGI-environ keys (as Django's does) and turns
them into an ASGI scope; ``AsyncRequestFactory`` speaks ASGI scope keys and
header names. Both build an ``ASGIRequest`` from the scope and body, so the
request behaves exactly like one a server produced.
"""

from __future__ import annotations

import json
from http.cookies import SimpleCookie
from io import BytesIO
from typing import Any
from urllib.parse import quote, unquote, unquote_to_bytes, urlsplit

from manouche.conf import settings
from manouche.core.handlers.asgi import ASGIRequest
from manouche.test._multipart import (
    BOUNDARY,
    CONTENT_TYPE_RE,
    JSON_CONTENT_TYPE_RE,
    MULTIPART_CONTENT,
    FakePayload,
    encode_multipart,
)
from manouche.utils.encoding import force_bytes
from manouche.utils.http import urlencode

__all__ = ["AsyncRequestFactory", "RequestFactory"]

_SCOPE_KEYS = frozenset(
    {
        "CONTENT_LENGTH",
        "CONTENT_TYPE",
        "PATH_INFO",
        "QUERY_STRING",
        "REMOTE_ADDR",
        "REMOTE_PORT",
        "REQUEST_METHOD",
        "SCRIPT_NAME",
        "SERVER_NAME",
        "SERVER_PORT",
        "SERVER_PROTOCOL",
        "wsgi.errors",
        "wsgi.input",
        "wsgi.url_scheme",
        "wsgi.version",
    }
)
_PATH_SAFE = "/:@!$&'()*+,;=~-._%"


def _header_bytes(value: Any) -> bytes:
    text = str(value)
    try:
        return text.encode("latin-1")
    except UnicodeEncodeError:
        return text.encode("utf-8")


def _wsgi_name(header: str) -> str:
    name = header.replace("-", "_").upper()
    if name in ("CONTENT_TYPE", "CONTENT_LENGTH"):
        return name
    return f"HTTP_{name}"


def _split_path(path: Any) -> tuple[str, str]:
    """Return (path, query) of ``path``; ``;params`` stay part of the path."""
    parsed = urlsplit(str(path))
    return parsed.path, parsed.query


class _RequestFactoryBase:
    """What the sync and async factories share: encoding and the verb helpers."""

    def __init__(
        self,
        *,
        json_encoder: Any = None,
        headers: dict[str, str] | None = None,
        query_params: Any = None,
        **defaults: Any,
    ) -> None:
        if json_encoder is None:
            json_encoder = _default_json_encoder()
        self.json_encoder = json_encoder
        self.defaults = defaults
        self.default_headers = dict(headers or {})
        self.default_query_string = (
            urlencode(query_params, doseq=True) if query_params else ""
        )
        self.cookies: SimpleCookie = SimpleCookie()
        self.errors = BytesIO()

    def _encode_data(self, data: Any, content_type: str) -> bytes:
        if content_type is MULTIPART_CONTENT:
            return encode_multipart(BOUNDARY, data)
        match = CONTENT_TYPE_RE.match(content_type)
        charset = match[1] if match else settings.DEFAULT_CHARSET
        return force_bytes(data, encoding=charset)  # type: ignore[no-any-return]

    def _encode_json(self, data: Any, content_type: str | None) -> Any:
        should_encode = (
            content_type is not None
            and JSON_CONTENT_TYPE_RE.match(content_type)
            and isinstance(data, dict | list | tuple)
        )
        return json.dumps(data, cls=self.json_encoder) if should_encode else data

    def _cookie_header(self) -> str:
        return "; ".join(
            sorted(
                f"{morsel.key}={morsel.coded_value}" for morsel in self.cookies.values()
            )
        )

    def get(
        self,
        path: Any,
        data: Any = None,
        secure: bool = False,
        *,
        headers: dict[str, str] | None = None,
        query_params: Any = None,
        **extra: Any,
    ) -> Any:
        """Build a GET request; ``data`` becomes the query string."""
        if query_params and data:
            raise ValueError("query_params and data arguments are mutually exclusive.")
        query_params = data or query_params or {}
        return self.generic(
            "GET",
            path,
            secure=secure,
            headers=headers,
            query_params=query_params,
            **extra,
        )

    def head(
        self,
        path: Any,
        data: Any = None,
        secure: bool = False,
        *,
        headers: dict[str, str] | None = None,
        query_params: Any = None,
        **extra: Any,
    ) -> Any:
        """Build a HEAD request; ``data`` becomes the query string."""
        if query_params and data:
            raise ValueError("query_params and data arguments are mutually exclusive.")
        query_params = data or query_params or {}
        return self.generic(
            "HEAD",
            path,
            secure=secure,
            headers=headers,
            query_params=query_params,
            **extra,
        )

    def post(
        self,
        path: Any,
        data: Any = None,
        content_type: str = MULTIPART_CONTENT,
        secure: bool = False,
        *,
        headers: dict[str, str] | None = None,
        query_params: Any = None,
        **extra: Any,
    ) -> Any:
        """Build a POST request: multipart by default, JSON for a JSON content type."""
        data = self._encode_json({} if data is None else data, content_type)
        post_data = self._encode_data(data, content_type)
        return self.generic(
            "POST",
            path,
            post_data,
            content_type,
            secure=secure,
            headers=headers,
            query_params=query_params,
            **extra,
        )

    def _with_body(
        self,
        method: str,
        path: Any,
        data: Any,
        content_type: str,
        secure: bool,
        headers: dict[str, str] | None,
        query_params: Any,
        extra: dict[str, Any],
    ) -> Any:
        data = self._encode_json(data, content_type)
        return self.generic(
            method,
            path,
            data,
            content_type,
            secure=secure,
            headers=headers,
            query_params=query_params,
            **extra,
        )

    def put(
        self,
        path: Any,
        data: Any = "",
        content_type: str = "application/octet-stream",
        secure: bool = False,
        *,
        headers: dict[str, str] | None = None,
        query_params: Any = None,
        **extra: Any,
    ) -> Any:
        """Build a PUT request with ``data`` as the raw body (or JSON)."""
        return self._with_body(
            "PUT", path, data, content_type, secure, headers, query_params, extra
        )

    def patch(
        self,
        path: Any,
        data: Any = "",
        content_type: str = "application/octet-stream",
        secure: bool = False,
        *,
        headers: dict[str, str] | None = None,
        query_params: Any = None,
        **extra: Any,
    ) -> Any:
        """Build a PATCH request with ``data`` as the raw body (or JSON)."""
        return self._with_body(
            "PATCH", path, data, content_type, secure, headers, query_params, extra
        )

    def delete(
        self,
        path: Any,
        data: Any = "",
        content_type: str = "application/octet-stream",
        secure: bool = False,
        *,
        headers: dict[str, str] | None = None,
        query_params: Any = None,
        **extra: Any,
    ) -> Any:
        """Build a DELETE request with ``data`` as the raw body (or JSON)."""
        return self._with_body(
            "DELETE", path, data, content_type, secure, headers, query_params, extra
        )

    def options(
        self,
        path: Any,
        data: Any = "",
        content_type: str = "application/octet-stream",
        secure: bool = False,
        *,
        headers: dict[str, str] | None = None,
        query_params: Any = None,
        **extra: Any,
    ) -> Any:
        """Build an OPTIONS request."""
        return self._with_body(
            "OPTIONS", path, data, content_type, secure, headers, query_params, extra
        )

    def trace(
        self,
        path: Any,
        secure: bool = False,
        *,
        headers: dict[str, str] | None = None,
        query_params: Any = None,
        **extra: Any,
    ) -> Any:
        """Build a TRACE request."""
        return self.generic(
            "TRACE",
            path,
            secure=secure,
            headers=headers,
            query_params=query_params,
            **extra,
        )

    def generic(
        self,
        method: str,
        path: Any,
        data: Any = "",
        content_type: str | None = "application/octet-stream",
        secure: bool = False,
        *,
        headers: dict[str, str] | None = None,
        query_params: Any = None,
        **extra: Any,
    ) -> Any:
        """Build a request for any method; the verb helpers all end here."""
        raise NotImplementedError

    def _query_string(
        self, path_query: str, query_params: Any, explicit: str | None
    ) -> str:
        if query_params:
            return urlencode(query_params, doseq=True)
        if explicit:
            return explicit
        return path_query or self.default_query_string


def _default_json_encoder() -> Any:
    try:
        from manouche.core.serializers.json import DjangoJSONEncoder
    except ImportError:  # the serializers are not there yet
        return json.JSONEncoder
    return DjangoJSONEncoder


class RequestFactory(_RequestFactoryBase):
    """Build requests as a server would, to call views directly.

    ``request.META`` holds what a WSGI environ would (as in Django); extra
    keyword arguments of the verb helpers are META entries such as
    ``HTTP_ACCEPT`` or ``REMOTE_ADDR``.
    """

    def _base_environ(self, **request: Any) -> dict[str, Any]:
        environ: dict[str, Any] = {
            "PATH_INFO": "/",
            "REMOTE_ADDR": "127.0.0.1",
            "REQUEST_METHOD": "GET",
            "SCRIPT_NAME": "",
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.url_scheme": "http",
            # Always present, as a server that forwards an empty Cookie header.
            "HTTP_COOKIE": self._cookie_header(),
        }
        for name, value in self.default_headers.items():
            environ[_wsgi_name(name)] = value
        environ.update(self.defaults)
        environ.update(request)
        return environ

    def request(self, **request: Any) -> Any:
        """Construct a request object from META-style keys."""
        scope, body, meta = _environ_to_scope(self._base_environ(**request))
        return _build_request(scope, body, meta)

    def generic(
        self,
        method: str,
        path: Any,
        data: Any = "",
        content_type: str | None = "application/octet-stream",
        secure: bool = False,
        *,
        headers: dict[str, str] | None = None,
        query_params: Any = None,
        **extra: Any,
    ) -> Any:
        """Build a request for any method; the verb helpers all end here."""
        path_only, path_query = _split_path(path)
        data = force_bytes(data, settings.DEFAULT_CHARSET)
        request: dict[str, Any] = {
            "PATH_INFO": _wsgi_path(path_only),
            "REQUEST_METHOD": method,
            "SERVER_PORT": "443" if secure else "80",
            "wsgi.url_scheme": "https" if secure else "http",
        }
        if data:
            request["CONTENT_LENGTH"] = str(len(data))
            request["CONTENT_TYPE"] = content_type
            request["wsgi.input"] = FakePayload(data)
        if headers:
            extra.update({_wsgi_name(name): value for name, value in headers.items()})
        explicit = extra.pop("QUERY_STRING", None)
        request.update(extra)
        request["QUERY_STRING"] = self._query_string(
            path_query.encode().decode("iso-8859-1"), query_params, explicit
        )
        return self.request(**request)


class AsyncRequestFactory(_RequestFactoryBase):
    """Build ASGI requests; extra keyword arguments are header names.

    ``defaults`` given to the constructor go into the ASGI scope directly.
    """

    def _base_scope(self, **request: Any) -> dict[str, Any]:
        scope: dict[str, Any] = {
            "asgi": {"version": "3.0"},
            "type": "http",
            "http_version": "1.1",
            "client": ("127.0.0.1", 0),
            "server": ("testserver", 80),
            "scheme": "http",
            "method": "GET",
            "root_path": "",
            "headers": [],
            **self.defaults,
            **request,
        }
        scope["headers"] = list(scope["headers"])
        if scope["http_version"] == "1.1" and not any(
            name.lower() == b"host" for name, _ in scope["headers"]
        ):
            # The handler refuses HTTP/1.1 without Host (secure defaults).
            scope["headers"].insert(0, (b"host", b"testserver"))
        cookie = self._cookie_header()
        if cookie:
            scope["headers"].append((b"cookie", cookie.encode("ascii")))
        scope.pop("_body_file", None)
        return scope

    def request(self, **request: Any) -> Any:
        """Construct an ASGIRequest from scope keys."""
        body = _body_of(request.get("_body_file"))
        return _build_request(self._base_scope(**request), body, {})

    def generic(
        self,
        method: str,
        path: Any,
        data: Any = "",
        content_type: str | None = "application/octet-stream",
        secure: bool = False,
        *,
        headers: dict[str, str] | None = None,
        query_params: Any = None,
        **extra: Any,
    ) -> Any:
        """Build a request for any method; the verb helpers all end here."""
        path_only, path_query = _split_path(path)
        data = force_bytes(data, settings.DEFAULT_CHARSET)
        raw_path = quote(path_only, safe=_PATH_SAFE).encode("ascii")
        scope: dict[str, Any] = {
            "method": method,
            "path": unquote(raw_path.decode("ascii")),
            "raw_path": raw_path,
            "server": ("testserver", 443 if secure else 80),
            "scheme": "https" if secure else "http",
            "headers": [],
        }
        if data:
            scope["headers"].extend(
                [
                    (b"content-length", str(len(data)).encode("ascii")),
                    (b"content-type", _header_bytes(content_type)),
                ]
            )
            scope["_body_file"] = FakePayload(data)
        explicit = extra.pop("QUERY_STRING", None)
        query = self._query_string(path_query, query_params, explicit)
        scope["query_string"] = query.encode("utf-8")
        all_headers = {**self.default_headers, **(headers or {}), **extra}
        header_list = [
            (name.lower().replace("_", "-").encode("latin-1"), _header_bytes(value))
            for name, value in all_headers.items()
        ]
        if not any(name == b"host" for name, _ in header_list):
            scope["headers"].insert(0, (b"host", b"testserver"))
        scope["headers"] += header_list
        return self.request(**scope)


def _wsgi_path(path: str) -> str:
    # WSGI carries the path as bytes decoded with ISO-8859-1; keep Django's form.
    return unquote_to_bytes(path).decode("iso-8859-1")


def _body_of(payload: Any) -> bytes:
    if payload is None:
        return b""
    if isinstance(payload, FakePayload):
        return payload.getvalue()
    if isinstance(payload, bytes):
        return payload
    return bytes(payload.read())


def _environ_to_scope(
    environ: dict[str, Any],
) -> tuple[dict[str, Any], bytes, dict[str, Any]]:
    """Turn a WSGI-style environ into (ASGI scope, body, META-only extras)."""
    headers: list[tuple[bytes, bytes]] = []
    meta: dict[str, Any] = {}
    for key, value in environ.items():
        if key.startswith("HTTP_"):
            name = key[5:].lower().replace("_", "-").encode("latin-1")
            headers.append((name, _header_bytes(value)))
        elif key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            if value not in (None, ""):
                headers.append(
                    (key.lower().replace("_", "-").encode(), _header_bytes(value))
                )
        elif key not in _SCOPE_KEYS:
            meta[key] = value
    scheme = environ.get("wsgi.url_scheme", "http")
    server_name = str(environ.get("SERVER_NAME", "testserver"))
    port = str(environ.get("SERVER_PORT", "443" if scheme == "https" else "80"))
    if "HTTP_HOST" not in environ:
        default_port = "443" if scheme == "https" else "80"
        host = server_name if port == default_port else f"{server_name}:{port}"
        headers.insert(0, (b"host", _header_bytes(host)))
    script_name = str(environ.get("SCRIPT_NAME", ""))
    path_bytes = _latin1_or_utf8(script_name + str(environ.get("PATH_INFO", "/")))
    raw_path = quote(path_bytes, safe=_PATH_SAFE.replace("%", "")).encode("ascii")
    protocol = str(environ.get("SERVER_PROTOCOL", "HTTP/1.1"))
    scope: dict[str, Any] = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": protocol.removeprefix("HTTP/"),
        "method": str(environ.get("REQUEST_METHOD", "GET")).upper(),
        "scheme": scheme,
        "path": path_bytes.decode("utf-8", "replace"),
        "raw_path": raw_path,
        "root_path": script_name,
        "query_string": _latin1_or_utf8(str(environ.get("QUERY_STRING", ""))),
        "headers": headers,
        "server": (server_name, int(port) if port.isdigit() else port),
        "client": (
            str(environ.get("REMOTE_ADDR", "127.0.0.1")),
            int(environ.get("REMOTE_PORT", 0) or 0),
        ),
    }
    return scope, _body_of(environ.get("wsgi.input")), meta


def _latin1_or_utf8(text: str) -> bytes:
    try:
        return text.encode("latin-1")
    except UnicodeEncodeError:
        return text.encode("utf-8")


def _build_request(
    scope: dict[str, Any], body: bytes, meta: dict[str, Any]
) -> ASGIRequest:
    request = ASGIRequest(scope, BytesIO(body))
    if meta:
        request.META.update(meta)
    return request
