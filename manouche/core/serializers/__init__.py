"""Turn model instances into text and back, by format name.

The registry maps a format name ("json", "jsonl", "python", optional "xml"
and "yaml") to a module with ``Serializer`` and ``Deserializer`` classes;
``SERIALIZATION_MODULES`` adds or replaces formats. Use::

    data = serializers.serialize("json", Author.objects.all())
    for wrapped in serializers.deserialize("json", data):
        wrapped.save()
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Iterable, Iterator
from typing import Any

from manouche.core.serializers.base import (
    DeserializationError,
    DeserializedObject,
    SerializationError,
    SerializerDoesNotExist,
)
from manouche.core.signals import setting_changed

__all__ = [
    "BUILTIN_SERIALIZERS",
    "DeserializationError",
    "DeserializedObject",
    "SerializationError",
    "SerializerDoesNotExist",
    "deserialize",
    "get_deserializer",
    "get_public_serializer_formats",
    "get_serializer",
    "get_serializer_formats",
    "register_serializer",
    "serialize",
    "sort_dependencies",
    "unregister_serializer",
]

BUILTIN_SERIALIZERS: dict[str, str] = {
    "xml": "manouche.core.serializers.xml_serializer",
    "python": "manouche.core.serializers.python",
    "json": "manouche.core.serializers.json",
    "yaml": "manouche.core.serializers.pyyaml",
    "jsonl": "manouche.core.serializers.jsonl",
}

_serializers: dict[str, Any] = {}


class BadSerializer:
    """Stand in for a format whose module failed to import; raise when used."""

    internal_use_only = False

    def __init__(self, exception: BaseException) -> None:
        self.exception = exception

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        raise self.exception


def register_serializer(
    format: str,
    serializer_module: str,
    serializers: dict[str, Any] | None = None,
) -> None:
    """Register ``serializer_module`` (a dotted path) as ``format``."""
    if serializers is None and not _serializers:
        _load_serializers()
    try:
        module: Any = importlib.import_module(serializer_module)
    except ImportError as exc:
        bad = BadSerializer(exc)
        module = type(
            "BadSerializerModule",
            (),
            {"Deserializer": bad, "Serializer": bad},
        )
    if serializers is None:
        _serializers[format] = module
    else:
        serializers[format] = module


def unregister_serializer(format: str) -> None:
    """Remove ``format`` from the registry."""
    if not _serializers:
        _load_serializers()
    if format not in _serializers:
        raise SerializerDoesNotExist(format)
    del _serializers[format]


def get_serializer(format: str) -> Any:
    """Return the Serializer class of ``format``."""
    if not _serializers:
        _load_serializers()
    if format not in _serializers:
        raise SerializerDoesNotExist(format)
    return _serializers[format].Serializer


def get_serializer_formats() -> list[str]:
    """Return every registered format name."""
    if not _serializers:
        _load_serializers()
    return list(_serializers)


def get_public_serializer_formats() -> list[str]:
    """Return the formats meant for users (not "python")."""
    if not _serializers:
        _load_serializers()
    return [
        name
        for name, module in _serializers.items()
        if not module.Serializer.internal_use_only
    ]


def get_deserializer(format: str) -> Any:
    """Return the Deserializer class of ``format``."""
    if not _serializers:
        _load_serializers()
    if format not in _serializers:
        raise SerializerDoesNotExist(format)
    return _serializers[format].Deserializer


def serialize(format: str, queryset: Iterable[Any], **options: Any) -> Any:
    """Serialize ``queryset`` to ``format``; return the text (or stream result)."""
    serializer = get_serializer(format)()
    return serializer.serialize(queryset, **options)


def deserialize(
    format: str, stream_or_string: Any, **options: Any
) -> Iterator[DeserializedObject]:
    """Iterate over the objects in ``stream_or_string``, read as ``format``."""
    deserializer = get_deserializer(format)
    result: Iterator[DeserializedObject] = deserializer(stream_or_string, **options)
    return result


def _load_serializers() -> None:
    """Fill the registry from the built-in formats and SERIALIZATION_MODULES."""
    from manouche.conf import settings

    serializers: dict[str, Any] = {}
    for format, path in BUILTIN_SERIALIZERS.items():
        if _available(path):
            register_serializer(format, path, serializers)
    for format, path in (
        getattr(settings, "SERIALIZATION_MODULES", None) or {}
    ).items():
        register_serializer(format, path, serializers)
    _serializers.clear()
    _serializers.update(serializers)


def _available(path: str) -> bool:
    """Tell whether an optional built-in format can be imported."""
    if path.endswith(".pyyaml"):
        return importlib.util.find_spec("yaml") is not None
    if path.endswith(".xml_serializer"):
        return importlib.util.find_spec(path) is not None
    return True


def sort_dependencies(
    app_list: Iterable[tuple[Any, Iterable[Any] | None]],
    allow_cycles: bool = False,
) -> list[Any]:
    """Order models so that natural-key dependencies come first."""
    from manouche.core.serializers._dependencies import sort_dependencies as sort

    return sort(app_list, allow_cycles=allow_cycles)


def _reset_registry(*, setting: str, **kwargs: Any) -> None:
    """Rebuild the registry when SERIALIZATION_MODULES changes (tests)."""
    if setting == "SERIALIZATION_MODULES":
        _serializers.clear()


setting_changed.connect(_reset_registry, dispatch_uid="manouche.core.serializers")
