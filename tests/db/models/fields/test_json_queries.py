"""JSONField: encoder/decoder, key values, has_key paths, key ``in``, JSON null."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest

from manouche.core.serializers.json import DjangoJSONEncoder
from manouche.db import connection, models
from manouche.db.models import F
from manouche.db.models.fields.json import KeyTransform
from manouche.test.utils import isolate_apps
from tests.db.conftest import DatabaseFixture


class UUIDDecoder(json.JSONDecoder):
    """Turn every string that spells a UUID back into a UUID."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(object_hook=self._hook, **kwargs)

    @staticmethod
    def _hook(data: dict[str, Any]) -> dict[str, Any]:
        out = {}
        for key, value in data.items():
            try:
                out[key] = uuid.UUID(value)
            except (TypeError, ValueError, AttributeError):
                out[key] = value
        return out


with isolate_apps("tests.db.models.fields.fieldsapp"):

    class Doc(models.Model):
        value = models.JSONField(null=True)
        custom = models.JSONField(
            null=True, encoder=DjangoJSONEncoder, decoder=UUIDDecoder
        )

        class Meta:
            app_label = "fieldsapp"


DATA: list[Any] = [
    {"a": "b", "c": 14, "h": True, "i": False, "j": None, "d": ["e", {"f": "g"}]},
    {"c": 3, "123": "n", "nested": {"456": 1}, "array": [{"789": 2}]},
    [1, {"b": 2}],
    {"foo": "bar", "bax": {"foo": "bar"}, "bar": ["foo", "bar"]},
    None,
]


def _docs() -> list[Any]:
    return [Doc.objects.create(value=value) for value in DATA]


def _pks(queryset: Any) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


def test_custom_encoder_and_decoder_round_trip(database: DatabaseFixture) -> None:
    database.create_models(Doc)
    value = {"id": uuid.UUID("d85e2076-b67c-4ee7-8c3a-2bf5a2cc2475")}
    doc = Doc.objects.create(custom=value)
    assert Doc.objects.get(pk=doc.pk).custom == value


def test_unencodable_value_fails_before_sql(database: DatabaseFixture) -> None:
    database.create_models(Doc)
    with pytest.raises(TypeError, match="is not JSON serializable"):
        Doc.objects.create(value={"id": uuid.uuid4()})
    assert Doc.objects.count() == 0


def test_adapt_json_value_encodes_with_the_encoder(database: DatabaseFixture) -> None:
    key = uuid.UUID("d85e2076-b67c-4ee7-8c3a-2bf5a2cc2475")
    encoded = connection.ops.adapt_json_value({"k": key}, DjangoJSONEncoder)
    assert json.loads(encoded) == {"k": str(key)}
    field = models.JSONField()
    assert json.loads(field.get_db_prep_value(["x", 1], connection)) == ["x", 1]
    assert field.get_db_prep_value(None, connection) is None


def test_key_values_keep_their_json_types(database: DatabaseFixture) -> None:
    database.create_models(Doc)
    _docs()
    row = Doc.objects.filter(value__a="b").values_list(
        "value__a", "value__c", "value__h", "value__i", "value__j", "value__d"
    )
    assert list(row) == [("b", 14, True, False, None, ["e", {"f": "g"}])]
    if database.name != "mariadb":  # MariaDB orders JSON_EXTRACT() as text.
        ordered = Doc.objects.filter(value__c__isnull=False).order_by("value__c")
        assert list(ordered.values_list("value__c", flat=True)) == [3, 14]


def test_has_key_names_members_even_when_numeric(database: DatabaseFixture) -> None:
    database.create_models(Doc)
    docs = _docs()
    second = {docs[1].pk}
    assert _pks(Doc.objects.filter(value__has_key="123")) == second
    assert _pks(Doc.objects.filter(value__nested__has_key="456")) == second
    assert _pks(Doc.objects.filter(value__array__0__has_key="789")) == second
    assert _pks(Doc.objects.filter(value__has_keys=["c", "123"])) == second
    assert _pks(Doc.objects.filter(value__has_any_keys=["123", "zz"])) == second


def test_has_key_takes_a_path(database: DatabaseFixture) -> None:
    database.create_models(Doc)
    docs = _docs()
    first, third = {docs[0].pk}, {docs[2].pk}
    assert _pks(Doc.objects.filter(value__has_key=F("value__d__1__f"))) == first
    path = KeyTransform("f", KeyTransform("1", KeyTransform("d", "value")))
    assert _pks(Doc.objects.filter(value__has_key=path)) == first
    assert _pks(Doc.objects.filter(value__has_key=F("value__1__b"))) == third
    assert _pks(Doc.objects.filter(value__1__has_key="b")) == third
    assert not Doc.objects.filter(value__has_key=F("value__d__1__x")).exists()


def test_key_in_compares_as_json(database: DatabaseFixture) -> None:
    database.create_models(Doc)
    docs = _docs()
    cases: list[tuple[str, list[Any], set[int]]] = [
        ("value__c__in", [14, 15], {docs[0].pk}),
        ("value__0__in", [1, 3], {docs[2].pk}),
        ("value__h__in", [True, "foo"], {docs[0].pk}),
        ("value__i__in", [False], {docs[0].pk}),
        ("value__bar__in", [["foo", "bar"], ["a"]], {docs[3].pk}),
        ("value__bax__in", [{"foo": "bar"}], {docs[3].pk}),
        ("value__foo__in", [F("value__bax__foo"), "zz"], {docs[3].pk}),
        ("value__c__in", [99, "zz"], set()),
    ]
    for lookup, items, expected in cases:
        assert _pks(Doc.objects.filter(**{lookup: items})) == expected, lookup


def test_key_none_means_json_null(database: DatabaseFixture) -> None:
    database.create_models(Doc)
    docs = _docs()
    assert _pks(Doc.objects.filter(value__j=None)) == {docs[0].pk}
    assert _pks(Doc.objects.filter(value__j__isnull=True)) == {d.pk for d in docs[1:]}


def test_key_compared_with_a_number_compares_numbers(database: DatabaseFixture) -> None:
    database.create_models(Doc)
    docs = _docs()
    # As text, "14" < "2" and "3" > "25": these only hold for numbers.
    assert _pks(Doc.objects.filter(value__c__gt=2)) == {docs[0].pk, docs[1].pk}
    assert _pks(Doc.objects.filter(value__c__gt=2.5)) == {docs[0].pk, docs[1].pk}
    assert _pks(Doc.objects.filter(value__c__gte=14)) == {docs[0].pk}
    assert _pks(Doc.objects.filter(value__c__lt=25)) == {docs[0].pk, docs[1].pk}
    assert _pks(Doc.objects.filter(value__c__lte=3)) == {docs[1].pk}
    assert _pks(Doc.objects.filter(value__a__gt="a")) == {docs[0].pk}
