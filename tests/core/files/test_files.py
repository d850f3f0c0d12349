"""File wrappers, uploaded files, upload handlers and file name checks."""

from __future__ import annotations

import io
import os

import pytest

from manouche.core.exceptions import SuspiciousFileOperation
from manouche.core.files import File
from manouche.core.files.base import ContentFile
from manouche.core.files.uploadedfile import (
    SimpleUploadedFile,
    TemporaryUploadedFile,
    UploadedFile,
)
from manouche.core.files.uploadhandler import (
    FileUploadHandler,
    MemoryFileUploadHandler,
    StopUpload,
    TemporaryFileUploadHandler,
    load_handler,
)
from manouche.core.files.utils import sanitize_upload_name, validate_file_name
from manouche.test.utils import override_settings


def test_file_size_chunks_and_lines():
    f = File(io.BytesIO(b"one\ntwo\r\nthree\rfour"), name="x.txt")
    assert f.size == 19
    assert str(f) == "x.txt"
    assert list(f) == [b"one\n", b"two\r\n", b"three\r", b"four"]
    assert list(f.chunks(chunk_size=8)) == [b"one\ntwo\r", b"\nthree\rf", b"our"]
    assert f.multiple_chunks(chunk_size=8)
    assert not f.multiple_chunks()


def test_file_lines_across_chunk_boundaries():
    f = File(io.BytesIO(b"ab\r\ncd"))
    f.DEFAULT_CHUNK_SIZE = 3
    assert list(f) == [b"ab\r\n", b"cd"]


def test_file_context_manager_closes():
    buffer = io.BytesIO(b"x")
    with File(buffer) as f:
        assert f.read() == b"x"
    assert buffer.closed
    assert f.closed


def test_file_reopen_from_disk(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"data")
    f = File(open(path, "rb"))  # noqa: SIM115
    f.close()
    with f.open() as reopened:
        assert reopened.read() == b"data"


def test_content_file():
    f = ContentFile(b"abc", name="a.bin")
    assert f.size == 3
    assert bool(f)
    assert str(f) == "Raw content"
    assert f.read() == b"abc"
    assert ContentFile("text").read() == "text"


def test_uploaded_file_name_is_sanitized():
    assert UploadedFile(name="../../etc/passwd").name == "passwd"
    assert UploadedFile(name="a\x00b.txt").name == "ab.txt"
    assert repr(SimpleUploadedFile("a.txt", b"x")) == (
        "<SimpleUploadedFile: a.txt (text/plain)>"
    )


def test_simple_uploaded_file():
    f = SimpleUploadedFile("a.txt", b"hello")
    assert f.size == 5
    assert list(f.chunks()) == [b"hello"]
    assert not f.multiple_chunks()
    assert (
        SimpleUploadedFile.from_dict(
            {"filename": "b.txt", "content": b"x"}
        ).content_type
        == "text/plain"
    )


def test_temporary_uploaded_file_deleted_on_close(tmp_path):
    with override_settings(FILE_UPLOAD_TEMP_DIR=str(tmp_path)):
        f = TemporaryUploadedFile("a.txt", "text/plain", 0, None)
    path = f.temporary_file_path()
    assert path.endswith(".upload.txt")
    assert os.path.exists(path)
    f.close()
    assert not os.path.exists(path)


def test_temporary_handler_interrupted_removes_file(tmp_path):
    handler = TemporaryFileUploadHandler()
    with override_settings(FILE_UPLOAD_TEMP_DIR=str(tmp_path)):
        handler.new_file("f", "a.bin", "application/octet-stream", None)
    handler.receive_data_chunk(b"xx", 0)
    handler.upload_interrupted()
    assert os.listdir(tmp_path) == []


@override_settings(FILE_UPLOAD_MAX_MEMORY_SIZE=10)
def test_memory_handler_activation_by_size():
    handler = MemoryFileUploadHandler()
    handler.handle_raw_input(None, {}, 100, b"b")
    assert not handler.activated
    assert handler.receive_data_chunk(b"x", 0) == b"x"
    assert handler.file_complete(1) is None
    handler.handle_raw_input(None, {}, 5, b"b")
    assert handler.activated


def test_base_handler_requires_subclass_methods():
    handler = FileUploadHandler()
    with pytest.raises(NotImplementedError, match="receive_data_chunk"):
        handler.receive_data_chunk(b"", 0)
    with pytest.raises(NotImplementedError, match="file_complete"):
        handler.file_complete(0)


def test_load_handler_and_stop_upload_messages():
    handler = load_handler("manouche.core.files.uploadhandler.MemoryFileUploadHandler")
    assert isinstance(handler, MemoryFileUploadHandler)
    assert str(StopUpload(connection_reset=True)) == "StopUpload: Halt current upload."
    assert "Consume request data" in str(StopUpload())


@pytest.mark.parametrize("name", ["", ".", "..", "a/..", "dir/"])
def test_validate_file_name_refuses_empty_and_dots(name):
    with pytest.raises(SuspiciousFileOperation, match="Could not derive file name"):
        validate_file_name(name)


def test_validate_file_name_paths():
    assert validate_file_name("a.txt") == "a.txt"
    with pytest.raises(SuspiciousFileOperation, match="includes path elements"):
        validate_file_name("dir/a.txt")
    assert validate_file_name("dir/a.txt", allow_relative_path=True) == "dir/a.txt"
    for bad in ("/etc/passwd", "a/../../b"):
        with pytest.raises(SuspiciousFileOperation, match="path traversal"):
            validate_file_name(bad, allow_relative_path=True)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("a\\b\\c.txt", "c.txt"),
        ("..", ""),
        ("\u202egnp.exe", "gnp.exe"),
        ("  spaced name.txt  ", "spaced name.txt"),
        ("x" * 300 + ".tar.gz", "x" * 252 + ".gz"),
    ],
)
def test_sanitize_upload_name(raw, expected):
    assert sanitize_upload_name(raw) == expected
