"""The "jsonl" format: one JSON object per line, read and written lazily."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from manouche.core.serializers import base
from manouche.core.serializers.json import DjangoJSONEncoder, loads
from manouche.core.serializers.python import Deserializer as PythonDeserializer
from manouche.core.serializers.python import Serializer as PythonSerializer

__all__ = ["Deserializer", "Serializer"]


class Serializer(PythonSerializer):
    """Serialize a queryset to JSON Lines."""

    internal_use_only = False

    def start_serialization(self) -> None:
        """Prepare the encoder options (no indentation: one object per line)."""
        self._current = None
        self.json_kwargs = {
            key: value
            for key, value in self.options.items()
            if key not in {"stream", "fields", "indent"}
        }
        self.json_kwargs.setdefault("cls", DjangoJSONEncoder)
        self.json_kwargs.setdefault("ensure_ascii", False)

    def end_serialization(self) -> None:
        """Nothing to close."""

    def end_object(self, obj: Any) -> None:
        """Write ``obj`` on its own line."""
        json.dump(self.get_dump_object(obj), self.stream, **self.json_kwargs)
        self.stream.write("\n")
        self._current = None

    def getvalue(self) -> Any:
        """Return the text when the stream can give it back."""
        return base.Serializer.getvalue(self)


def _lines(stream_or_string: Any) -> Iterator[str]:
    if isinstance(stream_or_string, bytes):
        stream_or_string = stream_or_string.decode("utf-8-sig")
    if isinstance(stream_or_string, str):
        yield from stream_or_string.splitlines()
        return
    for line in stream_or_string:
        if isinstance(line, bytes):
            try:
                line = line.decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                raise base.DeserializationError(
                    f"The data is not UTF-8: {exc}"
                ) from exc
        yield line


def _objects(stream_or_string: Any) -> Iterable[Any]:
    for number, line in enumerate(_lines(stream_or_string), start=1):
        if not line.strip():
            continue
        try:
            yield loads(line)
        except (ValueError, RecursionError) as exc:
            raise base.DeserializationError(
                f"Invalid JSON on line {number}: {exc}"
            ) from exc


class Deserializer(PythonDeserializer):
    """Deserialize JSON Lines, one object at a time."""

    def __init__(self, stream_or_string: Any, **options: Any) -> None:
        super().__init__(_objects(stream_or_string), **options)
