"""loaddata: finding fixtures, loading them in one transaction, clear errors."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import sys
import zipfile
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from manouche.core.exceptions import ImproperlyConfigured
from manouche.core.management import call_command
from manouche.core.management.base import CommandError
from manouche.db.models import signals
from manouche.test.utils import override_settings
from tests.db.conftest import DatabaseFixture
from tests.db.models.modelapp.models import Author, Book, Node, Tag
from tests.db.serializers.fixtureapp.models import City, Country, Traveller

TAGS = '[{"model": "modelapp.tag", "pk": 1, "fields": {"name": "a"}},' \
    ' {"model": "modelapp.tag", "pk": 2, "fields": {"name": "b"}}]'  # fmt: skip


def load(*labels: str, **options: Any) -> str:
    out = io.StringIO()
    call_command("loaddata", *labels, stdout=out, **options)
    return out.getvalue()


def test_loads_from_the_app_fixtures_directory(fdb: DatabaseFixture) -> None:
    output = load("countries", "travel")
    assert output == "Installed 5 object(s) from 2 fixture(s)\n"
    traveller = Traveller.objects.get()
    assert traveller.home.name == "Liberchies"
    assert traveller.passport.name == "Belgium"
    assert sorted(c.name for c in traveller.visited.all()) == ["Liberchies", "Paris"]


def test_new_rows_after_loading_get_fresh_keys(fdb: DatabaseFixture) -> None:
    load("countries.json")
    created = Country.objects.create(code="nl", name="Netherlands")
    assert created.pk == 3


@pytest.mark.parametrize(
    ("suffix", "opener"),
    [
        (".json", open),
        (".json.gz", gzip.open),
        (".json.bz2", bz2.open),
        (".json.xz", lzma.open),
        (".json.lzma", partial(lzma.open, format=lzma.FORMAT_ALONE)),
    ],
)
def test_compressed_fixtures_by_extension(
    fdb: DatabaseFixture, tmp_path: Path, suffix: str, opener: Any
) -> None:
    path = tmp_path / f"tags{suffix}"
    with opener(path, "wb") as handle:
        handle.write(TAGS.encode())
    assert load(str(path)) == "Installed 2 object(s) from 1 fixture(s)\n"
    assert list(Tag.objects.values_list("name", flat=True)) == ["a", "b"]


def test_zipped_fixture_and_label_without_extension(
    fdb: DatabaseFixture, tmp_path: Path
) -> None:
    with zipfile.ZipFile(tmp_path / "tags.json.zip", "w") as archive:
        archive.writestr("tags.json", TAGS)
    with override_settings(FIXTURE_DIRS=[tmp_path]):
        assert load("tags") == "Installed 2 object(s) from 1 fixture(s)\n"


def test_jsonl_fixture(fdb: DatabaseFixture, tmp_path: Path) -> None:
    path = tmp_path / "tags.jsonl"
    path.write_text(
        '{"model": "modelapp.tag", "pk": 1, "fields": {"name": "a"}}\n\n'
        '{"model": "modelapp.tag", "pk": 2, "fields": {"name": "b"}}\n'
    )
    load(str(path))
    assert Tag.objects.count() == 2


def test_stdin_needs_format(
    fdb: DatabaseFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(CommandError, match="--format must be specified"):
        load("-")
    fake = io.TextIOWrapper(io.BytesIO(TAGS.encode()))
    monkeypatch.setattr(sys, "stdin", fake)
    assert load("-", format="json") == "Installed 2 object(s) from 1 fixture(s)\n"


def test_missing_fixture_is_a_command_error(fdb: DatabaseFixture) -> None:
    with pytest.raises(CommandError, match="No fixture named 'nothing' found."):
        load("countries", "nothing")
    assert not Country.objects.exists()


def test_ambiguous_fixture_names(fdb: DatabaseFixture, tmp_path: Path) -> None:
    (tmp_path / "tags.json").write_text(TAGS)
    (tmp_path / "tags.jsonl").write_text("")
    with (
        override_settings(FIXTURE_DIRS=[tmp_path]),
        pytest.raises(CommandError, match="Multiple fixtures named 'tags'"),
    ):
        load("tags")


def test_unknown_format_extension(fdb: DatabaseFixture) -> None:
    with pytest.raises(CommandError, match="yml is not a known serialization"):
        load("tags.yml")


def test_fixture_dirs_must_not_repeat(fdb: DatabaseFixture, tmp_path: Path) -> None:
    with (
        override_settings(FIXTURE_DIRS=[tmp_path, tmp_path]),
        pytest.raises(ImproperlyConfigured, match="contains duplicates"),
    ):
        load("tags")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[{", "Invalid JSON"),
        ('[{"model": "modelapp.tag", "pk": 1, "fields": {"name": "x"}},'
         ' {"model": "nope.nope", "fields": {}}]', "Invalid model identifier"),
        ('[{"model": "modelapp.tag", "pk": 1, "fields": {"name": "x"}},'
         ' {"model": "modelapp.author", "pk": 1, "fields": {"age": "old"}}]',
         "field_value was 'old'"),
        ('[{"model": "modelapp.tag", "pk": 1, "fields": {"name": "x"}},'
         ' {"model": "modelapp.author", "pk": 1, "fields": {"name": "a",'
         ' "age": 99999999999999999999}}]', "modelapp.Author(pk=1)"),
        ('[{"model": "modelapp.tag", "pk": 1, "fields": {"name": "x"}},'
         ' {"model": "modelapp.book", "pk": 1, "fields": {"title": "t",'
         ' "author": 42}}]', "foreign key"),
        ('[{"model": "modelapp.tag", "pk": 1, "fields": {"name": "x"}},'
         ' {"model": "modelapp.tag", "pk": 2, "fields": {"name": "x"}}]',
         "modelapp.Tag(pk=2)"),
    ],
)  # fmt: skip
def test_invalid_data_fails_clearly_and_writes_nothing(
    fdb: DatabaseFixture, tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(CommandError) as info:
        load(str(path))
    assert message in str(info.value)
    assert str(path) in str(info.value)
    assert not Tag.objects.exists()
    assert not Author.objects.exists()
    assert not Book.objects.exists()


def test_children_before_parents_and_self_references(
    fdb: DatabaseFixture, tmp_path: Path
) -> None:
    path = tmp_path / "mixed.json"
    path.write_text(
        '[{"model": "modelapp.book", "pk": 1, "fields": {"title": "t", "author": 1,'
        ' "tags": [1]}},'
        ' {"model": "modelapp.node", "pk": 1, "fields": {"name": "root"}},'
        ' {"model": "modelapp.node", "pk": 2, "fields": {"name": "leaf", "parent": 1}},'
        ' {"model": "modelapp.tag", "pk": 1, "fields": {"name": "x"}},'
        ' {"model": "modelapp.author", "pk": 1, "fields": {"name": "a"}}]'
    )
    load(str(path))
    assert Book.objects.get().author.name == "a"
    assert [t.name for t in Book.objects.get().tags.all()] == ["x"]
    assert Node.objects.get(pk=2).parent_id == 1


def test_exclude_and_counts(fdb: DatabaseFixture) -> None:
    output = load("countries", "travel", exclude=["fixtureapp.traveller"])
    assert output == "Installed 4 object(s) (of 5) from 2 fixture(s)\n"
    assert not Traveller.objects.exists()
    assert City.objects.count() == 2
    with pytest.raises(CommandError, match="No installed app with label 'nope'"):
        load("countries", exclude=["nope"])


def test_ignorenonexistent(fdb: DatabaseFixture, tmp_path: Path) -> None:
    path = tmp_path / "old.json"
    path.write_text(
        '[{"model": "modelapp.tag", "pk": 1, "fields": {"name": "a", "gone": 1}},'
        ' {"model": "removed.model", "pk": 1, "fields": {}}]'
    )
    with pytest.raises(CommandError, match="Invalid model identifier: 'removed"):
        load(str(path))
    load(str(path), ignorenonexistent=True)
    assert Tag.objects.get().name == "a"


def test_app_option_limits_directories(fdb: DatabaseFixture) -> None:
    with pytest.raises(CommandError, match="No fixture named 'countries'"):
        load("countries", app_label="modelapp")
    load("countries", app_label="fixtureapp")
    assert Country.objects.count() == 2


@pytest.fixture
def saved_signals() -> Iterator[list[tuple[str, bool]]]:
    calls: list[tuple[str, bool]] = []

    def pre(sender: Any, raw: bool, **kwargs: Any) -> None:
        calls.append(("pre", raw))

    def post(sender: Any, raw: bool, **kwargs: Any) -> None:
        calls.append(("post", raw))

    signals.pre_save.connect(pre, sender=Country)
    signals.post_save.connect(post, sender=Country)
    yield calls
    signals.pre_save.disconnect(pre, sender=Country)
    signals.post_save.disconnect(post, sender=Country)


def test_saves_send_raw_signals(
    fdb: DatabaseFixture, saved_signals: list[tuple[str, bool]]
) -> None:
    load("countries")
    assert saved_signals == [("pre", True), ("post", True)] * 2


def test_verbosity_two_names_each_fixture(fdb: DatabaseFixture) -> None:
    output = load("countries", verbosity=2)
    assert "Installing json fixture 'countries' from '" in output
    assert load("countries", verbosity=0) == ""


def test_xml_fixture(fdb: DatabaseFixture, tmp_path: Path) -> None:
    path = tmp_path / "tags.xml"
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<django-objects version="1.0">'
        '<object model="modelapp.tag" pk="1"><field name="name" type="SlugField">'
        "a</field></object></django-objects>"
    )
    assert load(str(path)) == "Installed 1 object(s) from 1 fixture(s)\n"
    assert Tag.objects.get().name == "a"
