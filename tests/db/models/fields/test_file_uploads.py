"""Uploading through a ModelForm in CreateView/UpdateView, via the test client."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from manouche.core.files.storage import FileSystemStorage
from manouche.core.files.uploadedfile import SimpleUploadedFile
from manouche.db import models
from manouche.test.client import Client
from manouche.test.utils import isolate_apps, override_settings
from manouche.urls import path
from manouche.views.generic import CreateView, UpdateView
from tests.db.conftest import DatabaseFixture

upload_storage = FileSystemStorage()

with isolate_apps("tests.db.models.fields.fieldsapp"):

    class Upload(models.Model):
        title = models.CharField(max_length=50)
        document = models.FileField(upload_to="uploads/", storage=upload_storage)
        notes = models.FileField(upload_to="notes/", storage=upload_storage, blank=True)

        class Meta:
            app_label = "fieldsapp"


class UploadCreate(CreateView):
    model = Upload
    fields = ["title", "document", "notes"]
    template_name = "upload_form.html"
    success_url = "/uploads/{id}/"


class UploadUpdate(UpdateView):
    model = Upload
    fields = ["title", "document", "notes"]
    template_name = "upload_form.html"
    success_url = "/uploads/{id}/"


urlpatterns = [
    path("uploads/new/", UploadCreate.as_view()),
    path("uploads/<int:pk>/edit/", UploadUpdate.as_view()),
]

TEMPLATES = [
    {
        "BACKEND": "manouche.template.backends.manouche.DjangoTemplates",
        "OPTIONS": {
            "loaders": [
                (
                    "manouche.template.loaders.locmem.Loader",
                    {"upload_form.html": "errors:{{ form.errors }}"},
                )
            ],
        },
    }
]
BOUNDARY = "manouche-upload-boundary"


@pytest.fixture
def uploads(database: DatabaseFixture, tmp_path: Path) -> Iterator[Path]:
    database.create_models(Upload)
    with override_settings(
        MEDIA_ROOT=str(tmp_path / "media"),
        MEDIA_URL="/media/",
        TEMPLATES=TEMPLATES,
        ROOT_URLCONF=__name__,
    ):
        yield tmp_path / "media"


def _raw_upload(filename: bytes, content: bytes) -> bytes:
    """A multipart body whose file name is exactly what a hostile client sends."""
    return b"\r\n".join(
        [
            f"--{BOUNDARY}".encode(),
            b'Content-Disposition: form-data; name="title"',
            b"",
            b"hostile",
            f"--{BOUNDARY}".encode(),
            b'Content-Disposition: form-data; name="document"; filename="'
            + filename
            + b'"',
            b"Content-Type: text/plain",
            b"",
            content,
            f"--{BOUNDARY}--".encode(),
            b"",
        ]
    )


def _post_raw(filename: bytes) -> Upload:
    response = Client().post(
        "/uploads/new/",
        _raw_upload(filename, b"payload"),
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
    )
    assert response.status_code == 302, response.content
    return Upload.objects.get()


def _inside(root: Path, name: str) -> Path:
    stored = (root / name).resolve()
    assert stored.is_relative_to(root.resolve())
    return stored


def test_create_view_stores_the_uploaded_file(uploads: Path) -> None:
    response = Client().post(
        "/uploads/new/",
        {"title": "report", "document": SimpleUploadedFile("report.txt", b"data")},
    )
    upload = Upload.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/uploads/{upload.pk}/"
    assert upload.document.name == "uploads/report.txt"
    assert (uploads / "uploads/report.txt").read_bytes() == b"data"
    assert not upload.notes


def test_create_view_requires_the_file(uploads: Path) -> None:
    response = Client().post("/uploads/new/", {"title": "no file"})
    assert response.status_code == 200
    assert b"This field is required." in response.content
    assert not Upload.objects.exists()


def test_update_view_replaces_keeps_and_clears_files(uploads: Path) -> None:
    Client().post(
        "/uploads/new/",
        {
            "title": "v1",
            "document": SimpleUploadedFile("v.txt", b"one"),
            "notes": SimpleUploadedFile("n.txt", b"note"),
        },
    )
    upload = Upload.objects.get()
    response = Client().post(
        f"/uploads/{upload.pk}/edit/",
        {"title": "v2", "document": SimpleUploadedFile("v.txt", b"two")},
    )
    assert response.status_code == 302
    upload.refresh_from_db()
    assert upload.title == "v2"
    assert upload.document.name != "uploads/v.txt"  # a free name, no overwrite
    assert upload.document.read() == b"two"
    upload.document.close()
    assert (uploads / "uploads/v.txt").read_bytes() == b"one"  # old file kept
    assert upload.notes.name == "notes/n.txt"  # no new upload: unchanged
    response = Client().post(
        f"/uploads/{upload.pk}/edit/", {"title": "v3", "notes-clear": "on"}
    )
    assert response.status_code == 302
    upload.refresh_from_db()
    assert not upload.notes
    assert upload.document.read() == b"two"
    upload.document.close()


def test_path_traversal_in_the_upload_name_stays_inside_media(uploads: Path) -> None:
    upload = _post_raw(b"../../etc/passwd")
    assert upload.document.name == "uploads/passwd"
    assert _inside(uploads, upload.document.name).read_bytes() == b"payload"


def test_windows_separators_and_nul_bytes_are_dropped(uploads: Path) -> None:
    upload = _post_raw(b"..\\..\\evil\x00.txt")
    assert "\x00" not in upload.document.name
    assert "\\" not in upload.document.name
    assert upload.document.name.startswith("uploads/")
    assert _inside(uploads, upload.document.name).read_bytes() == b"payload"


def test_very_long_upload_names_are_refused_by_the_form(uploads: Path) -> None:
    response = Client().post(
        "/uploads/new/",
        _raw_upload(b"a" * 400 + b".txt", b"payload"),
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
    )
    assert response.status_code == 200
    # The name was cut to 255 bytes while parsing, then the form refused it.
    assert b"at most 100 characters (it has 255)" in response.content
    assert not Upload.objects.exists()
    assert not (uploads / "uploads").exists()
