"""dumpdata: choosing models, options, output files that loaddata reads back."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path
from typing import Any

import pytest

from manouche.core.management import call_command
from manouche.core.management.base import CommandError
from manouche.core.management.commands.dumpdata import ProxyModelWarning
from tests.db.conftest import DatabaseFixture
from tests.db.models.modelapp.models import Author, Book, Restaurant, Tag
from tests.db.serializers.fixtureapp.models import City, Country, Traveller


def dump(*labels: str, **options: Any) -> str:
    out = io.StringIO()
    call_command("dumpdata", *labels, stdout=out, **options)
    return out.getvalue()


def test_dump_one_model_and_one_app(fdb: DatabaseFixture) -> None:
    Tag.objects.create(name="b")
    Tag.objects.create(name="a")
    records = json.loads(dump("modelapp.Tag"))
    assert [r["fields"]["name"] for r in records] == ["b", "a"]  # pk order
    call_command("loaddata", "countries", verbosity=0)
    records = json.loads(dump("fixtureapp"))
    assert {r["model"] for r in records} == {"fixtureapp.country"}


def test_dump_everything_then_load_it_back(
    fdb: DatabaseFixture, tmp_path: Path
) -> None:
    call_command("loaddata", "countries", "travel", verbosity=0)
    author = Author.objects.create(name="Reinhardt")
    Book.objects.create(title="Nuages", author=author).tags.add(
        Tag.objects.create(name="x")
    )
    Restaurant.objects.create(name="R", serves_pizza=True)
    output = tmp_path / "all.json.gz"
    labels = ["Author", "Book", "Tag", "Place", "Restaurant"]
    dump(*(f"modelapp.{name}" for name in labels), "fixtureapp", output=str(output))
    with gzip.open(output, "rt") as handle:
        assert json.load(handle)
    for model in (Traveller, City, Country, Book, Author, Tag, Restaurant):
        model.objects.all().delete()
    out = io.StringIO()
    call_command("loaddata", str(output), stdout=out)
    assert out.getvalue().startswith("Installed ")
    assert Traveller.objects.get().visited.count() == 2
    assert Book.objects.get().tags.get().name == "x"
    assert Restaurant.objects.get().name == "R"


def test_natural_keys_and_dependency_order(fdb: DatabaseFixture) -> None:
    call_command("loaddata", "countries", "travel", verbosity=0)
    records = json.loads(dump("fixtureapp", natural_foreign=True, natural_primary=True))
    models = [r["model"] for r in records]
    assert models.index("fixtureapp.country") < models.index("fixtureapp.city")
    city = next(r for r in records if r["model"] == "fixtureapp.city")
    assert "pk" not in city
    assert city["fields"]["country"] in (["fr"], ["be"])


def test_pks_exclude_and_all(fdb: DatabaseFixture) -> None:
    tags = [Tag.objects.create(name=name) for name in "abc"]
    records = json.loads(dump("modelapp.Tag", pks=f"{tags[0].pk},{tags[2].pk}"))
    assert [r["fields"]["name"] for r in records] == ["a", "c"]
    with pytest.raises(CommandError, match="only use --pks option with one model"):
        dump("modelapp", pks="1")
    records = json.loads(
        dump("modelapp.Tag", "modelapp.Book", exclude=["modelapp.Book"], all=True)
    )
    assert {r["model"] for r in records} == {"modelapp.tag"}
    assert json.loads(dump("modelapp", exclude=["modelapp"])) == []


def test_jsonl_format(fdb: DatabaseFixture) -> None:
    Tag.objects.create(name="a")
    output = dump("modelapp.Tag", format="jsonl")
    assert json.loads(output.splitlines()[0])["fields"] == {"name": "a"}


@pytest.mark.parametrize("_fixture_database", ["sqlite"], indirect=True)
@pytest.mark.parametrize(
    ("labels", "options", "message"),
    [
        (["nope"], {}, "No installed app with label 'nope'"),
        (["modelapp.Nope"], {}, "Unknown model: modelapp.Nope"),
        (["modelapp"], {"format": "yaml2"}, "Unknown serialization format: yaml2"),
        (["modelapp"], {"format": "python"}, "Unknown serialization format: python"),
        (["modelapp"], {"exclude": ["x.Y"]}, "Unknown model in excludes: x.Y"),
    ],
)
def test_bad_arguments(
    fdb: DatabaseFixture, labels: list[str], options: dict[str, Any], message: str
) -> None:
    with pytest.raises(CommandError, match=message):
        dump(*labels, **options)


def test_proxy_models_are_dumped_through_their_concrete_model(
    fdb: DatabaseFixture,
) -> None:
    Restaurant.objects.create(name="R")
    with pytest.warns(ProxyModelWarning, match="is a proxy model and won't be"):
        assert json.loads(dump("modelapp.RestaurantProxy")) == []
    records = json.loads(dump("modelapp.Restaurant", "modelapp.RestaurantProxy"))
    assert [r["model"] for r in records] == ["modelapp.restaurant"]


def test_plain_output_file(fdb: DatabaseFixture, tmp_path: Path) -> None:
    Tag.objects.create(name="a")
    path = tmp_path / "tags.json"
    assert dump("modelapp.Tag", output=str(path), indent=4) == ""
    assert json.loads(path.read_text())[0]["fields"] == {"name": "a"}
