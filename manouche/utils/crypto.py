"""Cryptographic helpers: keyed hashes, random strings and constant-time checks."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from typing import Any

from manouche.utils.encoding import force_bytes

__all__ = [
    "RANDOM_STRING_CHARS",
    "InvalidAlgorithm",
    "constant_time_compare",
    "get_random_string",
    "pbkdf2",
    "salted_hmac",
]

RANDOM_STRING_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


class InvalidAlgorithm(ValueError):
    """The requested hash algorithm is not available from hashlib."""


def salted_hmac(
    key_salt: Any,
    value: Any,
    secret: Any = None,
    *,
    algorithm: str = "sha1",
) -> hmac.HMAC:
    """Return the HMAC of ``value`` keyed by a hash of ``key_salt`` and ``secret``.

    The salt keeps HMACs made for different purposes from being interchangeable.
    """
    if secret is None:
        from manouche.conf import settings

        secret = settings.SECRET_KEY
    key_salt_bytes = force_bytes(key_salt)
    secret_bytes = force_bytes(secret)
    try:
        hasher: Callable[..., Any] = getattr(hashlib, algorithm)
    except AttributeError as exc:
        raise InvalidAlgorithm(
            f"{algorithm!r} is not an algorithm accepted by the hashlib module."
        ) from exc
    key = hasher(key_salt_bytes + secret_bytes).digest()
    return hmac.new(key, msg=force_bytes(value), digestmod=hasher)


def get_random_string(length: int, allowed_chars: str = RANDOM_STRING_CHARS) -> str:
    """Return a cryptographically secure random string of ``length`` characters."""
    return "".join(secrets.choice(allowed_chars) for _ in range(length))


def constant_time_compare(val1: Any, val2: Any) -> bool:
    """Compare two strings or bytes without leaking where they differ."""
    return secrets.compare_digest(force_bytes(val1), force_bytes(val2))


def pbkdf2(
    password: Any,
    salt: Any,
    iterations: int,
    dklen: int = 0,
    digest: Callable[..., Any] | None = None,
) -> bytes:
    """Derive a key from ``password`` with PBKDF2-HMAC (SHA-256 by default)."""
    if digest is None:
        digest = hashlib.sha256
    name: str = digest().name
    return hashlib.pbkdf2_hmac(
        name, force_bytes(password), force_bytes(salt), iterations, dklen or None
    )
