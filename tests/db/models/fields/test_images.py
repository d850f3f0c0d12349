"""ImageField: dimensions through Pillow, width_field/height_field kept current."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from manouche.core.exceptions import ImproperlyConfigured
from manouche.core.files.base import ContentFile
from manouche.core.files.storage import FileSystemStorage
from manouche.core.files.uploadedfile import SimpleUploadedFile
from manouche.db import models
from manouche.db.models.fields.files import ImageFieldFile
from manouche.forms import fields as form_fields
from manouche.test.utils import isolate_apps, override_settings
from tests.db.conftest import DatabaseFixture

image_storage = FileSystemStorage()

with isolate_apps("tests.db.models.fields.fieldsapp"):

    class Photo(models.Model):
        image = models.ImageField(
            upload_to="photos",
            storage=image_storage,
            width_field="width",
            height_field="height",
        )
        width = models.IntegerField(null=True)
        height = models.IntegerField(null=True)

        class Meta:
            app_label = "fieldsapp"

    class Icon(models.Model):
        image = models.ImageField(storage=image_storage, blank=True)

        class Meta:
            app_label = "fieldsapp"


def _png(width: int, height: int) -> bytes:
    image_module = pytest.importorskip("PIL.Image")
    buffer = io.BytesIO()
    image_module.new("RGB", (width, height), "red").save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def photos(database: DatabaseFixture, tmp_path: Path) -> Iterator[Path]:
    database.create_models(Photo, Icon)
    with override_settings(MEDIA_ROOT=str(tmp_path)):
        yield tmp_path


def test_dimension_fields_are_filled_on_create(photos: Path) -> None:
    photo = Photo.objects.create(image=ContentFile(_png(7, 3), "dot.png"))
    assert (photo.width, photo.height) == (7, 3)
    loaded = Photo.objects.get(pk=photo.pk)
    assert (loaded.width, loaded.height) == (7, 3)
    assert isinstance(loaded.image, ImageFieldFile)
    assert (loaded.image.width, loaded.image.height) == (7, 3)
    assert loaded.image.name == "photos/dot.png"


def test_assigning_a_new_image_updates_the_dimensions(photos: Path) -> None:
    photo = Photo.objects.create(image=ContentFile(_png(7, 3), "a.png"))
    photo.image = SimpleUploadedFile("b.png", _png(20, 11))
    assert (photo.width, photo.height) == (20, 11)
    photo.save()
    loaded = Photo.objects.get(pk=photo.pk)
    assert (loaded.width, loaded.height) == (20, 11)
    photo.image = None
    assert (photo.width, photo.height) == (None, None)


def test_loading_from_the_database_keeps_stored_dimensions(photos: Path) -> None:
    photo = Photo.objects.create(image=ContentFile(_png(4, 4), "c.png"))
    Photo.objects.filter(pk=photo.pk).update(width=99)
    assert Photo.objects.get(pk=photo.pk).width == 99  # no file read on load


def test_image_without_dimension_fields(photos: Path) -> None:
    icon = Icon.objects.create(image=ContentFile(_png(2, 5), "i.png"))
    assert (icon.image.width, icon.image.height) == (2, 5)
    icon.image.delete()
    assert not Icon.objects.get(pk=icon.pk).image


def test_formfield_is_a_form_image_field() -> None:
    pytest.importorskip("PIL")
    field = Photo._meta.get_field("image")
    assert type(field.formfield()) is form_fields.ImageField
    assert field.get_internal_type() == "ImageField"
    _, path, _, kwargs = field.deconstruct()
    assert path == "manouche.db.models.ImageField"
    assert kwargs["width_field"] == "width"
    assert kwargs["height_field"] == "height"


def test_missing_pillow_is_reported_when_dimensions_are_needed(
    photos: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    icon = Icon.objects.create(image=ContentFile(b"not read", "x.png"))
    monkeypatch.setitem(sys.modules, "PIL", None)
    with pytest.raises(ImproperlyConfigured, match=r"pip install 'manouche\[images\]'"):
        _ = icon.image.width
    with pytest.raises(ImproperlyConfigured, match="needs Pillow"):
        Photo.objects.create(image=ContentFile(b"x", "y.png"))


def test_dimensions_are_read_when_the_constructor_gets_an_image(photos: Path) -> None:
    photo = Photo(image=ContentFile(_png(5, 9), "ctor.png"))
    assert (photo.width, photo.height) == (5, 9)
    photo.save()
    assert (photo.width, photo.height) == (5, 9)


def test_stored_dimensions_are_kept_when_loading(photos: Path) -> None:
    photo = Photo.objects.create(image=ContentFile(_png(4, 2), "kept.png"))
    Photo.objects.filter(pk=photo.pk).update(width=40, height=20)
    loaded = Photo.objects.get(pk=photo.pk)
    assert (loaded.width, loaded.height) == (40, 20)


class NoReadStorage(FileSystemStorage):
    """A storage that can write but never read back."""

    def open(self, name: str, mode: str = "rb") -> Any:
        raise AssertionError("this storage cannot read")


with isolate_apps("tests.db.models.fields.fieldsapp"):

    class Badge(models.Model):
        image = models.ImageField(
            storage=NoReadStorage(), width_field="width", height_field="height"
        )
        width = models.IntegerField(null=True)
        height = models.IntegerField(null=True)

        class Meta:
            app_label = "fieldsapp"


def test_field_save_takes_dimensions_from_the_content(
    database: DatabaseFixture, tmp_path: Path
) -> None:
    database.create_models(Badge)
    with override_settings(MEDIA_ROOT=str(tmp_path)):
        badge = Badge()
        badge.image.save("b.png", ContentFile(_png(4, 8)))
        assert (badge.width, badge.height) == (4, 8)
        badge.image.save("c.png", ContentFile(_png(9, 2)))
        assert (badge.width, badge.height) == (9, 2)
        assert Badge.objects.get(pk=badge.pk).width == 9


def test_field_save_of_a_new_image_forgets_the_old_dimensions(photos: Path) -> None:
    icon = Icon()
    icon.image.save("one.png", ContentFile(_png(3, 6)))
    assert (icon.image.width, icon.image.height) == (3, 6)
    icon.image.save("two.png", ContentFile(_png(5, 1)))
    assert (icon.image.width, icon.image.height) == (5, 1)
    assert Icon.objects.get(pk=icon.pk).image.name == "two.png"
