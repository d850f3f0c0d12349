"""Path converters: the ``<int:pk>`` part of a route, both ways.

A converter has a ``regex`` (what it matches), ``to_python(value)`` (raise
ValueError to reject a match, so resolution moves on to the next pattern) and
``to_url(value)`` (raise ValueError to reject a candidate in ``reverse()``).
"""

from __future__ import annotations

import functools
import uuid
from typing import Any, Protocol

__all__ = [
    "DEFAULT_CONVERTERS",
    "REGISTERED_CONVERTERS",
    "IntConverter",
    "PathConverter",
    "SlugConverter",
    "StringConverter",
    "UUIDConverter",
    "get_converter",
    "get_converters",
    "register_converter",
]


class Converter(Protocol):
    """What a path converter provides."""

    regex: str

    def to_python(self, value: str) -> Any: ...

    def to_url(self, value: Any) -> str: ...


class IntConverter:
    """Match ``0`` or a positive integer, as an ``int``."""

    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: Any) -> str:
        return str(value)


class StringConverter:
    """Match any non-empty text without a ``/``."""

    regex = "[^/]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: Any) -> str:
        return value  # type: ignore[no-any-return]


class UUIDConverter:
    """Match a lowercase, dashed UUID, as a ``uuid.UUID``."""

    regex = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"

    def to_python(self, value: str) -> uuid.UUID:
        return uuid.UUID(value)

    def to_url(self, value: Any) -> str:
        return str(value)


class SlugConverter(StringConverter):
    """Match ASCII letters, digits, hyphens and underscores."""

    regex = "[-a-zA-Z0-9_]+"


class PathConverter(StringConverter):
    """Match any non-empty text, ``/`` included."""

    regex = ".+"


DEFAULT_CONVERTERS: dict[str, Converter] = {
    "int": IntConverter(),
    "path": PathConverter(),
    "slug": SlugConverter(),
    "str": StringConverter(),
    "uuid": UUIDConverter(),
}

REGISTERED_CONVERTERS: dict[str, Converter] = {}


def register_converter(converter: type[Any], type_name: str) -> None:
    """Make ``<type_name:...>`` available in routes, using ``converter()``.

    Registering a name twice raises ValueError (Django 5.2 warns and will
    raise from 6.0; manouche has no deprecation period to honour).
    """
    if type_name in REGISTERED_CONVERTERS or type_name in DEFAULT_CONVERTERS:
        raise ValueError(f"Converter {type_name!r} is already registered.")
    REGISTERED_CONVERTERS[type_name] = converter()
    get_converters.cache_clear()

    from manouche.urls._patterns import _route_to_regex

    _route_to_regex.cache_clear()


@functools.cache
def get_converters() -> dict[str, Converter]:
    """Return every converter by name, built-in and registered."""
    return {**DEFAULT_CONVERTERS, **REGISTERED_CONVERTERS}


def get_converter(raw_converter: str) -> Converter:
    """Return the converter registered as ``raw_converter`` (KeyError if none)."""
    return get_converters()[raw_converter]
