"""Conversions between str and bytes, and between IRIs and URIs."""

from __future__ import annotations

import datetime
import decimal
from types import NoneType
from typing import Any
from urllib.parse import quote, unquote_to_bytes

from manouche.utils.functional import Promise

__all__ = [
    "DjangoUnicodeDecodeError",
    "escape_uri_path",
    "filepath_to_uri",
    "force_bytes",
    "force_str",
    "iri_to_uri",
    "is_protected_type",
    "punycode",
    "repercent_broken_unicode",
    "smart_bytes",
    "smart_str",
    "uri_to_iri",
]


class DjangoUnicodeDecodeError(UnicodeDecodeError):
    """A UnicodeDecodeError that also shows the object that failed to decode."""

    def __init__(self, obj: Any, *args: Any) -> None:
        self.obj = obj
        super().__init__(*args)

    def __str__(self) -> str:
        return f"{super().__str__()}. You passed in {self.obj!r} ({type(self.obj)})"


_PROTECTED_TYPES = (
    NoneType,
    int,
    float,
    decimal.Decimal,
    datetime.datetime,
    datetime.date,
    datetime.time,
)


def is_protected_type(obj: Any) -> bool:
    """Tell whether ``obj`` is kept as is by ``force_str(strings_only=True)``."""
    return isinstance(obj, _PROTECTED_TYPES)


def smart_str(
    s: Any, encoding: str = "utf-8", strings_only: bool = False, errors: str = "strict"
) -> Any:
    """Return ``s`` as str, keeping lazy objects lazy."""
    if isinstance(s, Promise):
        return s
    return force_str(s, encoding, strings_only, errors)


def force_str(
    s: Any, encoding: str = "utf-8", strings_only: bool = False, errors: str = "strict"
) -> Any:
    """Return ``s`` as str, forcing lazy objects; bytes are decoded."""
    if issubclass(type(s), str):
        return s
    if strings_only and is_protected_type(s):
        return s
    try:
        if isinstance(s, bytes):
            return str(s, encoding, errors)
        return str(s)
    except UnicodeDecodeError as e:
        raise DjangoUnicodeDecodeError(s, *e.args) from None


def smart_bytes(
    s: Any, encoding: str = "utf-8", strings_only: bool = False, errors: str = "strict"
) -> Any:
    """Return ``s`` as bytes, keeping lazy objects lazy."""
    if isinstance(s, Promise):
        return s
    return force_bytes(s, encoding, strings_only, errors)


def force_bytes(
    s: Any, encoding: str = "utf-8", strings_only: bool = False, errors: str = "strict"
) -> Any:
    """Return ``s`` as bytes, encoding str and forcing lazy objects."""
    if isinstance(s, bytes):
        if encoding == "utf-8":
            return s
        return s.decode("utf-8", errors).encode(encoding, errors)
    if strings_only and is_protected_type(s):
        return s
    if isinstance(s, memoryview):
        return bytes(s)
    return str(s).encode(encoding, errors)


def iri_to_uri(iri: Any) -> Any:
    """Percent-encode an IRI into a URI (RFC 3987 section 3.1)."""
    if iri is None:
        return iri
    if isinstance(iri, Promise):
        iri = str(iri)
    return quote(iri, safe="/#%[]=:;$&()+,!?*@'~")


_HEX = "0123456789ABCDEFabcdef"
_HEXTOBYTE = {
    (fst + snd).encode(): bytes.fromhex(fst + snd) for fst in _HEX for snd in _HEX
}
_UNRESERVED = frozenset(
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"
)


def uri_to_iri(uri: Any) -> Any:
    """Decode percent-encoded UTF-8 of a URI, keeping reserved characters encoded."""
    if uri is None:
        return uri
    uri = force_bytes(uri)
    bits = uri.split(b"%")
    if len(bits) == 1:
        iri = uri
    else:
        parts = [bits[0]]
        for item in bits[1:]:
            hex_ = item[:2]
            if (hex_ in _HEXTOBYTE and _HEXTOBYTE[hex_][0] >= 128) or (
                hex_ in _HEXTOBYTE and _HEXTOBYTE[hex_][0] in _UNRESERVED
            ):
                parts.append(_HEXTOBYTE[hex_])
                parts.append(item[2:])
            else:
                parts.append(b"%")
                parts.append(item)
        iri = b"".join(parts)
    return repercent_broken_unicode(iri).decode()


def escape_uri_path(path: str) -> str:
    """Percent-encode a URL path, keeping characters that are valid in a path."""
    return quote(path, safe="/:@&+$,-_.!~*'()")


def punycode(domain: str) -> str:
    """Return the IDNA ASCII form of ``domain``."""
    return domain.encode("idna").decode("ascii")


def repercent_broken_unicode(path: bytes) -> bytes:
    """Percent-encode the bytes of ``path`` that are not valid UTF-8."""
    changed_parts = []
    while True:
        try:
            path.decode()
        except UnicodeDecodeError as e:
            repercent = quote(path[e.start : e.end], safe=b"/#%[]=:;$&()+,!?*@'~")
            changed_parts.append(path[: e.start] + repercent.encode())
            path = path[e.end :]
        else:
            return b"".join(changed_parts) + path


def filepath_to_uri(path: Any) -> Any:
    """Turn a file system path into a URI-safe path."""
    if path is None:
        return path
    return quote(str(path).replace("\\", "/"), safe="/~!*()'")


def _unquote(value: str) -> bytes:
    return unquote_to_bytes(value)
