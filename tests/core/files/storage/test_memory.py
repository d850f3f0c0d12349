"""InMemoryStorage: the same API without touching the disk."""

from __future__ import annotations

import os

import pytest

from manouche.core.exceptions import SuspiciousFileOperation
from manouche.core.files.base import ContentFile
from manouche.core.files.storage import InMemoryStorage
from manouche.core.files.uploadedfile import TemporaryUploadedFile
from manouche.test.utils import override_settings


@pytest.fixture
def storage() -> InMemoryStorage:
    return InMemoryStorage(location="/virtual", base_url="/media/")


def test_save_open_size_exists_delete(storage: InMemoryStorage) -> None:
    name = storage.save("dir/a.txt", ContentFile(b"hello"))
    assert name == "dir/a.txt"
    assert storage.exists("dir")
    assert storage.exists(name)
    assert storage.size(name) == 5
    with storage.open(name) as f:
        assert f.read() == b"hello"
    storage.delete(name)
    assert not storage.exists(name)
    storage.delete("missing/file.txt")
    assert not os.path.exists("/virtual")


def test_open_converts_between_text_and_bytes(storage: InMemoryStorage) -> None:
    with storage.open("t.txt", "w") as f:
        f.write("héllo")
    assert storage.open("t.txt", "rb").read() == "héllo".encode()
    assert storage.open("t.txt", "r").read() == "héllo"
    with storage.open("t.txt", "a") as f:
        f.write("!")
    assert storage.open("t.txt", "r").read() == "héllo!"


def test_open_missing_and_directory(storage: InMemoryStorage) -> None:
    storage.save("d/f.txt", ContentFile(b"x"))
    with pytest.raises(FileNotFoundError):
        storage.open("missing.txt")
    with pytest.raises(IsADirectoryError):
        storage.open("d")


def test_collisions_get_alternative_names(storage: InMemoryStorage) -> None:
    first = storage.save("x.txt", ContentFile(b"1"))
    second = storage.save("x.txt", ContentFile(b"2"))
    assert first == "x.txt"
    assert second != first
    assert second.endswith(".txt")
    assert storage.open(first).read() == b"1"
    # A race past the free-name check still does not overwrite.
    third = storage._save("x.txt", ContentFile(b"3"))
    assert third not in {first, second}
    assert storage.open(first).read() == b"1"


def test_listdir_and_file_node_children(storage: InMemoryStorage) -> None:
    storage.save("top.txt", ContentFile(b"x"))
    storage.save("sub/in.txt", ContentFile(b"y"))
    assert storage.listdir("") == (["sub"], ["top.txt"])
    with pytest.raises(FileExistsError, match="is not a directory"):
        storage.listdir("top.txt/child")
    with pytest.raises(FileExistsError):
        storage.save("top.txt/child.txt", ContentFile(b"z"))


@pytest.mark.parametrize("name", ["../../etc/passwd", "/etc/passwd", "a/../../b"])
def test_hostile_names_are_refused(storage: InMemoryStorage, name: str) -> None:
    with pytest.raises(SuspiciousFileOperation):
        storage.save(name, ContentFile(b"evil"))
    with pytest.raises(SuspiciousFileOperation):
        storage.open(name, "w")
    assert storage.listdir("") == ([], [])


def test_times_move_forward(storage: InMemoryStorage) -> None:
    name = storage.save("dir/t.txt", ContentFile(b"x"))
    created = storage.get_created_time(name)
    modified = storage.get_modified_time("dir")
    storage.save("dir/u.txt", ContentFile(b"y"))
    assert storage.get_modified_time("dir") >= modified
    assert storage.get_created_time(name) == created
    assert created.tzinfo is not None
    storage.open(name)
    assert storage.get_accessed_time(name) >= created


def test_temporary_upload_is_read_and_removed(storage: InMemoryStorage) -> None:
    upload = TemporaryUploadedFile("u.txt", "text/plain", 3, "utf-8")
    with upload:
        upload.write(b"abc")
        name = storage.save("u.txt", upload)
        assert not os.path.exists(upload.temporary_file_path())
    assert storage.open(name).read() == b"abc"


def test_url(storage: InMemoryStorage) -> None:
    assert storage.url("a b.txt") == "/media/a%20b.txt"
    assert storage.url(None) == "/media/"
    with override_settings(MEDIA_URL=None), pytest.raises(ValueError, match="URL"):
        InMemoryStorage().url("x")


def test_settings_defaults_refresh(tmp_path: object) -> None:
    storage = InMemoryStorage()
    with override_settings(MEDIA_ROOT="/one", MEDIA_URL="/u/"):
        assert storage.location == "/one"
        assert storage.base_url == "/u/"
    path, args, kwargs = storage.deconstruct()  # type: ignore[attr-defined]
    assert path == "manouche.core.files.storage.InMemoryStorage"
    assert (args, kwargs) == ((), {})
