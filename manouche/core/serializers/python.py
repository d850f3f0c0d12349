"""The "python" format: lists of plain dicts, the base of the text formats.

Each object is ``{"model": "app.model", "pk": ..., "fields": {...}}``. The
deserializer accepts only that shape and reports anything else as a
``DeserializationError`` naming the model, pk and field.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from manouche.apps import apps
from manouche.core.exceptions import FieldDoesNotExist
from manouche.core.serializers import base
from manouche.core.serializers._dependencies import sort_by_relations
from manouche.db import DEFAULT_DB_ALIAS, models

__all__ = ["Deserializer", "Serializer"]


class Serializer(base.Serializer):
    """Serialize a queryset to a list of dicts."""

    internal_use_only = True

    def start_serialization(self) -> None:
        """Start an empty object list."""
        self._current: dict[str, Any] | None = None
        self.objects: list[dict[str, Any]] = []

    def end_serialization(self) -> None:
        """Nothing to close for plain Python data."""

    def start_object(self, obj: Any) -> None:
        """Start collecting ``obj``'s fields."""
        self._current = {}

    def end_object(self, obj: Any) -> None:
        """Append the finished object."""
        self.objects.append(self.get_dump_object(obj))
        self._current = None

    def get_dump_object(self, obj: Any) -> dict[str, Any]:
        """Return the dict written for ``obj``."""
        # A proxy's rows are its concrete model's rows.
        data: dict[str, Any] = {"model": obj._meta.concrete_model._meta.label_lower}
        if not self.use_natural_primary_keys or not hasattr(obj, "natural_key"):
            data["pk"] = self._value_from_field(obj, obj._meta.pk)
        data["fields"] = self._current
        return data

    def _value_from_field(self, obj: Any, field: Any) -> Any:
        return base.field_value(field, obj)

    def handle_field(self, obj: Any, field: Any) -> None:
        """Store a plain field's value."""
        assert self._current is not None
        self._current[field.name] = self._value_from_field(obj, field)

    def handle_fk_field(self, obj: Any, field: Any) -> None:
        """Store a key's value, or the target's natural key when asked."""
        assert self._current is not None
        if self.use_natural_foreign_keys and hasattr(
            field.remote_field.model, "natural_key"
        ):
            related = getattr(obj, field.name)
            value = list(related.natural_key()) if related is not None else None
        else:
            value = self._value_from_field(obj, field)
        self._current[field.name] = value

    def handle_m2m_field(self, obj: Any, field: Any) -> None:
        """Store the related objects' pks (or natural keys)."""
        assert self._current is not None
        target = field.remote_field.model
        if self.use_natural_foreign_keys and hasattr(target, "natural_key"):

            def convert(value: Any) -> Any:
                return list(value.natural_key())

            queryset = getattr(obj, field.name).all()
        else:
            pk_field = target._meta.pk

            def convert(value: Any) -> Any:
                return base.field_value(pk_field, value)

            queryset = getattr(obj, field.name).all().only("pk")
        self._current[field.name] = [convert(related) for related in queryset]

    def getvalue(self) -> list[dict[str, Any]]:
        """Return the list of dicts."""
        return self.objects


class Deserializer(base.Deserializer):
    """Turn a list of dicts into ``DeserializedObject`` instances."""

    def __init__(
        self,
        object_list: Any,
        *,
        using: str = DEFAULT_DB_ALIAS,
        ignorenonexistent: bool = False,
        handle_forward_references: bool = False,
        **options: Any,
    ) -> None:
        super().__init__(object_list, **options)
        self.using = using
        self.ignorenonexistent = ignorenonexistent
        self.handle_forward_references = handle_forward_references
        self.field_names_cache: dict[Any, set[str]] = {}
        if not isinstance(object_list, Iterable) or isinstance(
            object_list, str | bytes | dict
        ):
            raise base.DeserializationError(
                f"Expected a list of objects, got {type(object_list).__name__}."
            )
        if options.get("dependency_order"):
            object_list = _in_dependency_order(list(object_list))
        self._iterator = self._handle_objects(object_list)

    def __next__(self) -> base.DeserializedObject:
        """Return the next object (raising DeserializationError on bad data)."""
        result: base.DeserializedObject = next(self._iterator)
        return result

    def _handle_objects(self, objects: Iterable[Any]) -> Iterator[Any]:
        for index, data in enumerate(objects):
            obj = self._handle_object(index, data)
            if obj is not None:
                yield obj

    def _handle_object(self, index: int, data: Any) -> base.DeserializedObject | None:
        if not isinstance(data, dict):
            raise base.DeserializationError(
                f"Object #{index + 1} is a {type(data).__name__}, expected a "
                "mapping with 'model' and 'fields'."
            )
        try:
            model = _get_model(data.get("model"))
        except base.DeserializationError:
            if self.ignorenonexistent:
                return None
            raise
        fields = data.get("fields", {})
        if not isinstance(fields, dict):
            raise base.DeserializationError(
                f"The 'fields' of object #{index + 1} ({model._meta.label_lower}) "
                "must be a mapping."
            )
        label = model._meta.label_lower
        values: dict[str, Any] = {}
        if "pk" in data:
            try:
                values[model._meta.pk.attname] = model._meta.pk.to_python(
                    data.get("pk")
                )
            except Exception as exc:
                raise base.DeserializationError.WithData(
                    exc, label, data.get("pk"), None
                ) from exc
        m2m_data: dict[str, Any] = {}
        deferred: dict[Any, Any] = {}
        if self.ignorenonexistent and model not in self.field_names_cache:
            self.field_names_cache[model] = {f.name for f in model._meta.get_fields()}
        for field_name, field_value in fields.items():
            self._handle_field(
                model, data, field_name, field_value, values, m2m_data, deferred
            )
        try:
            obj = base.build_instance(model, values, self.using)
        except Exception as exc:
            raise base.DeserializationError(
                f"{exc}: ({label}:pk={data.get('pk')}) could not be built"
            ) from exc
        return base.DeserializedObject(obj, m2m_data, deferred)

    def _handle_field(
        self,
        model: Any,
        data: dict[str, Any],
        field_name: Any,
        field_value: Any,
        values: dict[str, Any],
        m2m_data: dict[str, Any],
        deferred: dict[Any, Any],
    ) -> None:
        label = model._meta.label_lower
        if self.ignorenonexistent and field_name not in self.field_names_cache[model]:
            return
        try:
            field = model._meta.get_field(field_name)
        except (FieldDoesNotExist, TypeError):
            raise base.DeserializationError(
                f"{label} has no field named {field_name!r} (pk={data.get('pk')})."
            ) from None
        if not getattr(field, "concrete", False) and not field.many_to_many:
            raise base.DeserializationError(
                f"{label}.{field_name} cannot be loaded (pk={data.get('pk')})."
            )
        remote = getattr(field, "remote_field", None)
        if remote is not None and isinstance(remote, models.ManyToManyRel):
            try:
                result = base.deserialize_m2m_values(
                    field, field_value, self.using, self.handle_forward_references
                )
            except base.M2MDeserializationError as exc:
                raise base.DeserializationError.WithData(
                    exc.original_exc, label, data.get("pk"), exc.pk
                ) from exc
            if result is base.DEFER_FIELD:
                deferred[field] = field_value
            else:
                m2m_data[field.name] = result
        elif remote is not None and isinstance(remote, models.ManyToOneRel):
            try:
                result = base.deserialize_fk_value(
                    field, field_value, self.using, self.handle_forward_references
                )
            except Exception as exc:
                raise base.DeserializationError.WithData(
                    exc, label, data.get("pk"), field_value
                ) from exc
            if result is base.DEFER_FIELD:
                deferred[field] = field_value
            else:
                values[field.attname] = result
        else:
            try:
                values[field.attname] = _to_python(field, field_value)
            except Exception as exc:
                raise base.DeserializationError.WithData(
                    exc, label, data.get("pk"), field_value
                ) from exc


def _to_python(field: Any, value: Any) -> Any:
    """Convert one scalar value, refusing containers where a scalar belongs."""
    if field.get_internal_type() == "JSONField":
        return field.to_python(value)
    if isinstance(value, list | dict):
        raise ValueError(
            f"{type(value).__name__} is not a valid value for {field.name}"
        )
    return field.to_python(value)


def _in_dependency_order(objects: list[Any]) -> list[Any]:
    """Stable-sort raw objects so rows referenced by keys come first.

    loaddata asks for this so databases that check keys row by row
    (PostgreSQL) accept fixtures written in any model order. Entries that
    name no model stay first, so their error is reported first.
    """
    found: dict[Any, Any] = {}
    for data in objects:
        label = data.get("model") if isinstance(data, dict) else None
        if isinstance(label, str) and label not in found:
            try:
                found[label] = apps.get_model(label)._meta.concrete_model
            except (LookupError, ValueError):
                found[label] = None
    order = {
        model: index
        for index, model in enumerate(
            sort_by_relations(m for m in found.values() if m is not None)
        )
    }

    def position(data: Any) -> int:
        label = data.get("model") if isinstance(data, dict) else None
        model = found.get(label) if isinstance(label, str) else None
        return -1 if model is None else order[model]

    return sorted(objects, key=position)


def _get_model(model_identifier: Any) -> Any:
    """Return the model for ``"app_label.model_name"`` or raise clearly."""
    if not isinstance(model_identifier, str):
        raise base.DeserializationError(
            f"Invalid model identifier: '{model_identifier}'"
        )
    try:
        return apps.get_model(model_identifier)
    except (LookupError, TypeError, ValueError):
        raise base.DeserializationError(
            f"Invalid model identifier: '{model_identifier}'"
        ) from None
