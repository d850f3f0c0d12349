"""GeneratedField: DDL per backend, values read back after save, filters."""

from __future__ import annotations

from typing import Any

import pytest

from manouche.core.exceptions import FieldError, ValidationError
from manouche.db import NotSupportedError, models
from manouche.db.models import F, GeneratedField, Q
from manouche.db.models.functions import Lower
from manouche.test.utils import isolate_apps
from tests.db.conftest import DatabaseFixture

with isolate_apps("tests.db.models.fields.fieldsapp"):

    class Rectangle(models.Model):
        width = models.IntegerField()
        height = models.IntegerField()
        label = models.CharField(max_length=30)
        area = GeneratedField(
            expression=F("width") * F("height"),
            output_field=models.IntegerField(),
            db_persist=True,
        )
        lowered = GeneratedField(
            expression=Lower("label"),
            output_field=models.CharField(max_length=30),
            db_persist=True,
        )

        class Meta:
            app_label = "fieldsapp"

    class VirtualSum(models.Model):
        a = models.IntegerField()
        b = models.IntegerField()
        total = GeneratedField(
            expression=F("a") + F("b"),
            output_field=models.IntegerField(),
            db_persist=False,
        )

        class Meta:
            app_label = "fieldsapp"


def _rectangle(width: int = 2, height: int = 3, label: str = "Box") -> Any:
    return Rectangle.objects.create(width=width, height=height, label=label)


def test_value_is_read_back_after_insert(database: DatabaseFixture) -> None:
    database.create_models(Rectangle)
    rectangle = _rectangle(label="MiXeD")
    assert rectangle.area == 6
    assert rectangle.lowered == "mixed"


def test_value_is_read_back_after_update(database: DatabaseFixture) -> None:
    database.create_models(Rectangle)
    rectangle = _rectangle()
    rectangle.width = 10
    rectangle.save()
    assert rectangle.area == 30
    assert Rectangle.objects.get(pk=rectangle.pk).area == 30


def test_filters_orders_and_values_use_the_column(database: DatabaseFixture) -> None:
    database.create_models(Rectangle)
    _rectangle(1, 1, "A")
    _rectangle(4, 5, "B")
    _rectangle(3, 3, "C")
    assert list(
        Rectangle.objects.filter(area__gt=5)
        .order_by("-area")
        .values_list("label", flat=True)
    ) == ["B", "C"]
    assert Rectangle.objects.filter(lowered__startswith="b").count() == 1
    assert Rectangle.objects.filter(area=F("width") * F("height")).count() == 3


def test_queryset_update_refreshes_the_stored_value(database: DatabaseFixture) -> None:
    database.create_models(Rectangle)
    rectangle = _rectangle()
    Rectangle.objects.update(height=F("height") + 1)
    rectangle.refresh_from_db()
    assert rectangle.area == 8


def test_virtual_columns_outside_postgresql(database: DatabaseFixture) -> None:
    if database.vendor == "postgresql":
        with pytest.raises(NotSupportedError, match="db_persist=True"):
            database.create_models(VirtualSum)
        return
    database.create_models(VirtualSum)
    row = VirtualSum.objects.create(a=2, b=5)
    assert row.total == 7
    assert list(VirtualSum.objects.filter(total=7)) == [row]


def test_generated_field_cannot_be_assigned(database: DatabaseFixture) -> None:
    database.create_models(Rectangle)
    rectangle = _rectangle()
    with pytest.raises(AttributeError, match="Cannot assign to the generated field"):
        rectangle.area = 1
    with pytest.raises(FieldError, match="Cannot update the generated field"):
        Rectangle.objects.update(area=1)
    with pytest.raises(ValueError, match="generated fields"):
        Rectangle.objects.bulk_update([rectangle], ["area"])


def test_unsaved_instance_cannot_read_it() -> None:
    with pytest.raises(AttributeError, match="unsaved model"):
        _ = Rectangle(width=1, height=2).area


def test_bulk_create_leaves_it_to_the_database(database: DatabaseFixture) -> None:
    database.create_models(Rectangle)
    Rectangle.objects.bulk_create(
        [
            Rectangle(width=2, height=2, label="x"),
            Rectangle(width=3, height=2, label="y"),
        ]
    )
    assert sorted(Rectangle.objects.values_list("area", flat=True)) == [4, 6]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"db_persist": None}, "db_persist must be True or False"),
        ({"db_persist": True, "editable": True}, "cannot be editable"),
        ({"db_persist": True, "default": 1}, "cannot have a default"),
        ({"db_persist": True, "db_default": 1}, "cannot have a database default"),
    ],
)
def test_bad_options_are_refused(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        GeneratedField(expression=F("a"), output_field=models.IntegerField(), **kwargs)


def test_expression_and_output_field_are_checked() -> None:
    with pytest.raises(TypeError, match="must be an expression"):
        GeneratedField(
            expression="a", output_field=models.IntegerField(), db_persist=True
        )
    with pytest.raises(TypeError, match="must be a model field"):
        GeneratedField(expression=F("a"), output_field=int, db_persist=True)  # type: ignore[arg-type]


def test_deconstruct_round_trips() -> None:
    field = Rectangle._meta.get_field("area")
    name, path, args, kwargs = field.deconstruct()
    assert (name, path, args) == ("area", "manouche.db.models.GeneratedField", [])
    assert kwargs["db_persist"] is True
    assert kwargs["expression"] is field.expression
    assert isinstance(kwargs["output_field"], models.IntegerField)
    rebuilt = GeneratedField(**kwargs)
    assert rebuilt.db_persist is True
    assert not rebuilt.editable
    assert rebuilt.get_internal_type() == "IntegerField"


def test_full_clean_skips_the_generated_value(database: DatabaseFixture) -> None:
    database.create_models(Rectangle)
    rectangle = _rectangle()
    rectangle.full_clean()


async def test_async_save_reads_the_value_back(database: DatabaseFixture) -> None:
    database.create_models(Rectangle)
    rectangle = await Rectangle.objects.acreate(width=3, height=4, label="A")
    assert rectangle.area == 12
    rectangle.height = 5
    await rectangle.asave()
    assert rectangle.area == 15


def test_check_constraint_computes_the_value_of_an_unsaved_instance(
    database: DatabaseFixture,
) -> None:
    database.create_models(Rectangle)
    constraint = models.CheckConstraint(condition=Q(area__lte=100), name="small")
    constraint.validate(Rectangle, Rectangle(width=2, height=3, label="a"))
    large = Rectangle(width=20, height=10, label="a")
    with pytest.raises(ValidationError, match="Constraint “small” is violated."):
        constraint.validate(Rectangle, large)
    # Leaving out the generated field, or a field it is computed from, skips it.
    constraint.validate(Rectangle, large, exclude={"area"})
    constraint.validate(Rectangle, large, exclude={"width"})


def test_unique_constraint_compares_the_computed_value(
    database: DatabaseFixture,
) -> None:
    database.create_models(Rectangle)
    _rectangle(label="Box")
    constraint = models.UniqueConstraint(fields=["lowered"], name="unique_lowered")
    constraint.validate(Rectangle, Rectangle(width=1, height=1, label="Case"))
    clash = Rectangle(width=1, height=1, label="BOX")
    with pytest.raises(ValidationError, match="Rectangle with this Lowered already"):
        constraint.validate(Rectangle, clash)
    constraint.validate(Rectangle, clash, exclude={"lowered"})
    constraint.validate(Rectangle, clash, exclude={"label"})
