"""The "json" format, and the JSON encoder for the types Django apps use.

The deserializer parses with :func:`json.loads` only (no object hooks that
could build arbitrary objects) and rejects NaN/Infinity and absurdly long
integers, so hostile input ends in a ``DeserializationError``.
"""

from __future__ import annotations

import datetime
import decimal
import json
import uuid
from collections.abc import Iterator
from typing import Any

from manouche.core.serializers import base
from manouche.core.serializers.python import Deserializer as PythonDeserializer
from manouche.core.serializers.python import Serializer as PythonSerializer
from manouche.utils.duration import duration_iso_string
from manouche.utils.functional import Promise
from manouche.utils.timezone import is_aware

__all__ = ["Deserializer", "DjangoJSONEncoder", "Serializer"]

# More digits than any database column holds: refuse rather than parse slowly.
MAX_INTEGER_DIGITS = 100


class DjangoJSONEncoder(json.JSONEncoder):
    """Also encode datetimes, dates, times, timedeltas, Decimals, UUIDs, lazy text."""

    def default(self, o: Any) -> Any:
        """Return a JSON-friendly form of ``o``."""
        if isinstance(o, datetime.datetime):
            result = o.isoformat()
            if o.microsecond:
                # Milliseconds, as ECMA-262 dates have.
                result = result[:23] + result[26:]
            if result.endswith("+00:00"):
                result = result.removesuffix("+00:00") + "Z"
            return result
        if isinstance(o, datetime.date):
            return o.isoformat()
        if isinstance(o, datetime.time):
            if is_aware(o):
                raise ValueError("JSON can't represent timezone-aware times.")
            result = o.isoformat()
            if o.microsecond:
                result = result[:12]
            return result
        if isinstance(o, datetime.timedelta):
            return duration_iso_string(o)
        if isinstance(o, decimal.Decimal | uuid.UUID | Promise):
            return str(o)
        return super().default(o)


class Serializer(PythonSerializer):
    """Serialize a queryset to a JSON array."""

    internal_use_only = False

    def _init_options(self) -> None:
        self._current = None
        self.json_kwargs = self.options.copy()
        self.json_kwargs.pop("stream", None)
        self.json_kwargs.pop("fields", None)
        if self.options.get("indent"):
            # No trailing spaces after commas when indenting.
            self.json_kwargs["separators"] = (",", ": ")
        self.json_kwargs.setdefault("cls", DjangoJSONEncoder)
        self.json_kwargs.setdefault("ensure_ascii", False)

    def start_serialization(self) -> None:
        """Open the array."""
        self._init_options()
        self.stream.write("[")

    def end_serialization(self) -> None:
        """Close the array."""
        if self.options.get("indent"):
            self.stream.write("\n")
        self.stream.write("]")
        if self.options.get("indent"):
            self.stream.write("\n")

    def end_object(self, obj: Any) -> None:
        """Write ``obj`` (after a comma unless it is the first)."""
        indent = self.options.get("indent")
        if not self.first:
            self.stream.write(",")
            if not indent:
                self.stream.write(" ")
        if indent:
            self.stream.write("\n")
        json.dump(self.get_dump_object(obj), self.stream, **self.json_kwargs)
        self._current = None

    def getvalue(self) -> Any:
        """Return the text when the stream can give it back."""
        return base.Serializer.getvalue(self)


def _parse_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INTEGER_DIGITS:
        raise ValueError(f"integer with more than {MAX_INTEGER_DIGITS} digits")
    return int(text)


def _parse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def loads(text: str | bytes) -> Any:
    """Parse JSON strictly: no NaN/Infinity, integers of bounded length."""
    return json.loads(text, parse_int=_parse_int, parse_constant=_parse_constant)


def read_text(stream_or_string: Any) -> str:
    """Return the text of a string, bytes or a (text or binary) stream."""
    data = stream_or_string
    if not isinstance(data, str | bytes):
        data = data.read()
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise base.DeserializationError(f"The data is not UTF-8: {exc}") from exc
    return str(data).removeprefix("\ufeff")


class Deserializer(PythonDeserializer):
    """Deserialize a JSON array of objects."""

    def __init__(self, stream_or_string: Any, **options: Any) -> None:
        text = read_text(stream_or_string)
        try:
            objects = loads(text)
        except (ValueError, RecursionError) as exc:
            raise base.DeserializationError(f"Invalid JSON: {exc}") from exc
        if not isinstance(objects, list):
            raise base.DeserializationError(
                f"Expected a JSON array of objects, got {type(objects).__name__}."
            )
        super().__init__(objects, **options)

    def _handle_objects(self, objects: Any) -> Iterator[Any]:
        try:
            yield from super()._handle_objects(objects)
        except (GeneratorExit, base.DeserializationError):
            raise
        except Exception as exc:
            raise base.DeserializationError(str(exc)) from exc
