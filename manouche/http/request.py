"""HttpRequest, QueryDict and HttpHeaders: the request as views see it.

Parsing is lazy: GET, COOKIES, headers, POST and FILES are built on first use,
so constructing a request costs almost nothing. Limits from settings are
enforced while the body is parsed, never after.
"""

from __future__ import annotations

import codecs
import copy
import re
from collections.abc import Iterable, Iterator
from io import BytesIO
from itertools import chain
from typing import Any
from urllib.parse import quote, quote_plus, unquote, urljoin, urlsplit

from manouche.conf import settings
from manouche.core import signing
from manouche.core.exceptions import (
    BadRequest,
    DisallowedHost,
    ImproperlyConfigured,
    RequestDataTooBig,
    TooManyFieldsSent,
)
from manouche.core.files import uploadhandler
from manouche.http._proxies import is_trusted_proxy
from manouche.http.cookie import parse_cookie
from manouche.http.multipartparser import MultiPartParser
from manouche.utils.datastructures import (
    CaseInsensitiveMapping,
    ImmutableList,
    MultiValueDict,
)
from manouche.utils.encoding import escape_uri_path, iri_to_uri
from manouche.utils.functional import cached_property
from manouche.utils.http import is_same_domain, parse_header_parameters

__all__ = [
    "HttpHeaders",
    "HttpRequest",
    "MediaType",
    "QueryDict",
    "RawPostDataException",
    "UnreadablePostError",
    "bytes_to_text",
    "split_domain_port",
    "validate_host",
]

RAISE_ERROR = object()
host_validation_re = re.compile(
    r"^([a-z0-9.-]+|\[[a-f0-9]*:[a-f0-9.:]+\])(?::([0-9]+))?$"
)
_TOO_MANY_FIELDS = (
    "The number of GET/POST parameters exceeded settings.DATA_UPLOAD_MAX_NUMBER_FIELDS."
)


class UnreadablePostError(OSError):
    """The request body could not be read (the client went away)."""


class RawPostDataException(Exception):
    """``body`` was accessed after the body stream had been read another way."""


#: What GET, COOKIES and the content type hold until first parsed. Class
#: defaults rather than keys looked for in ``__dict__``: on CPython 3.11 reading
#: an instance's ``__dict__`` turns its inline attributes into a dict.
_UNPARSED: Any = object()


class HttpRequest:
    """A basic HTTP request; the ASGI handler builds a subclass of it."""

    _get: Any = _UNPARSED
    _cookies: Any = _UNPARSED
    _content_type: Any = _UNPARSED
    _content_params: dict[str, str] | None = None
    _encoding: str | None = None
    _upload_handlers: list[Any] = []
    _read_started = False
    non_picklable_attrs = frozenset(["resolver_match", "_stream"])

    def __init__(self) -> None:
        self.META: dict[str, Any] = {}
        self.path = ""
        self.path_info = ""
        self.method: str | None = None
        self.resolver_match: Any = None

    def __repr__(self) -> str:
        if self.method is None or not self.get_full_path():
            return f"<{self.__class__.__name__}>"
        return f"<{self.__class__.__name__}: {self.method} {self.get_full_path()!r}>"

    def __getstate__(self) -> dict[str, Any]:
        obj_dict = self.__dict__.copy()
        for attr in self.non_picklable_attrs:
            obj_dict.pop(attr, None)
        return obj_dict

    def __copy__(self) -> HttpRequest:
        obj = self.__class__.__new__(self.__class__)
        obj.__dict__.update(self.__dict__)
        return obj

    def __deepcopy__(self, memo: dict[int, Any]) -> HttpRequest:
        # Streams and resolver matches cannot be copied: the copy shares them.
        obj = self.__class__.__new__(self.__class__)
        memo[id(self)] = obj
        for attr, value in self.__dict__.items():
            if attr not in self.non_picklable_attrs:
                value = copy.deepcopy(value, memo)
            obj.__dict__[attr] = value
        return obj

    # Lazily parsed parts ------------------------------------------------

    @property
    def GET(self) -> QueryDict:
        """The query string parameters, parsed on first use."""
        value = self._get
        if value is not _UNPARSED:
            return value  # type: ignore[no-any-return]
        if "QUERY_STRING" in self.META:
            raw = self.META["QUERY_STRING"]
            value = QueryDict(raw, encoding=self.encoding)
        else:
            value = QueryDict(mutable=True)
        self._get = value
        return value

    @GET.setter
    def GET(self, value: QueryDict) -> None:
        self._get = value

    @GET.deleter
    def GET(self) -> None:
        self._get = _UNPARSED

    @property
    def COOKIES(self) -> dict[str, str]:
        """The cookies sent by the client, parsed on first use."""
        value = self._cookies
        if value is _UNPARSED:
            value = self._cookies = parse_cookie(self.META.get("HTTP_COOKIE", ""))
        return value  # type: ignore[no-any-return]

    @COOKIES.setter
    def COOKIES(self, value: dict[str, str]) -> None:
        self._cookies = value

    @property
    def POST(self) -> QueryDict:
        """Form fields of a urlencoded or multipart body, parsed on first use."""
        if not hasattr(self, "_post"):
            self._load_post_and_files()
        return self._post

    @POST.setter
    def POST(self, value: QueryDict) -> None:
        self._post = value

    @property
    def FILES(self) -> MultiValueDict:
        """Uploaded files of a multipart body, parsed on first use."""
        if not hasattr(self, "_files"):
            self._load_post_and_files()
        return self._files

    @FILES.setter
    def FILES(self, value: MultiValueDict) -> None:
        self._files = value

    @cached_property
    def headers(self) -> HttpHeaders:
        """Case-insensitive access to the request headers."""
        return HttpHeaders(self.META)

    @property
    def content_type(self) -> str | None:
        """The media type of the body, from CONTENT_TYPE."""
        if self._content_type is _UNPARSED:
            self._parse_content_type()
        return self._content_type  # type: ignore[no-any-return]

    @content_type.setter
    def content_type(self, value: str | None) -> None:
        self._content_type = value

    @property
    def content_params(self) -> dict[str, str] | None:
        """The parameters of CONTENT_TYPE (charset, boundary...)."""
        if self._content_type is _UNPARSED:
            self._parse_content_type()
        return self._content_params

    @content_params.setter
    def content_params(self, value: dict[str, str] | None) -> None:
        self._content_params = value

    def _parse_content_type(self) -> None:
        if "CONTENT_TYPE" in self.META or hasattr(self, "_stream"):
            self._set_content_type_params(self.META)
        else:
            self._content_type = None
            self._content_params = None

    def _set_content_type_params(self, meta: dict[str, Any]) -> None:
        """Set content_type, content_params and the charset from ``meta``."""
        raw = meta.get("CONTENT_TYPE", "")
        params: dict[str, str]
        if not raw:
            content_type, params = "", {}
        else:
            try:
                content_type, params = parse_header_parameters(raw)
            except ValueError:
                content_type, params = "", {}
        self._content_type = content_type
        self._content_params = params
        if "charset" in params:
            try:
                codecs.lookup(params["charset"])
            except LookupError:
                pass
            else:
                self._encoding = params["charset"]

    @property
    def encoding(self) -> str | None:
        """The charset used to decode form data (None means DEFAULT_CHARSET)."""
        if self._content_type is _UNPARSED:
            self._parse_content_type()
        return self._encoding

    @encoding.setter
    def encoding(self, val: str | None) -> None:
        """Change the charset and forget GET and POST decoded with the old one."""
        if self._content_type is _UNPARSED:
            self._parse_content_type()
        self._encoding = val
        self._get = _UNPARSED
        if hasattr(self, "_post"):
            del self._post

    def _initialize_handlers(self) -> None:
        self._upload_handlers = [
            uploadhandler.load_handler(handler, self)
            for handler in settings.FILE_UPLOAD_HANDLERS
        ]

    @property
    def upload_handlers(self) -> list[Any]:
        """The upload handlers, from FILE_UPLOAD_HANDLERS unless set."""
        if not self._upload_handlers:
            self._initialize_handlers()
        return self._upload_handlers

    @upload_handlers.setter
    def upload_handlers(self, upload_handlers: list[Any]) -> None:
        if hasattr(self, "_files"):
            raise AttributeError(
                "You cannot set the upload handlers after the upload has been "
                "processed."
            )
        self._upload_handlers = upload_handlers

    # Host, scheme and paths ---------------------------------------------

    def _get_raw_host(self) -> str:
        if (
            settings.USE_X_FORWARDED_HOST
            and "HTTP_X_FORWARDED_HOST" in self.META
            and is_trusted_proxy(self.META.get("REMOTE_ADDR"))
        ):
            return str(self.META["HTTP_X_FORWARDED_HOST"])
        if "HTTP_HOST" in self.META:
            return str(self.META["HTTP_HOST"])
        host = str(self.META.get("SERVER_NAME", ""))
        server_port = self.get_port()
        if server_port != ("443" if self.is_secure() else "80"):
            host = f"{host}:{server_port}"
        return host

    def get_host(self) -> str:
        """Return the host of the request, checked against ALLOWED_HOSTS.

        Raises DisallowedHost for a host that is malformed or not allowed.
        """
        meta = self.META
        if "HTTP_HOST" in meta and not settings.USE_X_FORWARDED_HOST:
            host = str(meta["HTTP_HOST"])  # _get_raw_host's usual answer
        else:
            host = self._get_raw_host()
        allowed_hosts = settings.ALLOWED_HOSTS
        if not allowed_hosts and settings.DEBUG:
            allowed_hosts = _DEBUG_ALLOWED_HOSTS
        # Hosts already found valid for this very ALLOWED_HOSTS are not re-parsed.
        global _valid_hosts
        checked, snapshot, valid = _valid_hosts
        if checked is allowed_hosts and snapshot == allowed_hosts:
            if host in valid:
                return host
        else:  # another list, or this one changed in place
            valid = set()
            snapshot = (
                allowed_hosts[:]
                if isinstance(allowed_hosts, list | tuple)
                else tuple(allowed_hosts)  # never equal: checked every time
            )
            _valid_hosts = (allowed_hosts, snapshot, valid)
        domain, _port = split_domain_port(host)
        if domain and validate_host(domain, allowed_hosts):
            if len(valid) >= _VALID_HOSTS_MAX:
                valid.clear()
            valid.add(host)
            return host
        msg = f"Invalid HTTP_HOST header: {host!r}."
        if domain:
            msg += f" You may need to add {domain!r} to ALLOWED_HOSTS."
        else:
            msg += " The domain name provided is not valid according to RFC 1034/1035."
        raise DisallowedHost(msg)

    def get_port(self) -> str:
        """Return the port of the request, as a string."""
        if (
            settings.USE_X_FORWARDED_PORT
            and "HTTP_X_FORWARDED_PORT" in self.META
            and is_trusted_proxy(self.META.get("REMOTE_ADDR"))
        ):
            port = self.META["HTTP_X_FORWARDED_PORT"]
        else:
            port = self.META.get("SERVER_PORT", "")
        return str(port)

    def get_full_path(self, force_append_slash: bool = False) -> str:
        """Return the path with the query string, URI-escaped."""
        return self._get_full_path(self.path, force_append_slash)

    def get_full_path_info(self, force_append_slash: bool = False) -> str:
        """Return path_info with the query string, URI-escaped."""
        return self._get_full_path(self.path_info, force_append_slash)

    def _get_full_path(self, path: str, force_append_slash: bool) -> str:
        slash = "/" if force_append_slash and not path.endswith("/") else ""
        query_string = self.META.get("QUERY_STRING", "")
        query = f"?{iri_to_uri(query_string)}" if query_string else ""
        return f"{escape_uri_path(path)}{slash}{query}"

    def get_signed_cookie(
        self,
        key: str,
        default: Any = RAISE_ERROR,
        salt: str = "",
        max_age: int | float | Any = None,
    ) -> Any:
        """Return the value of a signed cookie, or ``default`` if it is bad.

        Without a default, a missing cookie raises KeyError and a bad
        signature raises BadSignature (or SignatureExpired).
        """
        try:
            cookie_value = self.COOKIES[key]
        except KeyError:
            if default is not RAISE_ERROR:
                return default
            raise
        try:
            return signing.get_cookie_signer(salt=key + salt).unsign(
                cookie_value, max_age=max_age
            )
        except signing.BadSignature:
            if default is not RAISE_ERROR:
                return default
            raise

    def build_absolute_uri(self, location: Any = None) -> str:
        """Return the absolute URI of ``location`` (the request's own by default)."""
        if location is None:
            location = f"//{self.get_full_path()}"
        else:
            location = str(location)
        bits = urlsplit(location)
        if not (bits.scheme and bits.netloc):
            if (
                bits.path.startswith("/")
                and not bits.scheme
                and not bits.netloc
                and "/./" not in bits.path
                and "/../" not in bits.path
            ):
                location = location.removeprefix("//")
                location = self._current_scheme_host + location
            else:
                location = urljoin(self._current_scheme_host + self.path, location)
        return iri_to_uri(location)  # type: ignore[no-any-return]

    @cached_property
    def _current_scheme_host(self) -> str:
        return f"{self.scheme}://{self.get_host()}"

    def _get_scheme(self) -> str:
        """Return the scheme the server saw; subclasses know better."""
        return str(self.META.get("wsgi.url_scheme", "http"))

    @property
    def scheme(self) -> str:
        """Return 'http' or 'https', honouring SECURE_PROXY_SSL_HEADER."""
        if settings.SECURE_PROXY_SSL_HEADER:
            try:
                header, secure_value = settings.SECURE_PROXY_SSL_HEADER
            except ValueError:
                raise ImproperlyConfigured(
                    "The SECURE_PROXY_SSL_HEADER setting must be a tuple containing "
                    "two values."
                )
            header_value = self.META.get(header)
            if header_value is not None and is_trusted_proxy(
                self.META.get("REMOTE_ADDR")
            ):
                header_value, *_ = header_value.split(",", 1)
                return "https" if header_value.strip() == secure_value else "http"
        return self._get_scheme()

    def is_secure(self) -> bool:
        """Tell whether the request came over HTTPS."""
        return self.scheme == "https"

    # Content negotiation ----------------------------------------------

    @cached_property
    def accepted_types(self) -> list[MediaType]:
        """The media types of the Accept header, most preferred first."""
        header = self.META.get("HTTP_ACCEPT", "*/*")
        types = []
        for token in header.split(","):
            if not token.strip():
                continue
            media_type = MediaType(token)
            if media_type.quality != 0:
                types.append(media_type)
        return sorted(types, key=lambda t: (t.quality, t.specificity), reverse=True)

    @cached_property
    def accepted_types_by_precedence(self) -> list[MediaType]:
        """The accepted types, most specific first (then by quality).

        A more specific range overrides a broader one (RFC 9110 12.5.1), so
        this is the order in which a concrete type looks for its range.
        """
        return sorted(
            self.accepted_types,
            key=lambda t: (t.specificity, t.quality),
            reverse=True,
        )

    def accepted_type(self, media_type: str) -> MediaType | None:
        """Return the most specific accepted range that ``media_type`` falls in."""
        wanted = MediaType(media_type)
        for accepted in self.accepted_types_by_precedence:
            if wanted.match(accepted):
                return accepted
        return None

    def accepts(self, media_type: str) -> bool:
        """Tell whether the client accepts ``media_type``."""
        return self.accepted_type(media_type) is not None

    def get_preferred_type(self, media_types: Iterable[str]) -> str | None:
        """Return the type of ``media_types`` the client prefers, or None.

        Each candidate is weighed by the accepted range that applies to it;
        the first candidate whose range ranks best wins.
        """
        accepted_types = self.accepted_types
        if not media_types or not accepted_types:
            return None
        best: tuple[int, str] | None = None
        for media_type in media_types:
            accepted = self.accepted_type(media_type)
            if accepted is None:
                continue
            rank = accepted_types.index(accepted)
            if best is None or rank < best[0]:
                best = (rank, media_type)
        return None if best is None else best[1]

    # Body -----------------------------------------------------------------

    @property
    def body(self) -> bytes:
        """The raw body, read at most up to DATA_UPLOAD_MAX_MEMORY_SIZE.

        The limit counts the bytes actually read, so a lying or missing
        Content-Length does not get past it.
        """
        if not hasattr(self, "_body"):
            if self._read_started:
                raise RawPostDataException(
                    "You cannot access body after reading from request's data stream"
                )
            limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
            if limit is not None and _content_length(self.META) > limit:
                raise RequestDataTooBig(
                    "Request body exceeded settings.DATA_UPLOAD_MAX_MEMORY_SIZE."
                )
            stream = getattr(self, "_stream", None)
            if limit is not None and uploadhandler.remaining_size(stream) > limit:
                # A seekable body tells its size: refuse before reading it.
                raise RequestDataTooBig(
                    "Request body exceeded settings.DATA_UPLOAD_MAX_MEMORY_SIZE."
                )
            if stream is None:
                self._body = b""
            else:
                try:
                    data = self.read() if limit is None else self.read(limit + 1)
                    if limit is not None and len(data) > limit:
                        raise RequestDataTooBig(
                            "Request body exceeded "
                            "settings.DATA_UPLOAD_MAX_MEMORY_SIZE."
                        )
                    self._body = data
                finally:
                    stream.close()
            self._stream = BytesIO(self._body)
        return self._body

    def _mark_post_parse_error(self) -> None:
        self._post = QueryDict()
        self._files = MultiValueDict()

    def parse_file_upload(self, META: dict[str, Any], post_data: Any) -> Any:
        """Parse a multipart body into (POST, FILES)."""
        self.upload_handlers = ImmutableList(
            self.upload_handlers,
            warning=(
                "You cannot alter upload handlers after the upload has been processed."
            ),
        )  # type: ignore[assignment]
        parser = MultiPartParser(META, post_data, self.upload_handlers, self.encoding)
        return parser.parse()

    def _load_post_and_files(self) -> None:
        """Populate POST and FILES from a urlencoded or multipart body."""
        if not hasattr(self, "_stream"):
            # A request built by hand, with no body: Django's mutable defaults.
            self._post, self._files = QueryDict(mutable=True), MultiValueDict()
            return
        if self.method != "POST":
            self._post = QueryDict(encoding=self._encoding)
            self._files = MultiValueDict()
            return
        if self._read_started and not hasattr(self, "_body"):
            self._mark_post_parse_error()
            return
        if self.content_type == "multipart/form-data":
            data = BytesIO(self._body) if hasattr(self, "_body") else self
            try:
                self._post, self._files = self.parse_file_upload(self.META, data)
            except Exception:
                self._mark_post_parse_error()
                raise
        elif self.content_type == "application/x-www-form-urlencoded":
            # RFC 1866: this content type has no charset; it is always UTF-8.
            if self._encoding is not None and self._encoding.lower() != "utf-8":
                raise BadRequest(
                    "HTTP requests with the 'application/x-www-form-urlencoded' "
                    "content type must be UTF-8 encoded."
                )
            self._post = QueryDict(self.body, encoding="utf-8")
            self._files = MultiValueDict()
        else:
            self._post = QueryDict(encoding=self._encoding)
            self._files = MultiValueDict()

    def close(self) -> None:
        """Close uploaded files (deleting temporary ones)."""
        if hasattr(self, "_files"):
            for f in chain.from_iterable(values for _, values in self._files.lists()):
                f.close()

    # File-like interface to the body ---------------------------------------

    def read(self, *args: Any, **kwargs: Any) -> bytes:
        """Read from the body stream."""
        self._read_started = True
        try:
            return self._stream.read(*args, **kwargs)  # type: ignore[no-any-return, unused-ignore]
        except OSError as e:
            raise UnreadablePostError(*e.args) from e

    def readline(self, *args: Any, **kwargs: Any) -> bytes:
        """Read a line from the body stream."""
        self._read_started = True
        try:
            return self._stream.readline(*args, **kwargs)  # type: ignore[no-any-return, unused-ignore]
        except OSError as e:
            raise UnreadablePostError(*e.args) from e

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.readline, b"")

    def readlines(self) -> list[bytes]:
        """Read all lines of the body."""
        return list(self)


def _content_length(meta: dict[str, Any]) -> int:
    try:
        return max(int(meta.get("CONTENT_LENGTH") or 0), 0)
    except (ValueError, TypeError):
        return 0


class HttpHeaders(CaseInsensitiveMapping):
    """Request headers from META, with '-' or '_' and any case accepted."""

    HTTP_PREFIX = "HTTP_"
    UNPREFIXED_HEADERS = frozenset(["CONTENT_TYPE", "CONTENT_LENGTH"])

    def __init__(self, environ: dict[str, Any]) -> None:
        headers = {}
        for header, value in environ.items():
            name = self.parse_header_name(header)
            if name:
                headers[name] = value
        super().__init__(headers)

    def __getitem__(self, key: str) -> Any:
        return super().__getitem__(key.replace("_", "-"))

    @classmethod
    def parse_header_name(cls, header: str) -> str | None:
        """Turn a META key into a header name, or None if it is not a header."""
        if header.startswith(cls.HTTP_PREFIX):
            header = header.removeprefix(cls.HTTP_PREFIX)
        elif header not in cls.UNPREFIXED_HEADERS:
            return None
        return header.replace("_", "-").title()

    @classmethod
    def to_wsgi_name(cls, header: str) -> str:
        """Turn a header name into its META key."""
        header = header.replace("-", "_").upper()
        if header in cls.UNPREFIXED_HEADERS:
            return header
        return f"{cls.HTTP_PREFIX}{header}"

    @classmethod
    def to_asgi_name(cls, header: str) -> str:
        """Turn a header name into its ASGI-style upper snake case."""
        return header.replace("-", "_").upper()

    @classmethod
    def to_wsgi_names(cls, headers: dict[str, Any]) -> dict[str, Any]:
        """Turn header names into META keys."""
        return {cls.to_wsgi_name(k): v for k, v in headers.items()}

    @classmethod
    def to_asgi_names(cls, headers: dict[str, Any]) -> dict[str, Any]:
        """Turn header names into upper snake case."""
        return {cls.to_asgi_name(k): v for k, v in headers.items()}


def _parse_query_string(
    query_string: str, encoding: str, max_fields: int | None
) -> Iterator[tuple[str, str]]:
    """Yield (name, value) pairs; raise TooManyFieldsSent at the first one over.

    Undecodable percent-escapes become U+FFFD rather than raising.
    """
    count = 0
    start = 0
    length = len(query_string)
    while start < length:
        end = query_string.find("&", start)
        if end == -1:
            end = length
        if end > start:
            count += 1
            if max_fields is not None and count > max_fields:
                raise TooManyFieldsSent(_TOO_MANY_FIELDS)
            name, _, value = query_string[start:end].partition("=")
            if "+" in name:
                name = name.replace("+", " ")
            if "+" in value:
                value = value.replace("+", " ")
            if "%" in name:
                name = unquote(name, encoding, "replace")
            if "%" in value:
                value = unquote(value, encoding, "replace")
            yield name, value
        start = end + 1


class QueryDict(MultiValueDict):
    """A MultiValueDict of query parameters, immutable unless asked otherwise.

    ``QueryDict('a=1&a=2&b=3')`` gives ``getlist('a') == ['1', '2']``.
    """

    _mutable = True
    _encoding: str | None = None

    def __init__(
        self,
        query_string: str | bytes | None = None,
        mutable: bool = False,
        encoding: str | None = None,
    ) -> None:
        super().__init__()
        self.encoding = encoding or settings.DEFAULT_CHARSET
        if query_string:
            if not isinstance(query_string, str):
                raw = query_string
                try:
                    query_string = raw.decode(self.encoding)
                except UnicodeDecodeError:
                    # Latin-1 decodes anything: undecodable bodies are not a 500.
                    query_string = raw.decode("iso-8859-1")
            # Parsed values are already text: fill the lists directly.
            get = dict.get
            for key, value in _parse_query_string(
                query_string, self.encoding, settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
            ):
                values = get(self, key)
                if values is None:
                    dict.__setitem__(self, key, [value])
                else:
                    values.append(value)
        self._mutable = mutable

    @classmethod
    def fromkeys(  # type: ignore[override]
        cls,
        iterable: Iterable[Any],
        value: Any = "",
        mutable: bool = False,
        encoding: str | None = None,
    ) -> QueryDict:
        """Build a QueryDict with ``value`` for each key of ``iterable``."""
        q = cls("", mutable=True, encoding=encoding)
        for key in iterable:
            q.appendlist(key, value)
        if not mutable:
            q._mutable = False
        return q

    @property
    def encoding(self) -> str:
        """The charset used to decode the parameters."""
        if self._encoding is None:
            self._encoding = settings.DEFAULT_CHARSET
        return self._encoding

    @encoding.setter
    def encoding(self, value: str) -> None:
        self._encoding = value

    def _assert_mutable(self) -> None:
        if not self._mutable:
            raise AttributeError("This QueryDict instance is immutable")

    def __setitem__(self, key: Any, value: Any) -> None:
        self._assert_mutable()
        key = bytes_to_text(key, self.encoding)
        value = bytes_to_text(value, self.encoding)
        super().__setitem__(key, value)

    def __delitem__(self, key: Any) -> None:
        self._assert_mutable()
        super().__delitem__(key)

    def __copy__(self) -> QueryDict:
        result = self.__class__("", mutable=True, encoding=self.encoding)
        for key, value in self.lists():
            result.setlist(key, value)
        return result

    def __deepcopy__(self, memo: dict[int, Any]) -> QueryDict:
        result = self.__class__("", mutable=True, encoding=self.encoding)
        memo[id(self)] = result
        for key, value in self.lists():
            result.setlist(copy.deepcopy(key, memo), copy.deepcopy(value, memo))
        return result

    def setlist(self, key: Any, list_: list[Any]) -> None:
        """Replace the values of ``key``."""
        self._assert_mutable()
        key = bytes_to_text(key, self.encoding)
        list_ = [bytes_to_text(elt, self.encoding) for elt in list_]
        super().setlist(key, list_)

    def setlistdefault(self, key: Any, default_list: list[Any] | None = None) -> Any:
        """Set the list of ``key`` if missing; return it."""
        self._assert_mutable()
        return super().setlistdefault(key, default_list)

    def appendlist(self, key: Any, value: Any) -> None:
        """Append ``value`` to the list of ``key``."""
        self._assert_mutable()
        key = bytes_to_text(key, self.encoding)
        value = bytes_to_text(value, self.encoding)
        super().appendlist(key, value)

    def pop(self, key: Any, *args: Any) -> Any:
        """Remove ``key`` and return its list of values."""
        self._assert_mutable()
        return super().pop(key, *args)

    def popitem(self) -> tuple[str, list[Any]]:
        """Remove and return a (key, list of values) pair."""
        self._assert_mutable()
        return super().popitem()

    def clear(self) -> None:
        """Remove every key."""
        self._assert_mutable()
        super().clear()

    def setdefault(self, key: Any, default: Any = None) -> Any:
        """Set ``key`` to ``default`` if missing; return its value."""
        self._assert_mutable()
        key = bytes_to_text(key, self.encoding)
        default = bytes_to_text(default, self.encoding)
        return super().setdefault(key, default)

    def copy(self) -> QueryDict:
        """Return a mutable deep copy."""
        return self.__deepcopy__({})

    def urlencode(self, safe: str | None = None) -> str:
        """Return the data as a query string; ``safe`` characters stay unquoted.

        >>> q = QueryDict(mutable=True)
        >>> q['next'] = '/a&b/'
        >>> q.urlencode(safe='/')
        'next=/a%26b/'
        """
        output: list[str] = []
        encoding = self.encoding
        if safe:
            safe_bytes = safe.encode(encoding)

            def encode(k: bytes, v: bytes) -> str:
                return f"{quote(k, safe_bytes)}={quote(v, safe_bytes)}"

        else:

            def encode(k: bytes, v: bytes) -> str:
                return f"{quote_plus(k)}={quote_plus(v)}"

        for key, values in self.lists():
            key_bytes = key.encode(encoding)
            output.extend(encode(key_bytes, str(v).encode(encoding)) for v in values)
        return "&".join(output)


class MediaType:
    """One media range of an Accept header, with its parameters and quality."""

    def __init__(self, media_type_raw_line: str | None) -> None:
        try:
            full_type, self.params = parse_header_parameters(media_type_raw_line or "")
        except ValueError:
            full_type, self.params = "", {}
        self.main_type, _, self.sub_type = full_type.partition("/")

    def __str__(self) -> str:
        params_str = "".join(f"; {k}={v}" for k, v in self.params.items())
        sub_type = f"/{self.sub_type}" if self.sub_type else ""
        return f"{self.main_type}{sub_type}{params_str}"

    def __repr__(self) -> str:
        return f"<{self.__class__.__qualname__}: {self}>"

    @property
    def is_all_types(self) -> bool:
        """Tell whether this is */*."""
        return self.main_type == "*" and self.sub_type == "*"

    @cached_property
    def range_params(self) -> dict[str, str]:
        """The parameters other than the quality 'q'."""
        params = self.params.copy()
        params.pop("q", None)
        return params

    def match(self, other: Any) -> bool:
        """Tell whether ``other`` (a type or MediaType) falls in this range."""
        if not other:
            return False
        if not isinstance(other, MediaType):
            other = MediaType(other)
        main_types = (self.main_type, other.main_type)
        sub_types = (self.sub_type, other.sub_type)
        if not all((*main_types, *sub_types)):
            return False
        for mine, theirs in (main_types, sub_types):
            if mine != theirs and "*" not in (mine, theirs):
                return False
        if bool(self.range_params) == bool(other.range_params):
            return bool(self.range_params == other.range_params)
        return bool(self.range_params or not other.range_params)

    @cached_property
    def quality(self) -> float:
        """The 'q' weight between 0 and 1 (1 when absent or invalid)."""
        try:
            quality = float(self.params.get("q", 1))
        except ValueError:
            return 1
        if not 0 <= quality <= 1:
            return 1
        return round(quality, 3)

    @property
    def specificity(self) -> int:
        """How specific the range is: */* < type/* < type/sub < with params."""
        if self.main_type == "*":
            return 0
        if self.sub_type == "*":
            return 1
        if not self.range_params:
            return 2
        return 3


def bytes_to_text(s: Any, encoding: str) -> Any:
    """Decode bytes with ``encoding`` (replacing errors); return others as is."""
    if isinstance(s, bytes):
        return str(s, encoding, "replace")
    return s


#: The ALLOWED_HOSTS last checked against (the setting's own object and a
#: copy, to notice a list changed in place) and the hosts it was found to allow.
_valid_hosts: tuple[Any, Any, set[str]] = (None, None, set())
_VALID_HOSTS_MAX = 256
_DEBUG_ALLOWED_HOSTS = [".localhost", "127.0.0.1", "[::1]"]


def split_domain_port(host: str) -> tuple[str, str]:
    """Split a Host value into (domain, port); ('', '') if it is malformed.

    The domain is lowercased and a trailing dot removed.
    """
    if match := host_validation_re.fullmatch(host.lower()):
        domain, port = match.groups(default="")
        return domain.removesuffix("."), port
    return "", ""


def validate_host(host: str, allowed_hosts: Iterable[str]) -> bool:
    """Tell whether ``host`` matches a pattern of ``allowed_hosts`` ('*' is any)."""
    return any(
        pattern == "*" or is_same_domain(host, pattern) for pattern in allowed_hosts
    )
