"""JSONField: keys of any text, transforms of annotations, JSON null vs NULL."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from manouche.core.exceptions import FieldError
from manouche.db import (
    DataError,
    IntegrityError,
    OperationalError,
    connection,
    models,
    transaction,
)
from manouche.db.models import F, JSONField, Value
from manouche.db.models.fields.json import KeyTransform
from manouche.db.models.functions import Cast
from manouche.test.utils import isolate_apps


@pytest.fixture
def doc(database: Any) -> Iterator[Any]:
    with isolate_apps("tests.apps.custom_label"):

        class Doc(models.Model):
            value = models.JSONField(null=True)

            class Meta:
                app_label = "custom_label"
                ordering = ["id"]

        database.create_models(Doc)
        yield Doc


# Keys holding a double quote are left out: SQLite before 3.45 cannot address
# them in a JSON path.
@pytest.mark.parametrize("key", ["%total", "single'", "a b", "x') OR 1=1 --"])
def test_keys_that_are_not_identifiers_are_looked_up(doc: Any, key: str) -> None:
    wanted = doc.objects.create(value={key: 10})
    doc.objects.create(value={"other": 10})
    assert list(doc.objects.filter(**{f"value__{key}": 10})) == [wanted]
    assert list(doc.objects.filter(value__has_key=key)) == [wanted]


def test_field_names_and_values_labels_stay_identifiers(doc: Any) -> None:
    with pytest.raises(FieldError, match="each part must be an identifier"):
        doc.objects.filter(**{"value x__a": 1})
    for label in ("value__a'b", "value__a\x00", "value__a\nb"):
        with pytest.raises(ValueError, match="Column aliases cannot contain"):
            doc.objects.values(label)


def test_transforms_apply_to_an_annotation_naming_a_key(doc: Any) -> None:
    wanted = doc.objects.create(value={"d": ["e", {"f": "g"}, {"f": "g"}]})
    doc.objects.create(value={"d": ["e", {"f": "g"}, {"f": "h"}]})
    rows = doc.objects.annotate(
        key=F("value__d"),
        chain=F("key__1__f"),
        expr=Cast("key", JSONField()),
    ).filter(chain=F("expr__2__f"))
    assert list(rows) == [wanted]


def test_cast_to_json_keeps_the_document(doc: Any) -> None:
    doc.objects.create(value={"d": ["e", {"f": "g"}]})
    row = doc.objects.annotate(
        key=KeyTransform("d", "value"),
        first=KeyTransform("0", Cast("key", JSONField())),
    ).get()
    assert row.first == "e"


def test_exclude_of_a_key_equal_to_none_drops_missing_keys(doc: Any) -> None:
    doc.objects.create(value=None)
    doc.objects.create(value={"k": None})
    doc.objects.create(value={"other": 1})
    wanted = doc.objects.create(value={"k": 1})
    assert list(doc.objects.exclude(value__k=None)) == [wanted]


def test_json_null_value_is_not_sql_null(doc: Any) -> None:
    json_null = doc.objects.create(value=Value(None, JSONField()))
    sql_null = doc.objects.create(value=None)
    assert list(doc.objects.filter(value=Value(None, JSONField()))) == [json_null]
    assert list(doc.objects.filter(value__isnull=True)) == [sql_null]
    doc.objects.filter(pk=sql_null.pk).update(value=Value(None, JSONField()))
    assert doc.objects.filter(value__isnull=True).count() == 0


def test_the_database_refuses_text_that_is_not_json(doc: Any) -> None:
    table = connection.ops.quote_name(doc._meta.db_table)
    with (
        pytest.raises((IntegrityError, DataError, OperationalError)),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(f"INSERT INTO {table} (value) VALUES (%s)", ["{@!invalid"])
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} (value) VALUES (%s)", ['{"a": 1}'])
    assert doc.objects.get().value == {"a": 1}
