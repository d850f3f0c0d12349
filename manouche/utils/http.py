"""HTTP helpers: dates, ETags, query strings, header parameters and safe URLs."""

from __future__ import annotations

import base64
import datetime
import re
import unicodedata
from binascii import Error as BinasciiError
from collections.abc import Iterable, Iterator, Mapping
from email.utils import formatdate
from typing import Any
from urllib.parse import quote, unquote, urlsplit
from urllib.parse import urlencode as original_urlencode

from manouche.utils.datastructures import MultiValueDict

__all__ = [
    "ETAG_MATCH",
    "MAX_HEADER_LENGTH",
    "MAX_URL_LENGTH",
    "MAX_URL_REDIRECT_LENGTH",
    "RFC3986_GENDELIMS",
    "RFC3986_SUBDELIMS",
    "base36_to_int",
    "content_disposition_header",
    "escape_leading_slashes",
    "http_date",
    "int_to_base36",
    "is_same_domain",
    "parse_etags",
    "parse_header_parameters",
    "parse_http_date",
    "parse_http_date_safe",
    "quote_etag",
    "url_has_allowed_host_and_scheme",
    "urlencode",
    "urlsafe_base64_decode",
    "urlsafe_base64_encode",
]

ETAG_MATCH = re.compile(
    r"""
    \A(      # start of string and capture group
    (?:W/)?  # optional weak indicator
    "        # opening quote
    [^"]*    # any sequence of non-quote characters
    "        # end quote
    )\Z      # end of string and capture group
    """,
    re.X,
)

MONTHS = "jan feb mar apr may jun jul aug sep oct nov dec".split()  # noqa: SIM905
__D = r"(?P<day>[0-9]{2})"
__D2 = r"(?P<day>[ 0-9][0-9])"
__M = r"(?P<mon>\w{3})"
__Y = r"(?P<year>[0-9]{4})"
__Y2 = r"(?P<year>[0-9]{2})"
__T = r"(?P<hour>[0-9]{2}):(?P<min>[0-9]{2}):(?P<sec>[0-9]{2})"
RFC1123_DATE = re.compile(rf"^\w{{3}}, {__D} {__M} {__Y} {__T} GMT$")
RFC850_DATE = re.compile(rf"^\w{{6,9}}, {__D}-{__M}-{__Y2} {__T} GMT$")
ASCTIME_DATE = re.compile(rf"^\w{{3}} {__M} {__D2} {__T} {__Y}$")

RFC3986_GENDELIMS = ":/?#[]@"
RFC3986_SUBDELIMS = "!$&'()*+,;="
MAX_URL_LENGTH = 2048
# Redirect targets may legitimately carry long query strings (SSO, OAuth).
MAX_URL_REDIRECT_LENGTH = 16384
MAX_HEADER_LENGTH = 10_000


def urlencode(query: Any, doseq: bool = False) -> str:
    """Encode ``query`` like urllib's urlencode, also accepting a MultiValueDict.

    ``None`` values are refused: they would silently become the string 'None'.
    """
    if isinstance(query, MultiValueDict):
        query = query.lists()
    elif isinstance(query, Mapping):
        query = query.items()
    query_params: list[tuple[Any, Any]] = []
    for key, value in query:
        if value is None:
            raise TypeError(
                f"Cannot encode None for key '{key}' in a query string. Did you "
                "mean to pass an empty string or omit the value?"
            )
        if not doseq or isinstance(value, str | bytes):
            query_val = value
        else:
            try:
                itr = iter(value)
            except TypeError:
                query_val = value
            else:
                items = []
                for item in itr:
                    if item is None:
                        raise TypeError(
                            f"Cannot encode None for key '{key}' in a query "
                            "string. Did you mean to pass an empty string or "
                            "omit the value?"
                        )
                    items.append(item if isinstance(item, bytes) else str(item))
                query_val = items
        query_params.append((key, query_val))
    return original_urlencode(query_params, doseq)


def http_date(epoch_seconds: float | None = None) -> str:
    """Format a time as an RFC 9110 HTTP date, e.g. 'Wed, 21 Oct 2015 07:28:00 GMT'."""
    return formatdate(epoch_seconds, usegmt=True)


def parse_http_date(date: str) -> int:
    """Parse an HTTP date (RFC 1123, RFC 850 or asctime) into epoch seconds.

    Raises ValueError when the date is not in one of those formats.
    """
    for regex in (RFC1123_DATE, RFC850_DATE, ASCTIME_DATE):
        m = regex.match(date)
        if m is not None:
            break
    else:
        raise ValueError(f"{date!r} is not in a valid HTTP date format")
    try:
        year = int(m["year"])
        if year < 100:
            current_year = datetime.datetime.now(tz=datetime.UTC).year
            current_century = current_year - (current_year % 100)
            if year - (current_year % 100) > 50:
                year += current_century - 100
            else:
                year += current_century
        month = MONTHS.index(m["mon"].lower()) + 1
        day = int(m["day"])
        hour = int(m["hour"])
        minute = int(m["min"])
        sec = int(m["sec"])
        result = datetime.datetime(
            year, month, day, hour, minute, sec, tzinfo=datetime.UTC
        )
        return int(result.timestamp())
    except Exception as exc:
        raise ValueError(f"{date!r} is not a valid date") from exc


def parse_http_date_safe(date: str) -> int | None:
    """Like parse_http_date, but return None for an invalid date."""
    try:
        return parse_http_date(date)
    except Exception:
        return None


def base36_to_int(s: str) -> int:
    """Convert a base 36 string (at most 13 characters) to an int."""
    if len(s) > 13:
        raise ValueError("Base36 input too large")
    return int(s, 36)


def int_to_base36(i: int) -> str:
    """Convert a non-negative int to a base 36 string."""
    char_set = "0123456789abcdefghijklmnopqrstuvwxyz"
    if i < 0:
        raise ValueError("Negative base36 conversion input.")
    if i < 36:
        return char_set[i]
    b36 = ""
    while i != 0:
        i, n = divmod(i, 36)
        b36 = char_set[n] + b36
    return b36


def urlsafe_base64_encode(s: bytes) -> str:
    """Encode bytes as URL-safe base64 with the trailing '=' stripped."""
    return base64.urlsafe_b64encode(s).rstrip(b"\n=").decode("ascii")


def urlsafe_base64_decode(s: str | bytes) -> bytes:
    """Decode URL-safe base64 that may lack its '=' padding."""
    data = s.encode() if isinstance(s, str) else s
    try:
        return base64.urlsafe_b64decode(data.ljust(len(data) + len(data) % 4, b"="))
    except (LookupError, BinasciiError) as e:
        raise ValueError(e) from e


def parse_etags(etag_str: str) -> list[str]:
    """Parse an If-None-Match style header into a list of quoted ETags ('*' kept)."""
    if etag_str.strip() == "*":
        return ["*"]
    etag_matches = (ETAG_MATCH.match(etag.strip()) for etag in etag_str.split(","))
    return [match[1] for match in etag_matches if match]


def quote_etag(etag_str: str) -> str:
    """Quote ``etag_str`` unless it is already a valid (possibly weak) ETag."""
    if ETAG_MATCH.match(etag_str):
        return etag_str
    return f'"{etag_str}"'


def is_same_domain(host: str, pattern: str) -> bool:
    """Tell whether ``host`` matches ``pattern`` ('.example.com' covers subdomains)."""
    if not pattern:
        return False
    pattern = pattern.lower()
    return (
        pattern[0] == "." and (host.endswith(pattern) or host == pattern[1:])
    ) or pattern == host


def url_has_allowed_host_and_scheme(
    url: str | None,
    allowed_hosts: str | Iterable[str] | None,
    require_https: bool = False,
) -> bool:
    """Tell whether ``url`` is safe to redirect to.

    Only relative URLs, or absolute http/https URLs whose host is in
    ``allowed_hosts``, are safe. Always False for an empty ``url``.
    """
    if url is not None:
        url = url.strip()
    if not url:
        return False
    if allowed_hosts is None:
        allowed_hosts = set()
    elif isinstance(allowed_hosts, str):
        allowed_hosts = {allowed_hosts}
    return _url_has_allowed_host_and_scheme(
        url, allowed_hosts, require_https
    ) and _url_has_allowed_host_and_scheme(
        url.replace("\\", "/"), allowed_hosts, require_https
    )


def _url_has_allowed_host_and_scheme(
    url: str, allowed_hosts: Iterable[str], require_https: bool
) -> bool:
    # A leading '///' is read by browsers as a scheme-relative URL.
    if url.startswith("///") or len(url) > MAX_URL_LENGTH:
        return False
    try:
        url_info = urlsplit(url)
    except ValueError:
        return False
    # '//evil' without a scheme, but with a netloc, is still cross-origin.
    if not url_info.netloc and url_info.scheme:
        return False
    # Browsers ignore leading control characters, so 'http:\x01//evil' is unsafe.
    if unicodedata.category(url[0])[0] == "C":
        return False
    scheme = url_info.scheme
    if not url_info.scheme and url_info.netloc:
        scheme = "http"
    valid_schemes = ["https"] if require_https else ["http", "https"]
    return (not url_info.netloc or url_info.netloc in allowed_hosts) and (
        not scheme or scheme in valid_schemes
    )


def escape_leading_slashes(url: str) -> str:
    """Escape a leading '//' so the URL cannot be read as scheme-relative."""
    if url.startswith("//"):
        url = "/%2F{}".format(url.removeprefix("//"))
    return url


def _parseparam(s: str) -> Iterator[str]:
    while s[:1] == ";":
        s = s[1:]
        end = s.find(";")
        while end > 0 and (s.count('"', 0, end) - s.count('\\"', 0, end)) % 2:
            end = s.find(";", end + 1)
        if end < 0:
            end = len(s)
        yield s[:end].strip()
        s = s[end:]


def parse_header_parameters(
    line: str, max_length: int | None = MAX_HEADER_LENGTH
) -> tuple[str, dict[str, str]]:
    """Split a header like Content-Type into its lowercased value and parameters.

    RFC 2231 ``name*=charset'lang'value`` parameters are decoded. Lines longer
    than ``max_length`` are refused with ValueError, as parsing them costs time.
    """
    if max_length is not None and line and len(line) > max_length:
        raise ValueError("Unable to parse header parameters (value too long).")
    parts = _parseparam(";" + line)
    key = next(parts).lower()
    pdict: dict[str, str] = {}
    for p in parts:
        i = p.find("=")
        if i >= 0:
            has_encoding = False
            name = p[:i].strip().lower()
            if name.endswith("*"):
                name = name[:-1]
                if p.count("'") == 2:
                    has_encoding = True
            value = p[i + 1 :].strip()
            if len(value) >= 2 and value[0] == value[-1] == '"':
                value = value[1:-1]
                value = value.replace("\\\\", "\\").replace('\\"', '"')
            if has_encoding:
                encoding, _lang, value = value.split("'")
                try:
                    value = unquote(value, encoding=encoding)
                except LookupError:
                    value = unquote(value, encoding="latin-1")
            pdict[name] = value
    return key, pdict


def content_disposition_header(as_attachment: bool, filename: str) -> str | None:
    """Build a Content-Disposition value; non-ASCII names use RFC 6266 filename*.

    Returns None when there is neither an attachment nor a file name to give.
    """
    if as_attachment:
        disposition = "attachment"
    elif filename:
        disposition = "inline"
    else:
        return None
    if not filename:
        return disposition
    # CR, LF and other control characters could split or forge a header.
    filename = "".join(ch for ch in filename if unicodedata.category(ch)[0] != "C")
    try:
        filename.encode("ascii")
    except UnicodeEncodeError:
        return f"{disposition}; filename*=utf-8''{quote(filename)}"
    escaped = filename.replace("\\", "\\\\").replace('"', r"\"")
    return f'{disposition}; filename="{escaped}"'
