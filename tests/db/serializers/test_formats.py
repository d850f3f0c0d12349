"""Serialize and deserialize model instances in every built-in format."""

from __future__ import annotations

import datetime
import decimal
import json
import uuid
from typing import Any

import pytest

from manouche.core import serializers
from tests.db.conftest import DatabaseFixture
from tests.db.models.modelapp.models import (
    Author,
    Book,
    Everything,
    Node,
    Place,
    Restaurant,
    RestaurantProxy,
    Tag,
    UUIDItem,
)
from tests.db.serializers.fixtureapp.models import City, Country, Traveller


def _reload(format: str, data: Any) -> list[Any]:
    objects = []
    for wrapped in serializers.deserialize(format, data):
        wrapped.save()
        objects.append(wrapped.object)
    return objects


def _everything() -> Any:
    return Everything.objects.create(
        big=2**62,
        flag=True,
        maybe=None,
        text='naïve ☃ "quoted"\n',
        uid=uuid.UUID("12345678-1234-5678-1234-567812345678"),
        ip="2001:db8::1",
        when=datetime.datetime(2024, 2, 29, 12, 30, 1, 500000, tzinfo=datetime.UTC),
        day=datetime.date(2024, 2, 29),
        clock=datetime.time(23, 59, 58),
        span=datetime.timedelta(days=3, seconds=7, microseconds=11),
        blob=b"\x00\xffbinary",
        amount=decimal.Decimal("1234567.125"),
        ratio=0.25,
        data={"list": [1, 2.5, None], "nested": {"ok": True}},
    )


VALUE_FIELDS = [
    "big", "flag", "maybe", "text", "uid", "ip", "when", "day", "clock", "span",
    "blob", "amount", "ratio", "data",
]  # fmt: skip


@pytest.mark.parametrize("format", ["json", "jsonl", "python", "xml", "yaml"])
def test_every_value_type_round_trips(fdb: DatabaseFixture, format: str) -> None:
    original = _everything()
    data = serializers.serialize(format, Everything.objects.all())
    Everything.objects.all().delete()
    _reload(format, data)
    loaded = Everything.objects.get()
    for name in VALUE_FIELDS:
        expected, actual = getattr(original, name), getattr(loaded, name)
        if name == "when" and format != "xml":
            # JSON keeps milliseconds, as ECMA-262 dates do.
            expected = expected.replace(microsecond=500000)
        assert actual == expected, name


def test_json_output_shape(fdb: DatabaseFixture) -> None:
    _everything()
    record = json.loads(serializers.serialize("json", Everything.objects.all()))[0]
    assert record["model"] == "modelapp.everything"
    assert isinstance(record["pk"], int)
    fields = record["fields"]
    assert fields["uid"] == "12345678-1234-5678-1234-567812345678"
    assert fields["amount"] == "1234567.125"
    assert fields["when"] == "2024-02-29T12:30:01.500Z"
    assert fields["span"] == "3 00:00:07.000011"
    assert fields["blob"] == "AP9iaW5hcnk="
    assert fields["data"] == {"list": [1, 2.5, None], "nested": {"ok": True}}


def test_json_indent_and_jsonl_lines(fdb: DatabaseFixture) -> None:
    Tag.objects.create(name="a")
    Tag.objects.create(name="b")
    indented = serializers.serialize("json", Tag.objects.all(), indent=2)
    assert indented.startswith("[\n{\n  ")
    assert indented.endswith("}\n]\n")
    assert json.loads(indented)[1]["fields"] == {"name": "b"}
    lines = serializers.serialize("jsonl", Tag.objects.all()).splitlines()
    assert [json.loads(line)["fields"]["name"] for line in lines] == ["a", "b"]


def test_fields_option_limits_output(fdb: DatabaseFixture) -> None:
    author = Author.objects.create(name="Reinhardt", age=43)
    Book.objects.create(title="Nuages", author=author)
    data = serializers.serialize("python", Book.objects.all(), fields=["title"])
    assert data[0]["fields"] == {"title": "Nuages"}
    data = serializers.serialize("python", Book.objects.all(), fields=["author"])
    assert data[0]["fields"] == {"author": author.pk}


def test_m2m_and_foreign_keys_round_trip(fdb: DatabaseFixture) -> None:
    author = Author.objects.create(name="Reinhardt")
    book = Book.objects.create(title="Nuages", author=author)
    gypsy, jazz = Tag.objects.create(name="gypsy"), Tag.objects.create(name="jazz")
    book.tags.set([gypsy, jazz])
    queryset = [*Author.objects.all(), *Tag.objects.all(), *Book.objects.all()]
    data = serializers.serialize("json", queryset)
    assert json.loads(data)[-1]["fields"]["tags"] == [gypsy.pk, jazz.pk]
    Book.objects.all().delete()
    Tag.objects.all().delete()
    Author.objects.all().delete()
    _reload("json", data)
    loaded = Book.objects.get()
    assert loaded.author.name == "Reinhardt"
    assert sorted(t.name for t in loaded.tags.all()) == ["gypsy", "jazz"]


def test_uuid_primary_key_and_self_reference(fdb: DatabaseFixture) -> None:
    item = UUIDItem.objects.create(label="x")
    root = Node.objects.create(name="root")
    Node.objects.create(name="leaf", parent=root)
    data = serializers.serialize("json", [item, *Node.objects.order_by("pk")])
    assert json.loads(data)[0]["pk"] == str(item.pk)
    Node.objects.filter(parent__isnull=False).delete()
    Node.objects.all().delete()
    UUIDItem.objects.all().delete()
    _reload("json", data)
    assert UUIDItem.objects.get().pk == item.pk
    assert Node.objects.get(name="leaf").parent.name == "root"


def test_multi_table_child_and_proxy(fdb: DatabaseFixture) -> None:
    Restaurant.objects.create(name="Chez Django", address="Samois", serves_pizza=True)
    records = serializers.serialize(
        "python", [*Place.objects.all(), *RestaurantProxy.objects.all()]
    )
    assert [r["model"] for r in records] == ["modelapp.place", "modelapp.restaurant"]
    assert records[1]["fields"] == {"serves_pizza": True}
    data = serializers.serialize(
        "json", [*Place.objects.all(), *Restaurant.objects.all()]
    )
    Restaurant.objects.all().delete()
    assert not Place.objects.exists()
    _reload("json", data)
    loaded = Restaurant.objects.get()
    assert (loaded.name, loaded.address, loaded.serves_pizza) == (
        "Chez Django",
        "Samois",
        True,
    )


def _travel_data() -> None:
    france = Country.objects.create(code="fr", name="France")
    belgium = Country.objects.create(code="be", name="Belgium")
    paris = City.objects.create(name="Paris", country=france)
    liberchies = City.objects.create(name="Liberchies", country=belgium)
    django = Traveller.objects.create(name="Django", home=liberchies, passport=belgium)
    django.visited.set([paris, liberchies])


@pytest.mark.parametrize("format", ["json", "xml", "yaml"])
def test_natural_keys_round_trip_in_text_formats(
    fdb: DatabaseFixture, format: str
) -> None:
    _travel_data()
    Traveller.objects.create(name="Stay-at-home")
    queryset = [
        *Country.objects.order_by("pk"),
        *City.objects.order_by("pk"),
        *Traveller.objects.order_by("pk"),
    ]
    data = serializers.serialize(
        format, queryset, use_natural_foreign_keys=True, use_natural_primary_keys=True
    )
    Traveller.objects.all().delete()
    City.objects.all().delete()
    Country.objects.all().delete()
    _reload(format, data)
    loaded = Traveller.objects.get(name="Django")
    assert loaded.home.name == "Liberchies"
    assert loaded.passport_id == "be"
    assert sorted(c.name for c in loaded.visited.all()) == ["Liberchies", "Paris"]
    assert Traveller.objects.get(name="Stay-at-home").home is None


def test_xml_document_shape(fdb: DatabaseFixture) -> None:
    _travel_data()
    data = serializers.serialize("xml", Traveller.objects.all(), indent=2)
    assert data.startswith('<?xml version="1.0" encoding="utf-8"?>\n<manouche-objects')
    assert data.rstrip().endswith("</manouche-objects>")
    assert '<field name="name" type="CharField">Django</field>' in data
    assert (
        '<field name="passport" rel="ManyToOneRel" to="fixtureapp.country">be' in data
    )
    assert '<object pk="' in data


def test_natural_foreign_and_primary_keys(fdb: DatabaseFixture) -> None:
    _travel_data()
    queryset = [
        *Country.objects.order_by("pk"),
        *City.objects.order_by("pk"),
        *Traveller.objects.all(),
    ]
    records = serializers.serialize(
        "python",
        queryset,
        use_natural_foreign_keys=True,
        use_natural_primary_keys=True,
    )
    assert records[0] == {
        "model": "fixtureapp.country",
        "fields": {"code": "fr", "name": "France"},
    }
    assert records[2]["fields"]["country"] == ["fr"]
    traveller = records[-1]
    assert "pk" in traveller  # Traveller has no natural key.
    assert traveller["fields"]["home"] == ["Liberchies", "be"]
    assert traveller["fields"]["passport"] == ["be"]
    assert traveller["fields"]["visited"] == [["Paris", "fr"], ["Liberchies", "be"]]
    data = serializers.serialize(
        "json", queryset, use_natural_foreign_keys=True, use_natural_primary_keys=True
    )
    Traveller.objects.all().delete()
    City.objects.all().delete()
    Country.objects.all().delete()
    _reload("json", data)
    loaded = Traveller.objects.get()
    assert loaded.home.name == "Liberchies"
    assert loaded.passport_id == "be"
    assert sorted(c.name for c in loaded.visited.all()) == ["Liberchies", "Paris"]


def test_to_field_key_is_the_target_field_value(fdb: DatabaseFixture) -> None:
    _travel_data()
    records = serializers.serialize("python", Traveller.objects.all())
    assert records[0]["fields"]["passport"] == "be"
    assert records[0]["fields"]["home"] == City.objects.get(name="Liberchies").pk
    data = serializers.serialize("json", Traveller.objects.all())
    Traveller.objects.all().delete()
    _reload("json", data)
    assert Traveller.objects.get().passport.name == "Belgium"


def test_natural_primary_key_finds_existing_row(fdb: DatabaseFixture) -> None:
    existing = Country.objects.create(code="fr", name="Old name")
    data = (
        '[{"model": "fixtureapp.country", "fields": {"code": "fr", "name": "France"}}]'
    )
    _reload("json", data)
    assert Country.objects.get().pk == existing.pk
    assert Country.objects.get().name == "France"


def test_forward_references_are_deferred_then_saved(fdb: DatabaseFixture) -> None:
    data = [
        {"model": "fixtureapp.country", "pk": 1, "fields": {"code": "fr", "name": "F"}},
        {"model": "fixtureapp.traveller", "pk": 1, "fields": {"name": "D",
         "home": None, "visited": [["Paris", "fr"]]}},
        {"model": "fixtureapp.city", "pk": 1, "fields": {"name": "Paris",
         "country": ["fr"]}},
    ]  # fmt: skip
    deferred = []
    for wrapped in serializers.deserialize(
        "python", data, handle_forward_references=True
    ):
        wrapped.save()
        if wrapped.deferred_fields:
            deferred.append(wrapped)
    assert len(deferred) == 1
    assert list(Traveller.objects.get().visited.all()) == []
    for wrapped in deferred:
        wrapped.save_deferred_fields()
    assert [c.name for c in Traveller.objects.get().visited.all()] == ["Paris"]


def test_deserialized_object_repr_and_m2m_data(fdb: DatabaseFixture) -> None:
    data = [{"model": "modelapp.tag", "pk": 5, "fields": {"name": "x"}}]
    (wrapped,) = serializers.deserialize("python", data)
    assert repr(wrapped) == "<DeserializedObject: modelapp.Tag(pk=5)>"
    assert wrapped.m2m_data == {}
    assert not Tag.objects.exists()
    wrapped.save(using="default")
    assert Tag.objects.get().pk == 5


def test_yaml_reads_with_the_safe_loader_only(fdb: DatabaseFixture) -> None:
    hostile = (
        "- model: modelapp.tag\n  pk: 1\n"
        "  fields: {name: !!python/object/apply:os.system ['echo pwned']}\n"
    )
    with pytest.raises(serializers.base.DeserializationError, match="Invalid YAML"):
        list(serializers.deserialize("yaml", hostile))
    with pytest.raises(serializers.base.DeserializationError, match="YAML list"):
        list(serializers.deserialize("yaml", "model: modelapp.tag\n"))


def test_xml_unsaved_object_has_no_pk_and_reads_back(fdb: DatabaseFixture) -> None:
    data = serializers.serialize("xml", [Country(name="Nowhere")], fields=["name"])
    assert '<object model="fixtureapp.country">' in data
    assert "pk=" not in data
    (loaded,) = serializers.deserialize("xml", data)
    assert loaded.object.pk is None
    assert loaded.object.name == "Nowhere"
