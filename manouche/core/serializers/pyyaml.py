"""The "yaml" format, available when PyYAML is installed.

Reading uses YAML's *safe* loader only: a fixture can describe data, never
build arbitrary Python objects.
"""

from __future__ import annotations

import collections
import datetime
import decimal
from collections.abc import Iterator
from typing import Any

import yaml

from manouche.core.serializers import base
from manouche.core.serializers.json import read_text
from manouche.core.serializers.python import Deserializer as PythonDeserializer
from manouche.core.serializers.python import Serializer as PythonSerializer

__all__ = ["Deserializer", "DjangoSafeDumper", "Serializer"]

_SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class DjangoSafeDumper(yaml.SafeDumper):
    """A safe dumper that also writes decimals, times and ordered dicts."""


def _represent_decimal(dumper: yaml.SafeDumper, data: decimal.Decimal) -> Any:
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(data))


def _represent_ordered_dict(dumper: yaml.SafeDumper, data: dict[Any, Any]) -> Any:
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items())


def _represent_time(dumper: yaml.SafeDumper, data: datetime.time) -> Any:
    return dumper.represent_scalar("tag:yaml.org,2002:str", data.isoformat())


DjangoSafeDumper.add_representer(decimal.Decimal, _represent_decimal)
DjangoSafeDumper.add_representer(collections.OrderedDict, _represent_ordered_dict)
DjangoSafeDumper.add_representer(datetime.time, _represent_time)


class Serializer(PythonSerializer):
    """Serialize a queryset to a YAML list."""

    internal_use_only = False

    def handle_field(self, obj: Any, field: Any) -> None:
        # A TimeField's value is written as text: safe YAML has no time type.
        if field.get_internal_type() == "TimeField" and self._current is not None:
            value = getattr(obj, field.attname)
            self._current[field.name] = None if value is None else str(value)
            return
        super().handle_field(obj, field)

    def end_serialization(self) -> None:
        self.options.setdefault("allow_unicode", True)
        options = {
            key: value
            for key, value in self.options.items()
            if key not in {"stream", "fields", "use_natural_foreign_keys"}
            and key not in {"use_natural_primary_keys", "progress_output"}
            and key not in {"object_count", "handle_forward_references"}
        }
        yaml.dump(self.objects, self.stream, Dumper=DjangoSafeDumper, **options)

    def getvalue(self) -> Any:
        return base.Serializer.getvalue(self)


class Deserializer(PythonDeserializer):
    """Deserialize a YAML list of objects (safe loader only)."""

    def __init__(self, stream_or_string: Any, **options: Any) -> None:
        text = read_text(stream_or_string)
        try:
            objects = yaml.load(text, Loader=_SafeLoader)
        except yaml.YAMLError as exc:
            raise base.DeserializationError(f"Invalid YAML: {exc}") from exc
        if objects is None:
            objects = []
        if not isinstance(objects, list):
            raise base.DeserializationError(
                f"Expected a YAML list of objects, got {type(objects).__name__}."
            )
        super().__init__(objects, **options)

    def _handle_objects(self, objects: Any) -> Iterator[Any]:
        try:
            yield from super()._handle_objects(objects)
        except (GeneratorExit, base.DeserializationError):
            raise
        except Exception as exc:
            raise base.DeserializationError(str(exc)) from exc
