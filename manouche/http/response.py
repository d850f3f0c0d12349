"""HTTP responses: HttpResponse and friends, streaming and file responses.

Owns the response object views return: content as bytes, headers (refusing
CR/LF), cookies and resource clean-up. Sending it is the handler's job.
"""

from __future__ import annotations

import datetime
import io
import json
import mimetypes
import os
import re
import sys
import time
import warnings
from collections.abc import AsyncIterator, Iterable, Iterator
from email.header import Header
from http.client import responses
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlsplit

from manouche.conf import settings
from manouche.core import signals, signing
from manouche.core.exceptions import DisallowedRedirect
from manouche.core.serializers.json import DjangoJSONEncoder
from manouche.utils import timezone
from manouche.utils.asyncio import async_to_sync, run_sync
from manouche.utils.datastructures import CaseInsensitiveMapping
from manouche.utils.encoding import iri_to_uri
from manouche.utils.functional import cached_property
from manouche.utils.http import (
    MAX_URL_REDIRECT_LENGTH,
    content_disposition_header,
    http_date,
)

__all__ = [
    "BadHeaderError",
    "FileResponse",
    "Http404",
    "HttpResponse",
    "HttpResponseBadRequest",
    "HttpResponseBase",
    "HttpResponseForbidden",
    "HttpResponseGone",
    "HttpResponseNotAllowed",
    "HttpResponseNotFound",
    "HttpResponseNotModified",
    "HttpResponsePermanentRedirect",
    "HttpResponseRedirect",
    "HttpResponseRedirectBase",
    "HttpResponseServerError",
    "JsonResponse",
    "ResponseHeaders",
    "StreamingHttpResponse",
]

_charset_from_content_type_re = re.compile(
    r";\s*charset=(?P<charset>[^\s;]+)", re.IGNORECASE
)
_COOKIE_ATTRIBUTE_FORBIDDEN = re.compile(r"[\x00-\x1f\x7f;]")


class BadHeaderError(ValueError):
    """A header name or value would break the response framing."""


class Http404(Exception):
    """Raise to answer 404 Not Found."""


def _check_cookie_attributes(**attributes: str | None) -> None:
    """Refuse attribute values that could end or extend the Set-Cookie line."""
    for name, attribute in attributes.items():
        if attribute is not None and _COOKIE_ATTRIBUTE_FORBIDDEN.search(attribute):
            raise BadHeaderError(
                f"Cookie {name} can't contain control characters or ';' "
                f"(got {attribute!r})"
            )


def _expires_to_max_age(expires: datetime.datetime) -> int:
    """Turn an expiry datetime (naive means UTC) into whole seconds from now."""
    if timezone.is_naive(expires):
        expires = timezone.make_aware(expires, datetime.UTC)
    delta = expires - datetime.datetime.now(tz=datetime.UTC)
    # A fraction of a second is lost on the way; round up.
    delta += datetime.timedelta(seconds=1)
    return max(0, delta.days * 86400 + delta.seconds)


#: content_type arguments already validated, as header-store entries; bounded,
#: since a project could build content types from request data.
_CHECKED_CONTENT_TYPES: dict[str, tuple[str, str]] = {}
_CHECKED_CONTENT_TYPES_MAX = 256
#: Content-Type value -> the charset it names (None: it names none); bounded
#: for the same reason.
_CHARSETS: dict[str, str | None] = {}
_CHARSETS_MAX = 256
_UNSEEN: Any = object()
_new_object = object.__new__


def _remember_content_type(content_type: Any, entry: tuple[str, str]) -> None:
    """Remember a content type stored as given (not converted or MIME-encoded)."""
    if (
        type(content_type) is str
        and entry[1] == content_type
        and len(_CHECKED_CONTENT_TYPES) < _CHECKED_CONTENT_TYPES_MAX
    ):
        _CHECKED_CONTENT_TYPES[content_type] = entry


class ResponseHeaders(CaseInsensitiveMapping):
    """Response headers: case-insensitive, writable, latin-1, no CR or LF."""

    def __init__(self, data: Any) -> None:
        self._store: dict[str, tuple[str, str]] = {}
        if data:
            for header, value in self._unpack_items(data):
                self[header] = value

    def _convert_to_charset(
        self, value: Any, charset: str, mime_encode: bool = False
    ) -> str:
        """Return ``value`` as str if it is valid for a header in ``charset``.

        With ``mime_encode``, non-``charset`` text is MIME-encoded (RFC 2047).
        Raises BadHeaderError for CR or LF, UnicodeError for bad characters.
        """
        if type(value) is not str:
            # Newlines are looked for before decoding: bytes that don't decode
            # must still be refused for the newline, not a UnicodeError.
            if isinstance(value, bytes) and (b"\n" in value or b"\r" in value):
                raise BadHeaderError(
                    f"Header values can't contain newlines (got {value!r})"
                )
            value = value.decode(charset) if isinstance(value, bytes) else str(value)
        if "\n" in value or "\r" in value:
            raise BadHeaderError(
                f"Header values can't contain newlines (got {value!r})"
            )
        try:
            value.encode(charset)
        except UnicodeError as exc:
            if mime_encode:
                return Header(value, "utf-8", maxlinelen=sys.maxsize).encode()
            if isinstance(exc, UnicodeEncodeError):
                exc.reason += f", HTTP response headers must be in {charset} format"
            raise
        return value  # type: ignore[no-any-return]

    def __delitem__(self, key: str) -> None:
        self.pop(key)

    def __setitem__(self, key: str, value: Any) -> None:
        # Fast path for the common case: ASCII text without CR or LF.
        if not (
            type(key) is str and key.isascii() and "\n" not in key and "\r" not in key
        ):
            key = self._convert_to_charset(key, "ascii")
        if not (
            type(value) is str
            and value.isascii()
            and "\n" not in value
            and "\r" not in value
        ):
            value = self._convert_to_charset(value, "latin-1", mime_encode=True)
        self._store[key.lower()] = (key, value)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key.lower() in self._store

    def get(self, key: str, default: Any = None) -> Any:
        """Return the value of ``key``, or ``default``."""
        item = self._store.get(key.lower())
        return default if item is None else item[1]

    def pop(self, key: str, default: Any = None) -> Any:
        """Remove ``key`` and return its (name, value) pair."""
        return self._store.pop(key.lower(), default)

    def setdefault(self, key: str, value: Any) -> None:
        """Set ``key`` only if it is missing."""
        if key not in self:
            self[key] = value


class HttpResponseBase:
    """Headers, status, cookies and closing shared by every response class."""

    status_code = 200
    # Defaults an instance overrides only when it differs.
    _charset: str | None = None
    _reason_phrase: str | None = None
    #: The handler class request_finished is sent for (set by the handler).
    _handler_class: Any = None
    closed = False

    def __init__(
        self,
        content_type: str | None = None,
        status: int | None = None,
        reason: str | None = None,
        charset: str | None = None,
        headers: Any = None,
    ) -> None:
        if charset is not None:
            self._charset = charset
        if not headers:
            # The common cases, kept cheap: ResponseHeaders({}) without a call
            # to its __init__, and nothing to look up first.
            self.headers = response_headers = _new_object(ResponseHeaders)
            store = response_headers._store = {}
            if content_type is None:
                default = f"text/html; charset={charset or settings.DEFAULT_CHARSET}"
                store["content-type"] = ("Content-Type", default)
            else:
                entry = (
                    _CHECKED_CONTENT_TYPES.get(content_type)
                    if type(content_type) is str
                    else None
                )
                if entry is not None:
                    # Checked when first seen: the same few values recur.
                    store["content-type"] = entry
                else:
                    response_headers["Content-Type"] = content_type
                    _remember_content_type(content_type, store["content-type"])
        else:
            self.headers = response_headers = ResponseHeaders(headers)
            if "Content-Type" not in response_headers:
                if content_type is None:
                    content_type = f"text/html; charset={self.charset}"
                response_headers["Content-Type"] = content_type
            elif content_type:
                raise ValueError(
                    "'headers' must not contain 'Content-Type' when the "
                    "'content_type' parameter is provided."
                )
        self._resource_closers: list[Any] = []
        if status is not None:
            try:
                self.status_code = int(status)
            except (ValueError, TypeError):
                raise TypeError("HTTP status code must be an integer.")
            if not 100 <= self.status_code <= 599:
                raise ValueError("HTTP status code must be an integer from 100 to 599.")
        if reason is not None:
            self._reason_phrase = reason

    #: The cookies, once something asked for them (see ``cookies``).
    _cookies: SimpleCookie | None = None

    @property
    def cookies(self) -> SimpleCookie:
        """The cookies to set, created on first use."""
        cookies = self._cookies
        if cookies is None:
            cookies = self._cookies = SimpleCookie()
        return cookies

    @cookies.setter
    def cookies(self, value: SimpleCookie) -> None:
        self._cookies = value

    @property
    def reason_phrase(self) -> str:
        """The reason phrase, from the status code unless set."""
        if self._reason_phrase is not None:
            return self._reason_phrase
        return responses.get(self.status_code, "Unknown Status Code")

    @reason_phrase.setter
    def reason_phrase(self, value: str) -> None:
        self._reason_phrase = value

    @property
    def charset(self) -> str:
        """The charset for str content: explicit, from Content-Type, or default."""
        if self._charset is not None:
            return self._charset
        entry = self.headers._store.get("content-type")
        content_type = entry[1] if entry is not None else ""
        charset = _CHARSETS.get(content_type, _UNSEEN)
        if charset is _UNSEEN:
            matched = _charset_from_content_type_re.search(content_type)
            charset = matched["charset"].replace('"', "") if matched else None
            if len(_CHARSETS) < _CHARSETS_MAX:
                _CHARSETS[content_type] = charset
        if charset is None:
            return settings.DEFAULT_CHARSET  # type: ignore[no-any-return]
        return charset  # type: ignore[no-any-return]

    @charset.setter
    def charset(self, value: str) -> None:
        self._charset = value

    def serialize_headers(self) -> bytes:
        """Return the headers as bytes, one 'Name: value' per CRLF line."""
        return b"\r\n".join(
            key.encode("ascii") + b": " + value.encode("latin-1")
            for key, value in self.headers.items()
        )

    __bytes__ = serialize_headers

    @property
    def _content_type_for_repr(self) -> str:
        if "Content-Type" in self.headers:
            return f', "{self.headers["Content-Type"]}"'
        return ""

    def __setitem__(self, header: str, value: Any) -> None:
        self.headers[header] = value

    def __delitem__(self, header: str) -> None:
        del self.headers[header]

    def __getitem__(self, header: str) -> str:
        return self.headers[header]  # type: ignore[no-any-return]

    def has_header(self, header: str) -> bool:
        """Case-insensitive check for a header."""
        return header in self.headers

    __contains__ = has_header

    def items(self) -> Any:
        """Return the (name, value) pairs of the headers."""
        return self.headers.items()

    def get(self, header: str, alternate: Any = None) -> Any:
        """Return a header value, or ``alternate``."""
        return self.headers.get(header, alternate)

    def set_cookie(
        self,
        key: str,
        value: str = "",
        max_age: int | float | datetime.timedelta | None = None,
        expires: str | datetime.datetime | None = None,
        path: str | None = "/",
        domain: str | None = None,
        secure: bool = False,
        httponly: bool = False,
        samesite: str | None = None,
    ) -> None:
        """Set a cookie.

        ``expires`` is a datetime (turned into max_age) or an HTTP date
        string; ``max_age`` is seconds or a timedelta. Attribute values with
        control characters or ';' are refused (BadHeaderError).
        """
        _check_cookie_attributes(
            path=path,
            domain=domain,
            expires=expires if isinstance(expires, str) else None,
        )
        self.cookies[key] = value
        morsel = self.cookies[key]
        if isinstance(expires, datetime.datetime):
            if max_age is not None:
                raise ValueError("'expires' and 'max_age' can't be used together.")
            max_age = _expires_to_max_age(expires)
            expires = None
        else:
            morsel["expires"] = expires or ""
        if max_age is not None:
            if isinstance(max_age, datetime.timedelta):
                max_age = max_age.total_seconds()
            morsel["max-age"] = int(max_age)
            if not expires:
                morsel["expires"] = http_date(time.time() + max_age)
        if path is not None:
            morsel["path"] = path
        if domain is not None:
            morsel["domain"] = domain
        if secure:
            morsel["secure"] = True
        if httponly:
            morsel["httponly"] = True
        if samesite:
            if samesite.lower() not in ("lax", "none", "strict"):
                raise ValueError('samesite must be "lax", "none", or "strict".')
            morsel["samesite"] = samesite

    def setdefault(self, key: str, value: Any) -> None:
        """Set a header unless it is already set."""
        self.headers.setdefault(key, value)

    def set_signed_cookie(
        self, key: str, value: str, salt: str = "", **kwargs: Any
    ) -> None:
        """Set a cookie signed with the cookie signer (see get_signed_cookie)."""
        value = signing.get_cookie_signer(salt=key + salt).sign(value)
        self.set_cookie(key, value, **kwargs)

    def delete_cookie(
        self,
        key: str,
        path: str = "/",
        domain: str | None = None,
        samesite: str | None = None,
    ) -> None:
        """Expire a cookie; keep it Secure where browsers would ignore it otherwise."""
        secure = key.startswith(("__Secure-", "__Host-")) or bool(
            samesite and samesite.lower() == "none"
        )
        self.set_cookie(
            key,
            max_age=0,
            path=path,
            domain=domain,
            secure=secure,
            expires="Thu, 01 Jan 1970 00:00:00 GMT",
            samesite=samesite,
        )

    def make_bytes(self, value: Any) -> bytes:
        """Turn a content chunk into bytes, encoding text with the charset."""
        if type(value) is bytes:
            return value
        if isinstance(value, bytes | memoryview):
            return bytes(value)
        if isinstance(value, str):
            return value.encode(self.charset)
        return str(value).encode(self.charset)

    def close(self) -> None:
        """Run the resource closers and send request_finished."""
        if not self._close_inline():
            signals.request_finished.send(sender=self._handler_class)

    def _close_inline(self) -> bool:
        """Close, sending request_finished only if that cannot block.

        Return False when the signal is still to be sent (a receiver is
        async or not marked loop-safe): the ASGI handler then sends it from a
        worker thread. Idle housekeeping receivers are skipped.
        """
        for closer in self._resource_closers:
            try:
                closer()
            except Exception:
                pass
        self._resource_closers.clear()
        self.closed = True
        return signals.request_finished.send_inline(self._handler_class)

    def write(self, content: Any) -> None:
        """Refuse: only HttpResponse is writable."""
        raise OSError(f"This {self.__class__.__name__} instance is not writable")

    def flush(self) -> None:
        """Do nothing: there is no buffer to flush."""

    def tell(self) -> int:
        """Refuse: only HttpResponse knows its position."""
        raise OSError(
            f"This {self.__class__.__name__} instance cannot tell its position"
        )

    def readable(self) -> bool:
        """Return False."""
        return False

    def seekable(self) -> bool:
        """Return False."""
        return False

    def writable(self) -> bool:
        """Return False."""
        return False

    def writelines(self, lines: Iterable[Any]) -> None:
        """Refuse: only HttpResponse is writable."""
        raise OSError(f"This {self.__class__.__name__} instance is not writable")


class HttpResponse(HttpResponseBase):
    """A response whose content is held in memory as bytes."""

    streaming = False
    non_picklable_attrs = frozenset(
        ["resolver_match", "client", "request", "templates", "wsgi_request"]
    )

    def __init__(
        self,
        content: Any = b"",
        content_type: str | None = None,
        status: int | None = None,
        reason: str | None = None,
        charset: str | None = None,
        headers: Any = None,
    ) -> None:
        # Named rather than *args/**kwargs: no packing on every response; the
        # base class by name when it is next in line: no super object.
        if type(self) is HttpResponse:
            HttpResponseBase.__init__(
                self, content_type, status, reason, charset, headers
            )
        else:
            super().__init__(content_type, status, reason, charset, headers)
        # What the content setter would store, for the usual bytes and str.
        if type(content) is bytes and type(self).content is PLAIN_CONTENT:
            self._container = [content]
        elif (
            type(content) is str
            and type(self).content is PLAIN_CONTENT
            and type(self).make_bytes is _PLAIN_MAKE_BYTES
        ):
            self._container = [content.encode(self.charset)]
        else:
            self.content = content

    def __getstate__(self) -> dict[str, Any]:
        obj_dict = self.__dict__.copy()
        for attr in self.non_picklable_attrs:
            obj_dict.pop(attr, None)
        return obj_dict

    def __repr__(self) -> str:
        return (
            f"<{self.__class__.__name__} status_code={self.status_code}"
            f"{self._content_type_for_repr}>"
        )

    def serialize(self) -> bytes:
        """Return the headers and the content as one bytes string."""
        return self.serialize_headers() + b"\r\n\r\n" + self.content

    __bytes__ = serialize

    @property
    def content(self) -> bytes:
        """The body as bytes."""
        container = self._container
        if len(container) == 1:
            return container[0]
        return b"".join(container)

    @content.setter
    def content(self, value: Any) -> None:
        if type(value) is bytes:
            content = value
        elif isinstance(value, str | bytes | memoryview) or not hasattr(
            value, "__iter__"
        ):
            content = self.make_bytes(value)
        else:
            content = b"".join(self.make_bytes(chunk) for chunk in value)
            if hasattr(value, "close"):
                try:
                    value.close()
                except Exception:
                    pass
        self._container = [content]
        self.__dict__.pop("text", None)

    @cached_property
    def text(self) -> str:
        """The body decoded with the response charset."""
        return self.content.decode(self.charset or "utf-8")

    def __iter__(self) -> Iterator[bytes]:
        return iter(self._container)

    def write(self, content: Any) -> None:
        """Append ``content`` to the body."""
        self._container.append(self.make_bytes(content))
        self.__dict__.pop("text", None)

    def tell(self) -> int:
        """Return the length of the body so far."""
        return len(self.content)

    def getvalue(self) -> bytes:
        """Return the body."""
        return self.content

    def writable(self) -> bool:
        """Return True."""
        return True

    def writelines(self, lines: Iterable[Any]) -> None:
        """Append each of ``lines`` to the body."""
        for line in lines:
            self.write(line)


class StreamingHttpResponse(HttpResponseBase):
    """A response whose body is an iterator (sync or async), sent as it comes."""

    streaming = True
    is_async = False

    def __init__(self, streaming_content: Any = (), *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.streaming_content = streaming_content

    def __repr__(self) -> str:
        return (
            f"<{self.__class__.__qualname__} status_code={self.status_code}"
            f"{self._content_type_for_repr}>"
        )

    @property
    def content(self) -> bytes:
        """Refuse: the body of a streaming response can only be iterated."""
        raise AttributeError(
            f"This {self.__class__.__name__} instance has no `content` attribute. "
            "Use `streaming_content` instead."
        )

    @property
    def text(self) -> str:
        """Refuse: the body of a streaming response can only be iterated."""
        raise AttributeError(
            f"This {self.__class__.__name__} instance has no `text` attribute."
        )

    @property
    def streaming_content(self) -> Any:
        """The body as an iterator of bytes (an async one if ``is_async``)."""
        if self.is_async:
            iterator = self._iterator

            async def awrapper() -> AsyncIterator[bytes]:
                async for part in iterator:
                    yield self.make_bytes(part)

            return awrapper()
        return map(self.make_bytes, self._iterator)

    @streaming_content.setter
    def streaming_content(self, value: Any) -> None:
        self._set_streaming_content(value)

    def _set_streaming_content(self, value: Any) -> None:
        try:
            self._iterator = iter(value)
            self.is_async = False
        except TypeError:
            self._iterator = aiter(value)
            self.is_async = True
        if hasattr(value, "close"):
            self._resource_closers.append(value.close)
        elif hasattr(value, "aclose"):
            self._resource_closers.append(_sync_aclose(value))

    def __iter__(self) -> Iterator[bytes]:
        if not self.is_async:
            return iter(self.streaming_content)
        warnings.warn(
            "StreamingHttpResponse must consume asynchronous iterators in order to "
            "serve them synchronously. Use a synchronous iterator instead.",
            Warning,
            stacklevel=2,
        )

        async def to_list(iterator: Any) -> list[Any]:
            return [chunk async for chunk in iterator]

        return map(self.make_bytes, async_to_sync(to_list)(self._iterator))

    async def __aiter__(self) -> AsyncIterator[bytes]:
        """Yield the body; a sync iterator is advanced chunk by chunk off the loop.

        Unlike Django, which reads a sync iterator into a list, this keeps
        memory flat for large files and does not warn.
        """
        if self.is_async:
            async for part in self.streaming_content:
                yield part
            return
        iterator = iter(self.streaming_content)
        sentinel = object()
        while True:
            part = await run_sync(next, iterator, sentinel)
            if part is sentinel:
                break
            yield part  # type: ignore[misc, unused-ignore]

    def getvalue(self) -> bytes:
        """Consume and return the whole body (sync iterators only)."""
        return b"".join(self.streaming_content)


def _sync_aclose(value: Any) -> Any:
    def close() -> None:
        try:
            async_to_sync(value.aclose)()
        except RuntimeError:
            pass

    return close


class FileResponse(StreamingHttpResponse):
    """Stream a file in blocks, with Content-Length, type and disposition set."""

    block_size = 4096

    def __init__(
        self,
        *args: Any,
        as_attachment: bool = False,
        filename: str = "",
        **kwargs: Any,
    ) -> None:
        self.as_attachment = as_attachment
        self.filename = filename
        self._no_explicit_content_type = (
            "content_type" not in kwargs or kwargs["content_type"] is None
        )
        super().__init__(*args, **kwargs)

    def _set_streaming_content(self, value: Any) -> None:
        if not hasattr(value, "read"):
            self.file_to_stream = None
            super()._set_streaming_content(value)
            return
        self.file_to_stream = filelike = value
        if hasattr(filelike, "close"):
            self._resource_closers.append(filelike.close)
        block_size = self.block_size
        self.set_headers(filelike)
        super()._set_streaming_content(iter(lambda: filelike.read(block_size), b""))

    def set_headers(self, filelike: Any) -> None:
        """Set Content-Length, Content-Type and Content-Disposition from the file."""
        filename = getattr(filelike, "name", "")
        filename = filename if isinstance(filename, str) else ""
        seekable = hasattr(filelike, "seek") and (
            not hasattr(filelike, "seekable") or filelike.seekable()
        )
        if hasattr(filelike, "tell"):
            if seekable:
                initial_position = filelike.tell()
                filelike.seek(0, io.SEEK_END)
                self.headers["Content-Length"] = filelike.tell() - initial_position
                filelike.seek(initial_position)
            elif hasattr(filelike, "getbuffer"):
                self.headers["Content-Length"] = (
                    filelike.getbuffer().nbytes - filelike.tell()
                )
            elif os.path.exists(filename):
                self.headers["Content-Length"] = (
                    os.path.getsize(filename) - filelike.tell()
                )
        elif seekable:
            length = sum(iter(lambda: len(filelike.read(self.block_size)), 0))
            self.headers["Content-Length"] = length
            filelike.seek(-length, io.SEEK_END)
        filename = os.path.basename(self.filename or filename)
        if self._no_explicit_content_type:
            if filename:
                content_type, encoding = mimetypes.guess_type(filename)
                # Name the compression as the type, so browsers don't unpack it.
                content_type = {
                    "br": "application/x-brotli",
                    "bzip2": "application/x-bzip",
                    "compress": "application/x-compress",
                    "gzip": "application/gzip",
                    "xz": "application/x-xz",
                }.get(encoding or "", content_type)
                self.headers["Content-Type"] = (
                    content_type or "application/octet-stream"
                )
            else:
                self.headers["Content-Type"] = "application/octet-stream"
        if content_disposition := content_disposition_header(
            self.as_attachment, filename
        ):
            self.headers["Content-Disposition"] = content_disposition


#: HttpResponse's own content property: subclasses overriding it get their setter.
PLAIN_CONTENT = HttpResponse.__dict__["content"]
_PLAIN_MAKE_BYTES = HttpResponseBase.make_bytes
#: The close() whose blocking half ``_close_inline`` leaves to the caller.
PLAIN_CLOSE = HttpResponseBase.close


class HttpResponseRedirectBase(HttpResponse):
    """A redirect to ``redirect_to``; schemes outside allowed_schemes are refused."""

    allowed_schemes = ["http", "https", "ftp"]
    status_code_preserve_request = 307

    def __init__(
        self,
        redirect_to: Any,
        preserve_request: bool = False,
        *args: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        redirect_to = str(redirect_to)
        if len(redirect_to) > MAX_URL_REDIRECT_LENGTH:
            raise DisallowedRedirect(
                f"Unsafe redirect exceeding {MAX_URL_REDIRECT_LENGTH} characters"
            )
        self["Location"] = iri_to_uri(redirect_to)
        try:
            parsed = urlsplit(redirect_to)
        except ValueError:
            raise DisallowedRedirect(f"Unsafe redirect to URL {redirect_to!r}")
        if preserve_request:
            self.status_code = self.status_code_preserve_request
        if parsed.scheme and parsed.scheme not in self.allowed_schemes:
            raise DisallowedRedirect(
                f"Unsafe redirect to URL with protocol '{parsed.scheme}'"
            )

    @property
    def url(self) -> str:
        """The Location of the redirect."""
        return self["Location"]

    def __repr__(self) -> str:
        return (
            f"<{self.__class__.__name__} status_code={self.status_code}"
            f'{self._content_type_for_repr}, url="{self.url}">'
        )


class HttpResponseRedirect(HttpResponseRedirectBase):
    """302 Found (307 with preserve_request)."""

    status_code = 302
    status_code_preserve_request = 307


class HttpResponsePermanentRedirect(HttpResponseRedirectBase):
    """301 Moved Permanently (308 with preserve_request)."""

    status_code = 301
    status_code_preserve_request = 308


class HttpResponseNotModified(HttpResponse):
    """304 Not Modified: no Content-Type and no content allowed."""

    status_code = 304

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self["content-type"]

    @HttpResponse.content.setter  # type: ignore[attr-defined, untyped-decorator]
    def content(self, value: Any) -> None:
        if value:
            raise AttributeError(
                "You cannot set content to a 304 (Not Modified) response"
            )
        self._container = []


class HttpResponseBadRequest(HttpResponse):
    """400 Bad Request."""

    status_code = 400


class HttpResponseNotFound(HttpResponse):
    """404 Not Found."""

    status_code = 404


class HttpResponseForbidden(HttpResponse):
    """403 Forbidden."""

    status_code = 403


class HttpResponseNotAllowed(HttpResponse):
    """405 Method Not Allowed, listing the permitted methods in Allow."""

    status_code = 405

    def __init__(
        self, permitted_methods: Iterable[str], *args: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self["Allow"] = ", ".join(permitted_methods)

    def __repr__(self) -> str:
        return (
            f"<{self.__class__.__name__} [{self['Allow']}] "
            f"status_code={self.status_code}{self._content_type_for_repr}>"
        )


class HttpResponseGone(HttpResponse):
    """410 Gone."""

    status_code = 410


class HttpResponseServerError(HttpResponse):
    """500 Internal Server Error."""

    status_code = 500


class JsonResponse(HttpResponse):
    """A response with ``data`` serialised to JSON.

    With ``safe`` (the default) only dicts are accepted, so a top-level
    list is never sent by accident.
    """

    def __init__(
        self,
        data: Any,
        encoder: type[json.JSONEncoder] = DjangoJSONEncoder,
        safe: bool = True,
        json_dumps_params: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        if safe and not isinstance(data, dict):
            raise TypeError(
                "In order to allow non-dict objects to be serialized set the "
                "safe parameter to False."
            )
        if json_dumps_params is None:
            json_dumps_params = {}
        kwargs.setdefault("content_type", "application/json")
        content = json.dumps(data, cls=encoder, **json_dumps_params)
        super().__init__(content=content, **kwargs)
