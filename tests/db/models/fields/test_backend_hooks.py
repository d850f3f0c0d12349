"""Field values through backend hooks; UUID keys and lookups; generated columns."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

import pytest

from manouche.db import connection, models
from manouche.db.models import F, GeneratedField, Value
from manouche.db.models.functions import Concat
from manouche.test.utils import CaptureQueriesContext, isolate_apps
from tests.db.conftest import DatabaseFixture

with isolate_apps("tests.db.models.fields.fieldsapp"):

    class Token(models.Model):
        id = models.UUIDField(primary_key=True, default=uuid.uuid4)
        other = models.UUIDField(null=True)

        class Meta:
            app_label = "fieldsapp"

    class Labelled(models.Model):
        label = models.CharField(max_length=20)
        short = GeneratedField(
            expression=F("label"),
            output_field=models.CharField(max_length=11, db_collation="nocase"),
            db_persist=True,
        )

        class Meta:
            app_label = "fieldsapp"

    class Doubled(models.Model):
        count = models.IntegerField(default=0)
        double = GeneratedField(
            expression=F("count") * 2,
            output_field=models.IntegerField(),
            db_persist=True,
        )

        class Meta:
            app_label = "fieldsapp"


def test_decimal_field_calls_adapt_decimalfield_value(
    database: DatabaseFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[Any, ...]] = []

    def adapt(value: Any, max_digits: Any = None, places: Any = None) -> Any:
        calls.append((value, max_digits, places))
        return str(value)

    monkeypatch.setattr(connection.ops, "adapt_decimalfield_value", adapt)
    field = models.DecimalField(max_digits=5, decimal_places=1)
    assert field.get_db_prep_value("2.4", connection) == "2.4"
    assert calls == [(Decimal("2.4"), 5, 1)]
    assert field.get_db_prep_value(None, connection) is None
    assert len(calls) == 1


def test_adapt_decimalfield_value_keeps_the_decimal(database: DatabaseFixture) -> None:
    value = Decimal("1.50")
    assert connection.ops.adapt_decimalfield_value(value, 5, 2) is value


def test_bulk_create_fills_a_uuid_key_from_its_default(
    database: DatabaseFixture,
) -> None:
    database.create_models(Token)
    first, second = Token(), Token(id=None)
    Token.objects.bulk_create([first, second])
    assert isinstance(second.pk, uuid.UUID)
    assert first.pk != second.pk
    assert set(Token.objects.values_list("pk", flat=True)) == {first.pk, second.pk}


def test_uuid_contains_an_expression_with_hyphens(database: DatabaseFixture) -> None:
    database.create_models(Token)
    wanted = Token.objects.create(
        other=uuid.UUID("550e8400-e29b-41d4-a716-446655440000")
    )
    Token.objects.create(other=uuid.UUID("00000000-0000-0000-0000-000000000001"))
    # A native UUID column's text has hyphens; a char(32) one has none.
    native = connection.features.has_native_uuid_field
    for parts, expected in (
        (["8400", "e29b"], [] if native else [wanted]),
        (["8400", "-", "e29b"], [wanted]),
    ):
        found = Token.objects.annotate(
            part=Concat(*(Value(p) for p in parts), output_field=models.CharField())
        ).filter(other__contains=F("part"))
        assert list(found) == expected


def test_generated_field_column_parameters_are_the_output_fields(
    database: DatabaseFixture,
) -> None:
    field = Labelled._meta.get_field("short")
    assert field.db_type_parameters(connection)["max_length"] == 11
    parameters = field.db_parameters(connection)
    assert parameters["collation"] == "nocase"
    assert parameters["type"] == field.output_field.db_type(connection)


def test_generated_integer_out_of_range_needs_no_query(
    database: DatabaseFixture,
) -> None:
    database.create_models(Doubled)
    Doubled.objects.create(count=2)
    low, high = connection.ops.integer_field_range("IntegerField")
    with CaptureQueriesContext(connection) as queries:
        assert not Doubled.objects.filter(double=high + 1).exists()
        assert not Doubled.objects.filter(double__lte=low - 1).exists()
    assert len(queries) == 0
    assert Doubled.objects.filter(double=4).exists()
