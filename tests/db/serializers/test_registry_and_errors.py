"""The format registry, and hostile input ending in DeserializationError."""

from __future__ import annotations

import io
from typing import Any

import pytest

from manouche.core import serializers
from manouche.core.serializers import base
from manouche.test.utils import override_settings
from tests.db.conftest import DatabaseFixture
from tests.db.models.modelapp.models import Tag


def test_builtin_formats_are_registered() -> None:
    formats = serializers.get_serializer_formats()
    assert {"json", "jsonl", "python"} <= set(formats)
    public = serializers.get_public_serializer_formats()
    assert "python" not in public
    assert {"json", "jsonl"} <= set(public)


def test_unknown_format_raises_serializer_does_not_exist() -> None:
    with pytest.raises(serializers.SerializerDoesNotExist):
        serializers.get_serializer("nope")
    with pytest.raises(serializers.SerializerDoesNotExist):
        serializers.get_deserializer("nope")
    with pytest.raises(serializers.SerializerDoesNotExist):
        serializers.unregister_serializer("nope")


def test_register_and_unregister_a_format() -> None:
    serializers.register_serializer("json2", "manouche.core.serializers.json")
    try:
        assert serializers.get_serializer("json2") is serializers.get_serializer("json")
    finally:
        serializers.unregister_serializer("json2")
    assert "json2" not in serializers.get_serializer_formats()


def test_serialization_modules_setting_adds_formats() -> None:
    modules = {"lines": "manouche.core.serializers.jsonl"}
    with override_settings(SERIALIZATION_MODULES=modules):
        assert "lines" in serializers.get_serializer_formats()
    assert "lines" not in serializers.get_serializer_formats()


def test_a_broken_format_module_fails_when_used() -> None:
    with (
        override_settings(SERIALIZATION_MODULES={"bad": "no.such.module"}),
        pytest.raises(ImportError),
    ):
        serializers.serialize("bad", [])


def test_serialize_to_a_stream_and_progress() -> None:
    stream, progress = io.StringIO(), io.StringIO()
    tags = [Tag(pk=1, name="a"), Tag(pk=2, name="b")]
    serializers.serialize(
        "json", tags, stream=stream, progress_output=progress, object_count=2
    )
    assert stream.getvalue().startswith('[{"model": "modelapp.tag", "pk": 1')
    assert progress.getvalue().endswith("." * 75 + "]\n")


HOSTILE = [
    ("json", "[{", "Invalid JSON"),
    ("json", '{"model": "modelapp.tag"}', "Expected a JSON array"),
    ("json", "[1]", "Object #1 is a int"),
    ("json", '[{"model": "nope.thing", "fields": {}}]', "Invalid model identifier"),
    ("json", '[{"model": 7, "fields": {}}]', "Invalid model identifier"),
    ("json", '[{"model": "modelapp.tag", "fields": []}]', "must be a mapping"),
    (
        "json",
        '[{"model": "modelapp.tag", "fields": {"colour": "red"}}]',
        "has no field named 'colour'",
    ),
    (
        "json",
        '[{"model": "modelapp.author", "pk": 1, "fields": {"age": "old"}}]',
        "(modelapp.author:pk=1) field_value was 'old'",
    ),
    ("json", '[{"model": "modelapp.author", "pk": "x"}]', "modelapp.author:pk=x"),
    ("json", "[" + "1" * 500 + "]", "more than 100 digits"),
    ("json", '[{"model": "modelapp.author", "pk": NaN}]', "NaN is not valid JSON"),
    ("json", "[" * 100000, "Invalid JSON"),
    ("json", b"\xff\xfe", "not UTF-8"),
    (
        "json",
        '[{"model": "modelapp.book", "pk": 1, "fields": {"tags": 3}}]',
        "Expected a list of values",
    ),
    (
        "json",
        '[{"model": "modelapp.book", "pk": 1, "fields": {"author": [1]}}]',
        "has no natural key",
    ),
    (
        "json",
        '[{"model": "modelapp.tag", "pk": 1, "fields": {"name": {"__class__": 1}}}]',
        "dict is not a valid value",
    ),
    ("jsonl", '{"model": "modelapp.tag"}\n{oops', "Invalid JSON on line 2"),
    ("python", "not a list", "Expected a list of objects"),
    ("xml", "<django-objects><object", "Invalid XML"),
    (
        "xml",
        '<!DOCTYPE x [<!ENTITY a "aaaa">]><django-objects/>',
        "DTD forbidden",
    ),
    (
        "xml",
        '<django-objects><object model="modelapp.tag" pk="1"><field name="name">'
        "&ext;</field></object></django-objects>",
        "Invalid XML",
    ),
    ("xml", "<django-objects><object pk='1'/></django-objects>", "'model' attribute"),
    (
        "xml",
        '<django-objects><object model="modelapp.author" pk="1">'
        '<field name="age" type="IntegerField">old</field></object></django-objects>',
        "field_value was 'old'",
    ),
]


@pytest.mark.parametrize(("format", "data", "message"), HOSTILE)
def test_hostile_input_raises_deserialization_error(
    format: str, data: Any, message: str
) -> None:
    with pytest.raises(base.DeserializationError) as info:
        list(serializers.deserialize(format, data))
    assert message in str(info.value)


@pytest.mark.parametrize("_fixture_database", ["sqlite"], indirect=True)
def test_unknown_models_and_fields_can_be_ignored(fdb: DatabaseFixture) -> None:
    data = (
        '[{"model": "gone.model", "fields": {}},'
        ' {"model": "modelapp.tag", "pk": 3, "fields": {"name": "a", "old": 1}}]'
    )
    objects = list(serializers.deserialize("json", data, ignorenonexistent=True))
    assert [o.object.name for o in objects] == ["a"]


def test_deserialization_error_with_data() -> None:
    error = base.DeserializationError.WithData(ValueError("bad"), "app.m", 3, "x")
    assert str(error) == "bad: (app.m:pk=3) field_value was 'x'"
