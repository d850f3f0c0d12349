"""FileField: names in the column, content in the storage, on every backend."""

from __future__ import annotations

import datetime
import pickle
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from manouche.core.exceptions import FieldError, SuspiciousFileOperation
from manouche.core.files.base import ContentFile, File
from manouche.core.files.storage import FileSystemStorage, Storage, default_storage
from manouche.core.files.uploadedfile import SimpleUploadedFile
from manouche.db import models
from manouche.db.models.fields.files import FieldFile
from manouche.forms import fields as form_fields
from manouche.forms.models import modelform_factory
from manouche.test.utils import isolate_apps, override_settings
from tests.db.conftest import DatabaseFixture

media_storage = FileSystemStorage()


def get_media_storage() -> Storage:
    """A storage callable, as settings-driven projects pass."""
    return media_storage


def upload_by_title(instance: Any, filename: str) -> str:
    return f"by-title/{instance.title}/{filename}"


with isolate_apps("tests.db.models.fields.fieldsapp"):

    class Document(models.Model):
        title = models.CharField(max_length=50)
        attachment = models.FileField(upload_to="docs/%Y", storage=media_storage)
        extra = models.FileField(
            upload_to=upload_by_title, storage=get_media_storage, blank=True
        )

        class Meta:
            app_label = "fieldsapp"

        def __str__(self) -> str:
            return self.title


@pytest.fixture
def media(tmp_path: Path) -> Iterator[Path]:
    """MEDIA_ROOT in a temporary directory, served under /media/."""
    with override_settings(MEDIA_ROOT=str(tmp_path), MEDIA_URL="/media/"):
        yield tmp_path


@pytest.fixture
def documents(database: DatabaseFixture, media: Path) -> Path:
    database.create_models(Document)
    return media


def _year() -> str:
    return str(datetime.datetime.now().year)


def test_saving_a_model_commits_the_file(documents: Path) -> None:
    doc = Document.objects.create(
        title="a", attachment=ContentFile(b"hello", name="hello.txt")
    )
    expected = f"docs/{_year()}/hello.txt"
    assert doc.attachment.name == expected
    assert (documents / expected).read_bytes() == b"hello"
    loaded = Document.objects.get(pk=doc.pk)
    assert isinstance(loaded.attachment, FieldFile)
    assert loaded.attachment == doc.attachment == expected
    assert loaded.attachment.url == f"/media/{expected}"
    assert loaded.attachment.path == str(documents / expected)
    assert loaded.attachment.size == 5
    assert str(loaded.attachment) == expected


def test_file_is_opened_lazily_and_read_through_the_storage(documents: Path) -> None:
    doc = Document.objects.create(title="a", attachment=ContentFile(b"xyz", "f.bin"))
    loaded = Document.objects.get(pk=doc.pk)
    assert loaded.attachment.closed
    with loaded.attachment.open() as handle:
        assert handle.read() == b"xyz"
    assert loaded.attachment.closed
    assert loaded.attachment.open("rb").read() == b"xyz"
    loaded.attachment.close()
    fresh = Document.objects.get(pk=doc.pk)
    assert fresh.attachment.file.read() == b"xyz"  # opened on first access
    fresh.attachment.close()


def test_names_never_overwrite_an_existing_file(documents: Path) -> None:
    first = Document.objects.create(title="a", attachment=ContentFile(b"1", "same.txt"))
    second = Document.objects.create(
        title="b", attachment=ContentFile(b"2", "same.txt")
    )
    assert first.attachment.name != second.attachment.name
    assert second.attachment.name.startswith(f"docs/{_year()}/same_")
    assert (documents / first.attachment.name).read_bytes() == b"1"
    assert (documents / second.attachment.name).read_bytes() == b"2"


def test_field_file_save_and_delete(documents: Path) -> None:
    doc = Document.objects.create(title="a", attachment="docs/existing.txt")
    assert not (documents / "docs/existing.txt").exists()  # a name only
    doc.attachment.save("new.txt", ContentFile(b"new"))
    stored = f"docs/{_year()}/new.txt"
    assert Document.objects.get(pk=doc.pk).attachment.name == stored
    doc.attachment.delete()
    assert not (documents / stored).exists()
    assert not doc.attachment
    assert Document.objects.get(pk=doc.pk).attachment.name == ""


def test_save_without_saving_the_model(documents: Path) -> None:
    doc = Document.objects.create(title="a", attachment="x.txt")
    doc.attachment.save("later.txt", ContentFile(b"l"), save=False)
    assert Document.objects.get(pk=doc.pk).attachment.name == "x.txt"
    doc.save()
    assert Document.objects.get(pk=doc.pk).attachment.name.endswith("later.txt")


def test_deleting_the_model_keeps_the_file(documents: Path) -> None:
    doc = Document.objects.create(title="a", attachment=ContentFile(b"k", "keep.txt"))
    name = doc.attachment.name
    doc.delete()
    assert (documents / name).read_bytes() == b"k"


def test_callable_upload_to_and_storage(documents: Path) -> None:
    doc = Document.objects.create(
        title="report",
        attachment=ContentFile(b"a", "a.txt"),
        extra=ContentFile(b"e", "e.txt"),
    )
    assert doc.extra.name == "by-title/report/e.txt"
    assert doc.extra.storage is media_storage
    assert (documents / "by-title/report/e.txt").read_bytes() == b"e"


def test_upload_to_callable_must_return_a_string(media: Path) -> None:
    field = models.FileField(upload_to=lambda instance, name: 5)
    with pytest.raises(TypeError, match="must return a str, not int"):
        field.generate_filename(None, "x.txt")


def test_assigning_files_of_every_kind(documents: Path) -> None:
    doc = Document(title="a")
    assert not doc.attachment
    with pytest.raises(ValueError, match="'attachment' attribute has no file"):
        _ = doc.attachment.url
    doc.attachment = SimpleUploadedFile("up.txt", b"upload")
    assert doc.attachment.name == "up.txt"
    assert not doc.attachment._committed
    doc.save()
    assert doc.attachment._committed
    other = Document.objects.create(title="b", attachment="plain.txt")
    other.attachment = doc.attachment
    assert other.attachment.instance is other
    other.save()
    assert Document.objects.get(pk=other.pk).attachment == doc.attachment.name


def test_field_file_pickles_without_its_open_file(documents: Path) -> None:
    doc = Document.objects.create(title="a", attachment=ContentFile(b"p", "p.txt"))
    doc.attachment.open()
    state = doc.attachment.__getstate__()
    doc.attachment.close()
    # (Models of an isolated registry cannot round-trip through pickle itself.)
    assert pickle.loads(pickle.dumps(state["name"])) == doc.attachment.name
    restored = FieldFile.__new__(FieldFile)
    restored.__setstate__(state)
    assert restored.name == doc.attachment.name
    assert restored.storage is media_storage
    assert restored.closed


def test_saving_a_nameless_content_file_is_refused(documents: Path) -> None:
    doc = Document(title="a", attachment=ContentFile(b"data"))
    message = "File for attachment must have the name attribute specified"
    with pytest.raises(FieldError, match=message) as caught:
        doc.save()
    assert caught.value.__notes__ == ["Pass a 'name' argument to ContentFile."]
    assert not Document.objects.exists()


def test_hostile_names_given_to_the_api_are_refused(documents: Path) -> None:
    doc = Document.objects.create(title="a", attachment="x.txt")
    with pytest.raises(SuspiciousFileOperation, match="path traversal"):
        doc.attachment.save("../../etc/passwd", ContentFile(b"root"))
    with pytest.raises(SuspiciousFileOperation, match="path traversal"):
        Document.objects.create(
            title="b", attachment=File(ContentFile(b"x"), name="../../evil.txt")
        )
    assert not (documents.parent / "evil.txt").exists()


def test_long_names_are_shortened_to_max_length(documents: Path) -> None:
    doc = Document.objects.create(
        title="a", attachment=ContentFile(b"l", "n" * 300 + ".txt")
    )
    assert len(doc.attachment.name) <= 100
    assert doc.attachment.name.endswith(".txt")
    assert (documents / doc.attachment.name).read_bytes() == b"l"


def test_deconstruct_keeps_the_storage_callable() -> None:
    attachment = Document._meta.get_field("attachment")
    extra = Document._meta.get_field("extra")
    _, path, _, kwargs = attachment.deconstruct()
    assert path == "manouche.db.models.FileField"
    assert kwargs == {"upload_to": "docs/%Y", "storage": media_storage}
    _, _, _, kwargs = extra.deconstruct()
    assert kwargs["storage"] is get_media_storage
    assert kwargs["upload_to"] is upload_by_title
    assert "max_length" not in kwargs
    _, _, _, kwargs = models.FileField(max_length=200).deconstruct()
    assert kwargs == {"max_length": 200}
    assert models.FileField().storage is default_storage


def test_bad_storage_is_refused() -> None:
    with pytest.raises(TypeError, match="must be a Storage instance"):
        models.FileField(storage=lambda: "nope")  # type: ignore[arg-type,return-value]


def test_formfield_is_a_form_file_field() -> None:
    formfield = Document._meta.get_field("attachment").formfield()
    assert type(formfield) is form_fields.FileField
    assert formfield.max_length == 100
    assert formfield.required
    assert not Document._meta.get_field("extra").formfield().required


def test_model_form_saves_the_upload(documents: Path) -> None:
    form_class = modelform_factory(Document, fields=["title", "attachment"])
    form = form_class(
        data={"title": "f"}, files={"attachment": SimpleUploadedFile("f.txt", b"ff")}
    )
    assert form.is_valid(), form.errors
    doc = form.save()
    assert (documents / doc.attachment.name).read_bytes() == b"ff"
    # Editing without a new upload keeps the stored file.
    form = form_class(data={"title": "g"}, files={}, instance=doc)
    assert form.is_valid(), form.errors
    assert form.save().attachment.name == doc.attachment.name
