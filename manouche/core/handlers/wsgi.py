"""The WSGI entry point: a thin sync adapter over ``BaseHandler``.

manouche is ASGI-first; this handler exists for WSGI servers and tools. It
builds ``WSGIRequest`` from the environ and runs the sync middleware chain.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import Any

from manouche.conf import settings
from manouche.core import signals
from manouche.core.handlers.base import BaseHandler
from manouche.core.handlers.exception import plain_error_response
from manouche.http import HttpRequest
from manouche.urls import set_script_prefix
from manouche.utils.encoding import repercent_broken_unicode
from manouche.utils.log import log_response

__all__ = [
    "LimitedStream",
    "WSGIHandler",
    "WSGIRequest",
    "get_bytes_from_wsgi",
    "get_path_info",
    "get_script_name",
    "get_str_from_wsgi",
]

Environ = dict[str, Any]
StartResponse = Callable[..., Any]


class LimitedStream(io.RawIOBase):
    """Read at most ``limit`` bytes from a WSGI input stream."""

    def __init__(self, stream: Any, limit: int) -> None:
        self._read = stream.read
        self._readline = stream.readline
        self._pos = 0
        self.limit = limit

    def read(self, size: int | None = -1, /) -> bytes:
        """Read up to ``size`` bytes, never past the limit."""
        remaining = self.limit - self._pos
        if remaining <= 0:
            return b""
        if size is None or size < 0 or size > remaining:
            size = remaining
        data: bytes = self._read(size)
        self._pos += len(data)
        return data

    def readline(self, size: int | None = -1, /) -> bytes:
        """Read one line, never past the limit."""
        remaining = self.limit - self._pos
        if remaining <= 0:
            return b""
        if size is None or size < 0 or size > remaining:
            size = remaining
        line: bytes = self._readline(size)
        self._pos += len(line)
        return line

    def readable(self) -> bool:
        """Tell that this stream can be read."""
        return True


def get_bytes_from_wsgi(environ: Environ, key: str, default: str) -> bytes:
    """Return an environ value as the bytes the server received."""
    value = environ.get(key, default)
    # PEP 3333 strings are bytes decoded as ISO-8859-1.
    return str(value).encode("iso-8859-1")


def get_str_from_wsgi(environ: Environ, key: str, default: str) -> str:
    """Return an environ value decoded as UTF-8, bad bytes replaced."""
    return get_bytes_from_wsgi(environ, key, default).decode(errors="replace")


def get_path_info(environ: Environ) -> str:
    """Return PATH_INFO with invalid UTF-8 percent-encoded again."""
    path_info = get_bytes_from_wsgi(environ, "PATH_INFO", "/")
    return repercent_broken_unicode(path_info).decode()


def get_script_name(environ: Environ) -> str:
    """Return the script name: FORCE_SCRIPT_NAME, else the URL before rewriting.

    Behind Apache's mod_rewrite, SCRIPT_URL (or REDIRECT_URL) holds the
    requested URL before the rewrite: the script name is what precedes
    PATH_INFO in it. The server squashed repeated slashes in PATH_INFO, so
    they are squashed in that URL too before comparing. Otherwise SCRIPT_NAME.
    """
    if settings.FORCE_SCRIPT_NAME is not None:
        return str(settings.FORCE_SCRIPT_NAME)
    script_url = get_bytes_from_wsgi(environ, "SCRIPT_URL", "") or get_bytes_from_wsgi(
        environ, "REDIRECT_URL", ""
    )
    if script_url:
        while b"//" in script_url:
            script_url = script_url.replace(b"//", b"/")
        path_info = get_bytes_from_wsgi(environ, "PATH_INFO", "")
        if not path_info:
            return repercent_broken_unicode(script_url).decode()
        if script_url.endswith(path_info):
            return repercent_broken_unicode(script_url[: -len(path_info)]).decode()
        # Not a rewrite of this path: SCRIPT_NAME is the better word.
    script_name = get_bytes_from_wsgi(environ, "SCRIPT_NAME", "")
    return repercent_broken_unicode(script_name).decode()


class WSGIRequest(HttpRequest):
    """An HttpRequest built from a WSGI environ."""

    def __init__(self, environ: Environ) -> None:
        script_name = get_script_name(environ)
        path_info = get_path_info(environ) or "/"
        self.environ = environ
        self.path_info = path_info
        self.path = "{}/{}".format(
            script_name.rstrip("/"), path_info.replace("/", "", 1)
        )
        self.META = environ
        self.META["PATH_INFO"] = path_info
        self.META["SCRIPT_NAME"] = script_name
        self.method = environ["REQUEST_METHOD"].upper()
        self._set_content_type_params(environ)
        try:
            content_length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            content_length = 0
        self._stream = LimitedStream(environ["wsgi.input"], max(content_length, 0))  # type: ignore[assignment]
        self._read_started = False
        self.resolver_match = None

    def _get_scheme(self) -> str:
        return str(self.environ.get("wsgi.url_scheme", "http"))


class WSGIHandler(BaseHandler):
    """A WSGI application serving manouche's middleware chain and views."""

    request_class = WSGIRequest

    def __init__(self) -> None:
        super().__init__()
        self.load_middleware()

    def __call__(
        self, environ: Environ, start_response: StartResponse
    ) -> Iterable[bytes]:
        """Serve one WSGI request."""
        set_script_prefix(get_script_name(environ))
        signals.request_started.send(sender=type(self), environ=environ)
        refused = self._refuse_declared_length(environ)
        if refused is not None:
            response = refused
        else:
            request = self.request_class(environ)
            response = self.get_response(request)
        response._handler_class = type(self)
        status = f"{response.status_code} {response.reason_phrase}"
        response_headers = [
            *response.items(),
            *(
                ("Set-Cookie", c.output(header="").strip())
                for c in response.cookies.values()
            ),
        ]
        start_response(status, response_headers)
        file_wrapper = environ.get("wsgi.file_wrapper")
        filelike = getattr(response, "file_to_stream", None)
        if filelike is not None and file_wrapper is not None:
            filelike.close = response.close
            return file_wrapper(filelike, response.block_size)  # type: ignore[no-any-return]
        return response  # type: ignore[no-any-return]

    @staticmethod
    def _refuse_declared_length(environ: Environ) -> Any:
        # Servers pass a string; tests and embedders sometimes pass an int.
        declared = str(environ.get("CONTENT_LENGTH") or "")
        limit = settings.DATA_UPLOAD_MAX_REQUEST_SIZE
        if limit is None or not declared.isdigit() or int(declared) <= limit:
            return None
        response = plain_error_response(413)
        log_response(
            "%s: %s",
            response.reason_phrase,
            environ.get("PATH_INFO", ""),
            response=response,
        )
        return response
