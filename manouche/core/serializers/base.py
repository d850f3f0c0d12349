"""The serializer and deserializer base classes every format builds on.

A serializer walks model instances and hands each field to a format hook; a
deserializer yields ``DeserializedObject`` wrappers that save through
``save_base(raw=True)``. Nothing here parses text: formats do that, and they
must never evaluate what they read.
"""

from __future__ import annotations

import base64
import datetime
from collections.abc import Iterable, Iterator
from io import StringIO
from typing import IO, Any

from manouche.core.exceptions import ObjectDoesNotExist, ValidationError
from manouche.db import models
from manouche.utils.duration import duration_string
from manouche.utils.encoding import is_protected_type

__all__ = [
    "DeserializationError",
    "DeserializedObject",
    "Deserializer",
    "M2MDeserializationError",
    "ProgressBar",
    "SerializationError",
    "Serializer",
    "SerializerDoesNotExist",
    "build_instance",
    "deserialize_fk_value",
    "deserialize_m2m_values",
    "field_value",
]

# Marker for a relation whose target does not exist yet (forward reference).
DEFER_FIELD = object()


class SerializerDoesNotExist(KeyError):
    """The requested serialization format is not registered."""


class SerializationError(Exception):
    """Something bad happened during serialization."""


class DeserializationError(Exception):
    """The input could not be turned into model instances."""

    @classmethod
    def WithData(
        cls, original_exc: BaseException, model: str, fk: Any, field_value: Any
    ) -> DeserializationError:
        """Wrap ``original_exc`` with the model, primary key and field value."""
        return cls(f"{original_exc}: ({model}:pk={fk}) field_value was '{field_value}'")


class M2MDeserializationError(Exception):
    """A many-to-many value could not be resolved (carries the bad pk)."""

    def __init__(self, original_exc: BaseException, pk: Any) -> None:
        super().__init__(original_exc, pk)
        self.original_exc = original_exc
        self.pk = pk


class ProgressBar:
    """Draw a text progress bar of ``total_count`` steps to ``output``."""

    progress_width = 75

    def __init__(self, output: IO[str] | None, total_count: int) -> None:
        self.output = output
        self.total_count = total_count
        self.prev_done = 0

    def update(self, count: int) -> None:
        """Advance the bar to ``count`` objects."""
        if not self.output or not self.total_count:
            return
        perc = count * 100 // self.total_count
        done = perc * self.progress_width // 100
        if self.prev_done >= done:
            return
        self.prev_done = done
        cr = "" if self.total_count == 1 else "\r"
        bar = "[" + "." * done + " " * (self.progress_width - done) + "]"
        self.output.write(cr + bar)
        if done == self.progress_width:
            self.output.write("\n")
        self.output.flush()


def field_value(field: Any, obj: Any) -> Any:
    """Return ``obj``'s value of ``field`` in a serializable form.

    Numbers, Decimals and dates stay as they are (the format encodes them);
    JSON stays native, durations and bytes become text; the rest goes
    through ``value_to_string``.
    """
    value = field.value_from_object(obj)
    if is_protected_type(value):
        return value
    internal = field.get_internal_type()
    if internal == "JSONField":
        return value
    if isinstance(value, datetime.timedelta):
        return duration_string(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    return field.value_to_string(obj)


class Serializer:
    """Walk a queryset and call the format's hooks for every field."""

    internal_use_only = False
    progress_class = ProgressBar
    stream_class: type[IO[str]] = StringIO

    def __init__(self) -> None:
        self.options: dict[str, Any] = {}
        self.stream: IO[str] = StringIO()
        self.selected_fields: Iterable[str] | None = None
        self.use_natural_foreign_keys = False
        self.use_natural_primary_keys = False
        self.first = True

    def serialize(
        self,
        queryset: Iterable[Any],
        *,
        stream: IO[str] | None = None,
        fields: Iterable[str] | None = None,
        use_natural_foreign_keys: bool = False,
        use_natural_primary_keys: bool = False,
        progress_output: IO[str] | None = None,
        object_count: int = 0,
        **options: Any,
    ) -> Any:
        """Serialize ``queryset``; return the result (``getvalue()``)."""
        self.options = options
        self.stream = stream if stream is not None else self.stream_class()
        self.selected_fields = fields
        self.use_natural_foreign_keys = use_natural_foreign_keys
        self.use_natural_primary_keys = use_natural_primary_keys
        progress_bar = self.progress_class(progress_output, object_count)
        self.start_serialization()
        self.first = True
        for count, obj in enumerate(queryset, start=1):
            self._serialize_object(obj)
            progress_bar.update(count)
            self.first = False
        self.end_serialization()
        return self.getvalue()

    def _serialize_object(self, obj: Any) -> None:
        self.start_object(obj)
        concrete_model = obj._meta.concrete_model
        pk_parent = None
        if self.use_natural_primary_keys:
            pk = concrete_model._meta.pk
            pk_parent = pk if pk.remote_field and pk.remote_field.parent_link else None
        for field in concrete_model._meta.local_fields:
            if not field.serialize and field is not pk_parent:
                continue
            if not self._selected(field):
                continue
            if field.remote_field is None:
                self.handle_field(obj, field)
            else:
                self.handle_fk_field(obj, field)
        for field in concrete_model._meta.local_many_to_many:
            if not field.serialize or not self._selected(field):
                continue
            if field.remote_field.through._meta.auto_created:
                self.handle_m2m_field(obj, field)
        self.end_object(obj)

    def _selected(self, field: Any) -> bool:
        if self.selected_fields is None:
            return True
        selected = set(self.selected_fields)
        return field.name in selected or field.attname in selected

    def start_serialization(self) -> None:
        """Called once before the first object."""
        raise NotImplementedError(
            "subclasses of Serializer must provide a start_serialization() method"
        )

    def end_serialization(self) -> None:
        """Called once after the last object."""

    def start_object(self, obj: Any) -> None:
        """Called before an object's fields."""
        raise NotImplementedError(
            "subclasses of Serializer must provide a start_object() method"
        )

    def end_object(self, obj: Any) -> None:
        """Called after an object's fields."""

    def handle_field(self, obj: Any, field: Any) -> None:
        """Serialize a plain field."""
        raise NotImplementedError(
            "subclasses of Serializer must provide a handle_field() method"
        )

    def handle_fk_field(self, obj: Any, field: Any) -> None:
        """Serialize a ForeignKey or OneToOneField."""
        raise NotImplementedError(
            "subclasses of Serializer must provide a handle_fk_field() method"
        )

    def handle_m2m_field(self, obj: Any, field: Any) -> None:
        """Serialize a ManyToManyField with an auto-created through model."""
        raise NotImplementedError(
            "subclasses of Serializer must provide a handle_m2m_field() method"
        )

    def getvalue(self) -> Any:
        """Return the serialized text when the stream can give it back."""
        getvalue = getattr(self.stream, "getvalue", None)
        if callable(getvalue):
            return getvalue()
        return None


class Deserializer:
    """Iterate over ``DeserializedObject`` instances read from a stream."""

    def __init__(self, stream_or_string: Any, **options: Any) -> None:
        self.options = options
        if isinstance(stream_or_string, str):
            self.stream: Any = StringIO(stream_or_string)
        else:
            self.stream = stream_or_string

    def __iter__(self) -> Iterator[DeserializedObject]:
        return self

    def __next__(self) -> DeserializedObject:
        """Return the next object."""
        raise NotImplementedError(
            "subclasses of Deserializer must provide a __next__() method"
        )


class DeserializedObject:
    """A model instance read from serialized data, with its M2M values.

    ``save()`` writes the row with ``save_base(raw=True)`` (no parents saved
    separately, signals told the data is raw), then sets the M2M values.
    """

    def __init__(
        self,
        obj: Any,
        m2m_data: dict[str, list[Any]] | None = None,
        deferred_fields: dict[Any, Any] | None = None,
    ) -> None:
        self.object = obj
        self.m2m_data = m2m_data
        self.deferred_fields = deferred_fields

    def __repr__(self) -> str:
        return (
            f"<{self.__class__.__name__}: {self.object._meta.label}"
            f"(pk={self.object.pk})>"
        )

    def save(
        self, save_m2m: bool = True, using: str | None = None, **kwargs: Any
    ) -> None:
        """Save the instance (and its M2M data) to ``using``."""
        models.Model.save_base(self.object, using=using, raw=True, **kwargs)
        if self.m2m_data and save_m2m:
            for accessor_name, object_list in self.m2m_data.items():
                getattr(self.object, accessor_name).set(object_list)
        # The M2M data is applied; do not apply it twice.
        self.m2m_data = None

    def save_deferred_fields(self, using: str | None = None) -> None:
        """Resolve the forward references left over and save them."""
        self.m2m_data = {}
        for field, field_value in (self.deferred_fields or {}).items():
            opts = self.object._meta
            label = opts.app_label + "." + opts.model_name
            if isinstance(field.remote_field, models.ManyToManyRel):
                try:
                    values = deserialize_m2m_values(
                        field, field_value, using, handle_forward_references=False
                    )
                except M2MDeserializationError as exc:
                    raise DeserializationError.WithData(
                        exc.original_exc, label, self.object.pk, exc.pk
                    ) from None
                self.m2m_data[field.name] = values
            elif isinstance(field.remote_field, models.ManyToOneRel):
                try:
                    value = deserialize_fk_value(
                        field, field_value, using, handle_forward_references=False
                    )
                except Exception as exc:
                    raise DeserializationError.WithData(
                        exc, label, self.object.pk, field_value
                    ) from None
                setattr(self.object, field.attname, value)
        self.save()


def build_instance(model: Any, data: dict[str, Any], db: str) -> Any:
    """Build ``model(**data)``, finding the pk through the natural key if absent."""
    default_manager = model._meta.default_manager
    pk = data.get(model._meta.pk.attname)
    if (
        pk is None
        and hasattr(default_manager, "get_by_natural_key")
        and hasattr(model, "natural_key")
    ):
        obj = model(**data)
        obj._state.db = db
        natural_key = obj.natural_key()
        try:
            data[model._meta.pk.attname] = model._meta.pk.to_python(
                default_manager.db_manager(db).get_by_natural_key(*natural_key).pk
            )
        except model.DoesNotExist:
            pass
    return model(**data)


def deserialize_m2m_values(
    field: Any, field_value: Any, using: str | None, handle_forward_references: bool
) -> Any:
    """Turn a list of pks or natural keys into target pks (or DEFER_FIELD)."""
    model = field.remote_field.model
    manager = model._default_manager
    if hasattr(manager, "get_by_natural_key"):

        def m2m_convert(value: Any) -> Any:
            if hasattr(value, "__iter__") and not isinstance(value, str):
                return manager.db_manager(using).get_by_natural_key(*value).pk
            return model._meta.pk.to_python(value)

    else:

        def m2m_convert(value: Any) -> Any:
            return model._meta.pk.to_python(value)

    if not isinstance(field_value, list | tuple):
        raise M2MDeserializationError(
            TypeError(f"Expected a list of values, got {type(field_value).__name__}"),
            field_value,
        )
    values = []
    pk: Any = None
    try:
        for pk in field_value:
            values.append(m2m_convert(pk))
    except Exception as exc:
        if isinstance(exc, ObjectDoesNotExist) and handle_forward_references:
            return DEFER_FIELD
        raise M2MDeserializationError(exc, pk) from None
    return values


def deserialize_fk_value(
    field: Any, field_value: Any, using: str | None, handle_forward_references: bool
) -> Any:
    """Turn a pk, to_field value or natural key into the column value."""
    if field_value is None:
        return None
    model = field.remote_field.model
    default_manager = model._default_manager
    field_name = field.remote_field.field_name
    if (
        hasattr(default_manager, "get_by_natural_key")
        and hasattr(field_value, "__iter__")
        and not isinstance(field_value, str)
    ):
        try:
            obj = default_manager.db_manager(using).get_by_natural_key(*field_value)
        except ObjectDoesNotExist:
            if handle_forward_references:
                return DEFER_FIELD
            raise
        value = getattr(obj, field_name)
        # A key to a multi-table child's pk: use the parent's pk value.
        if model._meta.pk.remote_field:
            value = value.pk
        return value
    if isinstance(field_value, list | tuple | dict):
        raise ValidationError(
            f"{model._meta.label} has no natural key; expected a single value."
        )
    return model._meta.get_field(field_name).to_python(field_value)
