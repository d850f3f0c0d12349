"""Cryptographic signing: tamper-proof values for cookies, URLs and tokens.

Signatures are HMACs keyed by SECRET_KEY (and, for verification only, the keys
in SECRET_KEY_FALLBACKS); the payload itself is readable, not encrypted.
"""

from __future__ import annotations

import base64
import datetime
import json
import re
import time
import zlib
from collections.abc import Sequence
from typing import Any

from manouche.conf import settings
from manouche.utils.crypto import constant_time_compare, salted_hmac
from manouche.utils.module_loading import import_string

__all__ = [
    "BadSignature",
    "JSONSerializer",
    "SignatureExpired",
    "Signer",
    "TimestampSigner",
    "b62_decode",
    "b62_encode",
    "b64_decode",
    "b64_encode",
    "base64_hmac",
    "dumps",
    "get_cookie_signer",
    "loads",
]

_SEP_UNSAFE = re.compile(r"^[A-z0-9-_=]*$")
BASE62_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


class BadSignature(Exception):
    """The signature does not match the value."""


class SignatureExpired(BadSignature):
    """The signature is valid but older than the allowed max_age."""


def b62_encode(s: int) -> str:
    """Encode an integer in base 62 (used for compact timestamps)."""
    if s == 0:
        return "0"
    sign = "-" if s < 0 else ""
    s = abs(s)
    encoded = ""
    while s > 0:
        s, remainder = divmod(s, 62)
        encoded = BASE62_ALPHABET[remainder] + encoded
    return sign + encoded


def b62_decode(s: str) -> int:
    """Decode a base 62 string produced by b62_encode."""
    if s == "0":
        return 0
    sign = 1
    if s[0] == "-":
        s = s[1:]
        sign = -1
    decoded = 0
    for digit in s:
        decoded = decoded * 62 + BASE62_ALPHABET.index(digit)
    return sign * decoded


def b64_encode(s: bytes) -> bytes:
    """URL-safe base64 without the '=' padding."""
    return base64.urlsafe_b64encode(s).strip(b"=")


def b64_decode(s: bytes) -> bytes:
    """Decode URL-safe base64 whose padding was stripped."""
    pad = b"=" * (-len(s) % 4)
    return base64.urlsafe_b64decode(s + pad)


def base64_hmac(salt: str, value: Any, key: Any, algorithm: str = "sha1") -> str:
    """Return the URL-safe base64 HMAC of ``value``."""
    return b64_encode(
        salted_hmac(salt, value, key, algorithm=algorithm).digest()
    ).decode()


def get_cookie_signer(salt: str = "manouche.core.signing.get_cookie_signer") -> Any:
    """Return the SIGNING_BACKEND signer used for signed cookies."""
    signer = import_string(settings.SIGNING_BACKEND)
    return signer(
        key=settings.SECRET_KEY,
        fallback_keys=settings.SECRET_KEY_FALLBACKS,
        salt=salt,
    )


class JSONSerializer:
    """Serialise to compact JSON bytes (never pickle: payloads come from clients)."""

    def dumps(self, obj: Any) -> bytes:
        """Return ``obj`` as compact JSON bytes."""
        return json.dumps(obj, separators=(",", ":")).encode("latin-1")

    def loads(self, data: bytes) -> Any:
        """Parse JSON bytes."""
        return json.loads(data.decode("latin-1"))


def dumps(
    obj: Any,
    key: Any = None,
    salt: str = "manouche.core.signing",
    serializer: type = JSONSerializer,
    compress: bool = False,
) -> str:
    """Return a URL-safe, signed, timestamped serialisation of ``obj``."""
    return TimestampSigner(key=key, salt=salt).sign_object(
        obj, serializer=serializer, compress=compress
    )


def loads(
    s: str,
    key: Any = None,
    salt: str = "manouche.core.signing",
    serializer: type = JSONSerializer,
    max_age: int | float | datetime.timedelta | None = None,
    fallback_keys: Sequence[Any] | None = None,
) -> Any:
    """Reverse dumps(); raise BadSignature (or SignatureExpired) on failure."""
    return TimestampSigner(
        key=key, salt=salt, fallback_keys=fallback_keys
    ).unsign_object(s, serializer=serializer, max_age=max_age)


class Signer:
    """Append a keyed signature to a string, and check it again."""

    def __init__(
        self,
        *,
        key: Any = None,
        sep: str = ":",
        salt: str | None = None,
        algorithm: str | None = None,
        fallback_keys: Sequence[Any] | None = None,
    ) -> None:
        self.key = key or settings.SECRET_KEY
        self.fallback_keys = (
            fallback_keys
            if fallback_keys is not None
            else settings.SECRET_KEY_FALLBACKS
        )
        self.sep = sep
        self.salt = salt or f"{self.__class__.__module__}.{self.__class__.__name__}"
        self.algorithm = algorithm or "sha256"
        if _SEP_UNSAFE.match(self.sep):
            raise ValueError(
                f"Unsafe Signer separator: {sep!r} (cannot be empty or consist of "
                "only A-z0-9-_=)",
            )

    def signature(self, value: Any, key: Any = None) -> str:
        """Return the signature of ``value`` under ``key`` (the main key)."""
        key = key or self.key
        return base64_hmac(self.salt + "signer", value, key, algorithm=self.algorithm)

    def sign(self, value: Any) -> str:
        """Return ``value`` followed by the separator and its signature."""
        return f"{value}{self.sep}{self.signature(value)}"

    def unsign(self, signed_value: str) -> str:
        """Return the original value if the signature matches any key."""
        if self.sep not in signed_value:
            raise BadSignature(f'No "{self.sep}" found in value')
        value, sig = signed_value.rsplit(self.sep, 1)
        for key in [self.key, *self.fallback_keys]:
            if constant_time_compare(sig, self.signature(value, key)):
                return value
        raise BadSignature(f'Signature "{sig}" does not match')

    def sign_object(
        self, obj: Any, serializer: type = JSONSerializer, compress: bool = False
    ) -> str:
        """Serialise, optionally compress, base64 and sign ``obj``.

        A leading '.' on the payload marks it as zlib-compressed.
        """
        data = serializer().dumps(obj)
        is_compressed = False
        if compress:
            compressed = zlib.compress(data)
            if len(compressed) < (len(data) - 1):
                data = compressed
                is_compressed = True
        base64d = b64_encode(data).decode()
        if is_compressed:
            base64d = "." + base64d
        return self.sign(base64d)

    def unsign_object(
        self, signed_obj: str, serializer: type = JSONSerializer, **kwargs: Any
    ) -> Any:
        """Check the signature, then decode what sign_object() produced."""
        base64d = self.unsign(signed_obj, **kwargs).encode()
        decompress = base64d[:1] == b"."
        if decompress:
            base64d = base64d[1:]
        data = b64_decode(base64d)
        if decompress:
            data = zlib.decompress(data)
        return serializer().loads(data)


class TimestampSigner(Signer):
    """A Signer that also signs the time of signing, to allow max_age checks."""

    def timestamp(self) -> str:
        """Return the current time in base 62."""
        return b62_encode(int(time.time()))

    def sign(self, value: Any) -> str:
        """Sign ``value`` together with the current timestamp."""
        return super().sign(f"{value}{self.sep}{self.timestamp()}")

    def unsign(
        self,
        value: str,
        max_age: int | float | datetime.timedelta | None = None,
    ) -> str:
        """Check the signature and, with ``max_age`` (seconds), its age."""
        result = super().unsign(value)
        value, timestamp = result.rsplit(self.sep, 1)
        try:
            ts = b62_decode(timestamp)
        except ValueError as exc:
            raise BadSignature("Invalid timestamp") from exc
        if max_age is not None:
            if isinstance(max_age, datetime.timedelta):
                max_age = max_age.total_seconds()
            age = time.time() - ts
            if age > max_age:
                raise SignatureExpired(f"Signature age {age} > {max_age} seconds")
        return value
