"""The field API Django code calls: column types, columns, form fields, choices.

Also the value checks fields make before a row is written (floats, decimals,
model instances) and the text lookups of UUIDField.
"""

from __future__ import annotations

import math
import os
import uuid
import warnings
from decimal import Decimal
from typing import Any

import pytest

from manouche import forms
from manouche.core.exceptions import FieldError, ValidationError
from manouche.db import connection, models
from manouche.db.models.expressions import Col
from manouche.db.models.fields.mixins import FieldCacheMixin
from manouche.db.models.functions import Lower
from manouche.test.utils import isolate_apps
from manouche.utils.deprecation import RemovedInDjango60Warning
from tests.db.conftest import DatabaseFixture
from tests.db.models.modelapp.models import Author, Book, Everything, Publisher

APP = "tests.db.models.fields.fieldsapp"

# -- column types --------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "referenced_as"),
    [
        (models.AutoField(primary_key=True), models.IntegerField()),
        (models.BigAutoField(primary_key=True), models.BigIntegerField()),
        (models.SmallAutoField(primary_key=True), models.SmallIntegerField()),
        (models.IntegerField(), models.IntegerField()),
        (models.BigIntegerField(), models.BigIntegerField()),
        (models.CharField(max_length=7), models.CharField(max_length=7)),
    ],
)
def test_rel_db_type_is_the_column_type_a_key_to_the_field_uses(
    database: DatabaseFixture, field: Any, referenced_as: Any
) -> None:
    assert field.rel_db_type(connection) == referenced_as.db_type(connection)


def test_db_type_renders_the_column_type_for_the_connection(
    database: DatabaseFixture,
) -> None:
    assert "7" in models.CharField(max_length=7).db_type(connection)
    assert models.IntegerField().db_type(connection).upper().startswith("INT")
    assert models.ManyToManyField(Author).db_type(connection) is None
    key = Book._meta.get_field("author")
    assert key.db_type(connection) == Author._meta.pk.rel_db_type(connection)
    parameters = models.TextField(db_collation="C").db_parameters(connection)
    assert parameters["collation"] == "C"
    assert parameters["type"] == models.TextField().db_type(connection)
    assert models.CharField(max_length=11).db_type_parameters(connection)[
        "max_length"
    ] == (11)
    field = models.DecimalField(max_digits=5, decimal_places=2)
    assert field.cast_db_type(connection) == field.db_type(connection)


# -- columns -----------------------------------------------------------------------


def test_get_col_is_cached_on_the_model_table_only() -> None:
    field = Author._meta.get_field("name")
    cached = field.cached_col
    assert isinstance(cached, Col)
    assert cached.target is field
    assert cached.output_field is field
    assert field.get_col(Author._meta.db_table) is cached
    assert field.get_col(Author._meta.db_table, field) is cached
    assert field.get_col("alias") is not cached
    other = models.CharField(max_length=3)
    assert field.get_col(Author._meta.db_table, other).output_field is other


def test_get_col_of_a_key_and_of_a_generated_field_output_what_they_hold() -> None:
    with isolate_apps(APP):

        class Root(models.Model):
            class Meta:
                app_label = "fieldsapp"

        class Middle(models.Model):
            root = models.ForeignKey(Root, models.CASCADE, primary_key=True)

            class Meta:
                app_label = "fieldsapp"

        class Leaf(models.Model):
            middle = models.ForeignKey(Middle, models.CASCADE, primary_key=True)
            side = models.IntegerField()
            area = models.GeneratedField(
                expression=models.F("side") * models.F("side"),
                output_field=models.FloatField(),
                db_persist=True,
            )

            class Meta:
                app_label = "fieldsapp"

        assert Leaf._meta.get_field("middle").get_col("a").output_field is (
            Root._meta.pk
        )
        area = Leaf._meta.get_field("area")
        assert isinstance(area.get_col("a").output_field, models.FloatField)
        assert isinstance(area.cached_col.output_field, models.FloatField)


def test_get_col_refuses_keys_that_point_at_each_other() -> None:
    with isolate_apps(APP):

        class Ping(models.Model):
            pong = models.ForeignKey("Pong", models.CASCADE, primary_key=True)

            class Meta:
                app_label = "fieldsapp"

        class Pong(models.Model):
            ping = models.ForeignKey(Ping, models.CASCADE, primary_key=True)

            class Meta:
                app_label = "fieldsapp"

        with pytest.raises(ValueError, match="Cannot resolve output_field"):
            Ping._meta.get_field("pong").get_col("alias")


# -- form fields --------------------------------------------------------------------


def test_formfield_of_each_family() -> None:
    char = models.CharField(max_length=12, help_text="h").formfield()
    assert isinstance(char, forms.CharField)
    assert (char.max_length, char.help_text) == (12, "h")
    assert isinstance(models.IntegerField().formfield(), forms.IntegerField)
    assert isinstance(models.BooleanField().formfield(), forms.BooleanField)
    assert isinstance(
        models.BooleanField(null=True).formfield(), forms.NullBooleanField
    )
    assert isinstance(models.DurationField().formfield(), forms.DurationField)
    assert isinstance(models.JSONField().formfield(), forms.JSONField)
    assert models.AutoField(primary_key=True).formfield() is None
    disabled = models.CharField(max_length=3).formfield(disabled=True)
    assert disabled.disabled is True
    typed = models.IntegerField(choices=[(1, "one")]).formfield()
    assert isinstance(typed, forms.TypedChoiceField)


def test_formfield_of_empty_choices_is_still_a_choice_field() -> None:
    for field in (
        models.IntegerField(choices=[]),
        models.BooleanField(choices=[]),
        models.TextField(choices=[]),
    ):
        assert isinstance(field.formfield(), forms.ChoiceField)


def test_filepathfield_formfield_lists_the_directory() -> None:
    here = os.path.dirname(__file__)
    field = models.FilePathField(path=lambda: here, match=r"^test_field_api\.py$")
    formfield = field.formfield()
    assert isinstance(formfield, forms.FilePathField)
    assert formfield.path == here
    assert [name for _, name in formfield.choices] == ["test_field_api.py"]


# -- choices --------------------------------------------------------------------------


def test_choices_assigned_later_are_normalized_and_display_keeps_unknowns() -> None:
    with isolate_apps(APP):

        class Later(models.Model):
            level = models.IntegerField(choices=(), null=True)

            class Meta:
                app_label = "fieldsapp"

        Later._meta.get_field("level").choices = {"Low": {1: "One"}, 0: "Zero"}
        assert Later(level=1).get_level_display() == "One"
        assert Later(level=0).get_level_display() == "Zero"
        assert Later(level=9).get_level_display() == 9
        assert Later(level=None).get_level_display() is None


def test_get_choices_of_a_key_and_of_its_reverse_relation(mdb: Any) -> None:
    first = Author.objects.create(name="b")
    second = Author.objects.create(name="a")
    key = Book._meta.get_field("author")
    assert key.get_choices(include_blank=False, ordering=("name",)) == [
        (second.pk, str(second)),
        (first.pk, str(first)),
    ]
    assert key.get_choices(include_blank=False, limit_choices_to={"name": "b"}) == [
        (first.pk, str(first))
    ]
    assert key.get_choices()[0] == ("", "---------")
    book = Book.objects.create(title="t", author=first)
    reverse = key.remote_field
    assert reverse.get_choices(include_blank=False) == [(book.pk, str(book))]
    assert reverse.get_choices(
        include_blank=False, limit_choices_to={"title": "x"}
    ) == ([])


# -- ordering, class-level conveniences --------------------------------------------


def test_fields_copied_from_an_abstract_model_are_ordered_by_model() -> None:
    with isolate_apps(APP):

        class Abstract(models.Model):
            value = models.IntegerField()

            class Meta:
                abstract = True
                app_label = "fieldsapp"

        class Inherit1(Abstract):
            class Meta:
                app_label = "fieldsapp"

        class Inherit2(Abstract):
            class Meta:
                app_label = "fieldsapp"

        base, first, second = (
            m._meta.get_field("value") for m in (Abstract, Inherit1, Inherit2)
        )
        assert base != first != second
        assert base < first < second
        assert not second < first
        assert models.IntegerField() < models.IntegerField()


def test_big_and_small_auto_fields_count_as_auto_fields() -> None:
    assert isinstance(models.BigAutoField(), models.AutoField)
    assert isinstance(models.SmallAutoField(), models.AutoField)
    assert not isinstance(models.IntegerField(), models.AutoField)

    class Custom(models.BigAutoField):
        pass

    assert issubclass(Custom, models.AutoField)
    assert not issubclass(models.BigIntegerField, models.AutoField)


def test_foreign_key_subscript_returns_the_class() -> None:
    assert models.ForeignKey["Author"] is models.ForeignKey


def test_related_fields_refuse_a_target_inherited_from_a_parent() -> None:
    with isolate_apps(APP):

        class Parent(models.Model):
            key = models.IntegerField(unique=True)

            class Meta:
                app_label = "fieldsapp"

        class Child(Parent):
            class Meta:
                app_label = "fieldsapp"

        class Pointer(models.Model):
            child = models.ForeignKey(Child, models.CASCADE, to_field="key")
            parent = models.ForeignKey(Parent, models.CASCADE, to_field="key")

            class Meta:
                app_label = "fieldsapp"

        message = (
            "'fieldsapp.Pointer.child' refers to field 'key' which is not local "
            "to model 'fieldsapp.Child'."
        )
        with pytest.raises(FieldError, match=message):
            _ = Pointer._meta.get_field("child").related_fields
        parent = Pointer._meta.get_field("parent")
        assert parent.related_fields == [(parent, Parent._meta.get_field("key"))]


def test_generated_field_refuses_a_database_default() -> None:
    with pytest.raises(ValueError, match="cannot have a database default"):
        models.GeneratedField(
            expression=Lower("name"),
            output_field=models.CharField(max_length=9),
            db_default="",
            db_persist=False,
        )


# -- FieldCacheMixin ---------------------------------------------------------------


class _Cached(FieldCacheMixin):
    cache_name = "example"  # type: ignore[assignment]


class _OldStyle(FieldCacheMixin):
    def get_cache_name(self) -> str:
        return "old"


def test_field_cache_mixin_stores_on_the_instance_state() -> None:
    instance, cache = Author(name="x"), _Cached()
    with pytest.raises(KeyError):
        cache.get_cached_value(instance)
    marker = object()
    assert cache.get_cached_value(instance, default=marker) is marker
    assert cache.is_cached(instance) is False
    cache.set_cached_value(instance, marker)
    assert cache.get_cached_value(instance) is marker
    assert cache.is_cached(instance) is True
    cache.delete_cached_value(instance)
    assert cache.is_cached(instance) is False


def test_field_cache_mixin_get_cache_name_is_deprecated() -> None:
    with pytest.raises(NotImplementedError):
        FieldCacheMixin().get_cache_name()
    with pytest.warns(RemovedInDjango60Warning, match="_OldStyle.cache_name") as seen:
        assert _OldStyle().cache_name == "old"
    assert seen[0].filename == __file__
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert _Cached().cache_name == "example"


# -- values written ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "error"),
    [((), TypeError), ({}, TypeError), (object(), TypeError), ("x", ValueError)],
)
def test_float_field_names_itself_in_conversion_errors(value: Any, error: Any) -> None:
    field = Author._meta.get_field("rating")
    with pytest.raises(
        error, match=f"Field 'rating' expected a number but got {value!r}"
    ):
        field.get_prep_value(value)


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, "nan", "-inf"])
def test_decimal_field_refuses_values_that_are_not_finite(mdb: Any, value: Any) -> None:
    shown = str(value)
    with pytest.raises(ValidationError, match=f"“{shown}” value must be a decimal"):
        Everything.objects.create(amount=value)
    field = Everything._meta.get_field("amount")
    assert field.to_python(1.5) == Decimal("1.5")


def test_saving_a_model_instance_into_a_plain_field_is_refused(mdb: Any) -> None:
    author = Author.objects.create(name="a")
    author.rating = author
    message = (
        "Tried to update field modelapp.Author.rating with a model instance, "
        f"{author!r}. Use a value compatible with FloatField."
    )
    with pytest.raises(
        TypeError, match=message.replace("(", r"\(").replace(")", r"\)")
    ):
        author.save()
    with pytest.raises(TypeError):
        Author(name="b", rating=Publisher(name="p")).save()


# -- UUIDField text lookups ------------------------------------------------------------


def test_uuid_text_lookups_accept_hyphens_on_every_backend(mdb: Any) -> None:
    value = uuid.UUID("550e8400-e29b-41d4-a716-446655440000")
    item = Everything.objects.create(uid=value)
    Everything.objects.create(uid=uuid.uuid4())
    found = Everything.objects.filter
    assert list(found(uid__iexact="550E8400-E29B-41D4-A716-446655440000")) == [item]
    assert list(found(uid__contains="8400-e29b")) == [item]
    assert list(found(uid__icontains="8400-E29B")) == [item]
    assert list(found(uid__startswith="550e8400-e29b-4")) == [item]
    assert list(found(uid__istartswith="550E8400-E29B-4")) == [item]
    assert list(found(uid__endswith="a716-446655440000")) == [item]
    assert list(found(uid__iendswith="A716-446655440000")) == [item]
    assert list(found(uid__exact=value)) == [item]
    without = list(found(uid__contains="8400e29b"))
    assert without == ([] if connection.features.has_native_uuid_field else [item])
