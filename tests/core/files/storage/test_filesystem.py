"""FileSystemStorage: saving, naming, hostile names, permissions and settings."""

from __future__ import annotations

import os
import stat
from datetime import datetime
from pathlib import Path

import pytest

from manouche.core.exceptions import SuspiciousFileOperation
from manouche.core.files.base import ContentFile, File
from manouche.core.files.storage import FileSystemStorage
from manouche.core.files.uploadedfile import (
    SimpleUploadedFile,
    TemporaryUploadedFile,
)
from manouche.test.utils import override_settings


@pytest.fixture
def storage(tmp_path: Path) -> FileSystemStorage:
    return FileSystemStorage(location=tmp_path, base_url="/media/")


def test_save_open_size_exists_delete_round_trip(storage: FileSystemStorage) -> None:
    name = storage.save("notes/hello.txt", ContentFile(b"hello"))
    assert name == "notes/hello.txt"
    assert storage.exists(name)
    assert storage.size(name) == 5
    with storage.open(name) as f:
        assert f.read() == b"hello"
    storage.delete(name)
    assert not storage.exists(name)
    storage.delete(name)  # deleting a missing file is not an error


def test_save_text_content_is_written_as_utf8(storage: FileSystemStorage) -> None:
    name = storage.save("text.txt", ContentFile("héllo"))
    assert Path(storage.path(name)).read_bytes() == "héllo".encode()


def test_save_uses_content_name_when_name_is_none(storage: FileSystemStorage) -> None:
    assert storage.save(None, ContentFile(b"x", name="given.txt")) == "given.txt"


def test_save_wraps_plain_file_objects(
    storage: FileSystemStorage, tmp_path: Path
) -> None:
    source = tmp_path / "source.bin"
    source.write_bytes(b"abc")
    with open(source, "rb") as handle:
        name = storage.save("copy.bin", handle)
    assert Path(storage.path(name)).read_bytes() == b"abc"


def test_save_leaves_no_temporary_files(storage: FileSystemStorage) -> None:
    storage.save("a.txt", ContentFile(b"a"))
    assert storage.listdir("") == ([], ["a.txt"])


def test_failed_save_leaves_nothing_behind(storage: FileSystemStorage) -> None:
    class Exploding(File):
        def chunks(self, chunk_size: int | None = None):  # type: ignore[no-untyped-def]
            yield b"partial"
            raise OSError("disk on fire")

    with pytest.raises(OSError, match="disk on fire"):
        storage.save("broken.txt", Exploding(None, "broken.txt"))
    assert storage.listdir("") == ([], [])


def test_name_collision_gets_an_alternative_name(storage: FileSystemStorage) -> None:
    first = storage.save("report.tar.gz", ContentFile(b"1"))
    second = storage.save("report.tar.gz", ContentFile(b"2"))
    assert first == "report.tar.gz"
    assert second != first
    assert second.startswith("report_")
    assert second.endswith(".tar.gz")
    assert len(second) == len("report_") + 7 + len(".tar.gz")
    assert Path(storage.path(first)).read_bytes() == b"1"


def test_publish_race_picks_another_name(storage: FileSystemStorage) -> None:
    storage.save("race.txt", ContentFile(b"first"))
    # Simulate a concurrent writer: the free-name check says yes, but the
    # name is taken by the time the file is published.
    name = storage._save("race.txt", ContentFile(b"second"))
    assert name != "race.txt"
    assert Path(storage.path("race.txt")).read_bytes() == b"first"


def test_allow_overwrite_replaces_existing_file(tmp_path: Path) -> None:
    storage = FileSystemStorage(location=tmp_path, allow_overwrite=True)
    storage.save("same.txt", ContentFile(b"old"))
    assert storage.save("same.txt", ContentFile(b"new")) == "same.txt"
    assert (tmp_path / "same.txt").read_bytes() == b"new"
    assert storage.listdir("") == ([], ["same.txt"])


def test_allow_overwrite_truncates_to_max_length(tmp_path: Path) -> None:
    storage = FileSystemStorage(location=tmp_path, allow_overwrite=True)
    assert storage.get_available_name("abcdefgh.txt", max_length=8) == "abcd.txt"
    with pytest.raises(SuspiciousFileOperation, match="truncate away entire filename"):
        storage.get_available_name("abcdefgh.txt", max_length=4)


def test_long_name_is_truncated_to_max_length(storage: FileSystemStorage) -> None:
    name = storage.save("a" * 40 + ".txt", ContentFile(b"x"), max_length=20)
    assert len(name) <= 20
    assert name.endswith(".txt")


def test_no_room_for_a_name_raises(storage: FileSystemStorage) -> None:
    storage.save("dir/abc.txt", ContentFile(b"x"))
    with pytest.raises(
        SuspiciousFileOperation,
        match='Storage can not find an available filename for "dir/.*". '
        "Please make sure that the corresponding file field allows sufficient "
        '"max_length".',
    ):
        storage.get_available_name("dir/abc.txt", max_length=11)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "../../etc/passwd",
            "Detected path traversal attempt in '../../etc/passwd'",
        ),
        ("/etc/passwd", "Detected path traversal attempt in '/etc/passwd'"),
        ("a/../../x.txt", "Detected path traversal attempt"),
        ("..", "Could not derive file name from '..'"),
        ("dir/", "Could not derive file name from 'dir/'"),
    ],
)
def test_hostile_names_are_refused_on_save(
    storage: FileSystemStorage, tmp_path: Path, name: str, message: str
) -> None:
    with pytest.raises(SuspiciousFileOperation, match=message):
        storage.save(name, ContentFile(b"evil"))
    assert list(tmp_path.parent.glob("passwd")) == []
    assert storage.listdir("") == ([], [])


def test_backslash_traversal_is_refused(storage: FileSystemStorage) -> None:
    with pytest.raises(SuspiciousFileOperation, match="path traversal"):
        storage.get_available_name("..\\..\\evil.txt")


@pytest.mark.parametrize("name", ["../outside.txt", "/etc/passwd", "a/../../b"])
def test_path_refuses_names_outside_location(
    storage: FileSystemStorage, name: str
) -> None:
    with pytest.raises(SuspiciousFileOperation, match="outside of the base path"):
        storage.path(name)
    with pytest.raises(SuspiciousFileOperation):
        storage.exists(name)
    with pytest.raises(SuspiciousFileOperation):
        storage.open(name)
    with pytest.raises(SuspiciousFileOperation):
        storage.delete(name)


def test_sibling_directory_with_common_prefix_is_outside(tmp_path: Path) -> None:
    storage = FileSystemStorage(location=tmp_path / "media")
    with pytest.raises(SuspiciousFileOperation, match="outside of the base path"):
        storage.path("../media-private/secret.txt")


def test_nul_byte_is_refused(storage: FileSystemStorage) -> None:
    with pytest.raises(SuspiciousFileOperation, match="null byte"):
        storage.save("evil\x00.txt", ContentFile(b"x"))


def test_symlinked_directory_cannot_redirect_writes(tmp_path: Path) -> None:
    location = tmp_path / "media"
    outside = tmp_path / "outside"
    location.mkdir()
    outside.mkdir()
    (location / "link").symlink_to(outside, target_is_directory=True)
    storage = FileSystemStorage(location=location)
    with pytest.raises(SuspiciousFileOperation, match="resolves outside"):
        storage.save("link/evil.txt", ContentFile(b"x"))
    assert list(outside.iterdir()) == []


def test_generate_filename_sanitises_the_file_name(storage: FileSystemStorage) -> None:
    assert storage.generate_filename("dir/my file$.txt") == "dir/my_file.txt"
    with pytest.raises(SuspiciousFileOperation, match="path traversal"):
        storage.generate_filename("../x.txt")
    with pytest.raises(SuspiciousFileOperation, match="Could not derive file name"):
        storage.generate_filename("dir/$$$")


def test_listdir_splits_directories_and_files(storage: FileSystemStorage) -> None:
    storage.save("top.txt", ContentFile(b"x"))
    storage.save("sub/inner.txt", ContentFile(b"y"))
    directories, files = storage.listdir("")
    assert (directories, files) == (["sub"], ["top.txt"])
    assert storage.listdir("sub") == ([], ["inner.txt"])


def test_file_inside_a_file_is_refused(storage: FileSystemStorage) -> None:
    storage.save("file.txt", ContentFile(b"x"))
    with pytest.raises(FileExistsError, match="exists and is not a directory"):
        storage.save("file.txt/child.txt", ContentFile(b"y"))


def test_url_quotes_and_joins_base_url(storage: FileSystemStorage) -> None:
    assert storage.url("dir/a b#?.txt") == "/media/dir/a%20b%23%3F.txt"
    assert storage.url(None) == "/media/"
    assert FileSystemStorage(base_url="/x").url("f") == "/x/f"


@override_settings(MEDIA_URL=None)
def test_url_without_base_url_raises() -> None:
    with pytest.raises(ValueError, match="This file is not accessible via a URL."):
        FileSystemStorage().url("f")


def test_times_are_aware_with_use_tz(storage: FileSystemStorage) -> None:
    name = storage.save("t.txt", ContentFile(b"x"))
    for getter in (
        storage.get_accessed_time,
        storage.get_created_time,
        storage.get_modified_time,
    ):
        value = getter(name)
        assert isinstance(value, datetime)
        assert value.tzinfo is not None


@override_settings(USE_TZ=False)
def test_times_are_naive_without_use_tz(storage: FileSystemStorage) -> None:
    name = storage.save("t.txt", ContentFile(b"x"))
    assert storage.get_modified_time(name).tzinfo is None


def test_permission_modes_are_applied(tmp_path: Path) -> None:
    storage = FileSystemStorage(
        location=tmp_path,
        file_permissions_mode=0o640,
        directory_permissions_mode=0o751,
    )
    name = storage.save("a/b/c.txt", ContentFile(b"x"))
    assert stat.S_IMODE(os.stat(storage.path(name)).st_mode) == 0o640
    assert stat.S_IMODE(os.stat(tmp_path / "a").st_mode) == 0o751
    assert stat.S_IMODE(os.stat(tmp_path / "a" / "b").st_mode) == 0o751


@override_settings(
    FILE_UPLOAD_PERMISSIONS=0o600, FILE_UPLOAD_DIRECTORY_PERMISSIONS=0o700
)
def test_permission_modes_default_to_settings(tmp_path: Path) -> None:
    storage = FileSystemStorage(location=tmp_path)
    name = storage.save("d/f.txt", ContentFile(b"x"))
    assert stat.S_IMODE(os.stat(storage.path(name)).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(tmp_path / "d").st_mode) == 0o700


def test_settings_are_read_lazily_and_refreshed(tmp_path: Path) -> None:
    storage = FileSystemStorage()
    with override_settings(MEDIA_ROOT=str(tmp_path / "one"), MEDIA_URL="/one/"):
        assert storage.location == str(tmp_path / "one")
        assert storage.base_url == "/one/"
        with override_settings(MEDIA_ROOT=str(tmp_path / "two")):
            assert storage.location == str(tmp_path / "two")
    explicit = FileSystemStorage(location=tmp_path / "fixed")
    with override_settings(MEDIA_ROOT=str(tmp_path / "other")):
        assert explicit.location == str(tmp_path / "fixed")


def test_temporary_upload_is_moved(storage: FileSystemStorage) -> None:
    upload = TemporaryUploadedFile("up.txt", "text/plain", 5, "utf-8")
    upload.write(b"moved")
    upload.flush()
    source = upload.temporary_file_path()
    name = storage.save("up.txt", upload)
    assert not os.path.exists(source)
    assert Path(storage.path(name)).read_bytes() == b"moved"
    upload.close()  # the temporary file is gone; closing must not fail


def test_temporary_upload_collision_gets_alternative(
    storage: FileSystemStorage,
) -> None:
    storage.save("up.txt", ContentFile(b"existing"))
    upload = TemporaryUploadedFile("up.txt", "text/plain", 3, "utf-8")
    upload.write(b"new")
    upload.flush()
    name = storage._save("up.txt", upload)  # skip the free-name check: a race
    assert name != "up.txt"
    assert Path(storage.path(name)).read_bytes() == b"new"
    assert Path(storage.path("up.txt")).read_bytes() == b"existing"
    upload.close()


def test_in_memory_upload_is_written(storage: FileSystemStorage) -> None:
    upload = SimpleUploadedFile("../../evil name.txt", b"payload")
    assert upload.name == "evil name.txt"
    name = storage.save(upload.name, upload)
    assert Path(storage.path(name)).read_bytes() == b"payload"


def test_deconstruct_records_arguments(tmp_path: Path) -> None:
    storage = FileSystemStorage(location=str(tmp_path), base_url="/m/")
    path, args, kwargs = storage.deconstruct()  # type: ignore[attr-defined]
    assert path == "manouche.core.files.storage.FileSystemStorage"
    assert args == ()
    assert kwargs == {"location": str(tmp_path), "base_url": "/m/"}


def test_base_storage_methods_are_abstract() -> None:
    from manouche.core.files.storage import Storage

    storage = Storage()
    with pytest.raises(NotImplementedError, match="provide an exists\\(\\) method"):
        storage.exists("x")
    with pytest.raises(NotImplementedError, match="doesn't support absolute paths"):
        storage.path("x")
