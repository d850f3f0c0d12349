"""Multipart parsing: fields, files, limits and hostile bodies."""

from __future__ import annotations

import glob
import io
import os
import tempfile

import pytest

from manouche.core.exceptions import (
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from manouche.core.files.uploadedfile import (
    InMemoryUploadedFile,
    TemporaryUploadedFile,
)
from manouche.core.files.uploadhandler import FileUploadHandler, StopUpload
from manouche.http.multipartparser import MultiPartParser, MultiPartParserError
from manouche.test.utils import override_settings
from tests.http.helpers import field, file_part, make_request, multipart_body

CT = "multipart/form-data; boundary=BoUnDaRy"


def post(body: bytes, content_type: str = CT, **meta):
    return make_request("POST", body=body, content_type=content_type, **meta)


def test_fields_and_files():
    body = multipart_body(
        [
            field("name", "Jürgen".encode()),
            field("name", b"second"),
            file_part("doc", "notes.txt", b"hello\r\nworld"),
        ]
    )
    request = post(body)
    assert request.POST.getlist("name") == ["Jürgen", "second"]
    upload = request.FILES["doc"]
    assert isinstance(upload, InMemoryUploadedFile)
    assert upload.name == "notes.txt"
    assert upload.read() == b"hello\r\nworld"
    assert upload.size == 12
    assert upload.content_type == "text/plain"
    assert upload.field_name == "doc"
    assert not request.POST._mutable


def test_content_type_params_become_charset_and_extra():
    body = multipart_body(
        [file_part("f", "a.txt", b"x", content_type="text/plain; charset=latin-1; x=y")]
    )
    upload = post(body).FILES["f"]
    assert upload.charset == "latin-1"
    assert upload.content_type_extra == {"x": "y"}


def test_preamble_and_epilogue_are_skipped():
    body = b"preamble junk\r\n" + multipart_body([field("a", b"1")]) + b"epilogue"
    assert post(body).POST["a"] == "1"


def test_empty_filename_part_is_skipped():
    body = multipart_body([file_part("f", "", b""), field("a", b"1")])
    request = post(body)
    assert "f" not in request.FILES
    assert request.POST["a"] == "1"


def test_invalid_utf8_in_field_is_replaced():
    assert post(multipart_body([field("a", b"\xff")])).POST["a"] == "\ufffd"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\windows\\system.ini", "system.ini"),
        ("C:\\Users\\me\\pic.png", "pic.png"),
        (".htaccess", "htaccess"),
        ("...hidden.txt", "hidden.txt"),
        ("evil\x00.txt", "evil.txt"),
        ("a\u202etxt.exe", "atxt.exe"),
        ("a\u200fb.txt", "ab.txt"),
        ("tab\there.txt", "tabhere.txt"),
        ("&#x2e;&#x2e;&#x2f;x.txt", "x.txt"),
        ("é" * 200 + ".txt", "é" * 125 + ".txt"),
    ],
)
def test_dangerous_file_names_are_sanitized(raw, expected):
    body = multipart_body([file_part("f", raw, b"x")])
    name = post(body).FILES["f"].name
    assert name == expected
    assert len(name.encode()) <= 255


@pytest.mark.parametrize("raw", ["..", ".", "/", "\\", "\x00", "\u202e", " . "])
def test_file_names_that_sanitize_to_nothing_are_skipped(raw):
    body = multipart_body([file_part("f", raw, b"x")])
    assert post(body).FILES == {}


def test_missing_boundary_parameter():
    request = post(
        multipart_body([field("a", b"1")]), content_type="multipart/form-data"
    )
    with pytest.raises(MultiPartParserError, match="Invalid boundary"):
        request.POST  # noqa: B018
    assert request.POST == {}


@pytest.mark.parametrize("boundary", ["a" * 71, "bad\x00", "ends-with-space "])
def test_invalid_boundaries_are_refused(boundary):
    request = post(b"", content_type=f'multipart/form-data; boundary="{boundary}"')
    with pytest.raises(MultiPartParserError, match="Invalid boundary"):
        request.POST  # noqa: B018


def test_seventy_character_boundary_is_accepted():
    boundary = "b" * 70
    body = multipart_body([field("a", b"1")], boundary=boundary)
    request = post(body, content_type=f"multipart/form-data; boundary={boundary}")
    assert request.POST["a"] == "1"


def test_body_without_any_boundary_line():
    with pytest.raises(MultiPartParserError, match="opening boundary is missing"):
        post(b"just some bytes").POST  # noqa: B018


def test_unterminated_part():
    body = b'--BoUnDaRy\r\nContent-Disposition: form-data; name="a"\r\n\r\nvalue'
    with pytest.raises(MultiPartParserError, match="closing boundary is missing"):
        post(body).POST  # noqa: B018


def test_unterminated_file_part_deletes_temp_file(tmp_path):
    body = (
        b'--BoUnDaRy\r\nContent-Disposition: form-data; name="f"; '
        b'filename="a.bin"\r\n\r\n' + b"x" * 5000
    )
    with (
        override_settings(
            FILE_UPLOAD_MAX_MEMORY_SIZE=10, FILE_UPLOAD_TEMP_DIR=str(tmp_path)
        ),
        pytest.raises(MultiPartParserError),
    ):
        post(body).FILES  # noqa: B018
    assert os.listdir(tmp_path) == []


def test_garbage_after_boundary():
    body = b"--BoUnDaRyXX\r\n\r\n"
    with pytest.raises(MultiPartParserError, match="Invalid multipart body"):
        post(body).POST  # noqa: B018


def base64_part(name: str, data: bytes, filename: str | None = None):
    disposition = f'form-data; name="{name}"'
    if filename is not None:
        disposition += f'; filename="{filename}"'
    return (
        {"Content-Disposition": disposition, "Content-Transfer-Encoding": "base64"},
        data,
    )


def test_base64_field_is_decoded():
    body = multipart_body([base64_part("a", b"dmFsdWU=")])
    assert post(body).POST.getlist("a") == ["value"]


def test_field_that_is_not_really_base64_is_kept_as_sent():
    body = multipart_body([base64_part("a", b"123")])
    assert post(body).POST.getlist("a") == ["123"]


def test_base64_file_is_decoded_across_line_breaks():
    encoded = b"\r\n".join([b"aGVs", b"bG8g", b"d29y", b"bGQ="])
    body = multipart_body([base64_part("f", encoded, filename="a.txt")])
    assert post(body).FILES["f"].read() == b"hello world"


@pytest.mark.parametrize("data", [b"A", b"AA", b"AAA", b"AAAAA", b"Zsg\xc2\xa3"])
def test_truncated_or_invalid_base64_file_is_refused(data):
    body = multipart_body([base64_part("f", data, filename="a.txt")])
    with pytest.raises(MultiPartParserError, match="Could not decode base64 data"):
        post(body).FILES  # noqa: B018


def test_declared_empty_body_is_an_empty_form():
    body = multipart_body([field("a", b"1")])
    request = post(body, CONTENT_LENGTH="0")
    assert request.POST == {}
    assert request.FILES == {}


def test_non_ascii_content_type_is_refused_with_its_value():
    request = post(b"", content_type="multipart/form-data; boundary=\xe0")
    with pytest.raises(
        MultiPartParserError,
        match="Invalid non-ASCII Content-Type in multipart: multipart/form-data",
    ):
        request.POST  # noqa: B018


def test_too_many_part_header_lines():
    headers = {"Content-Disposition": 'form-data; name="a"'}
    headers.update({f"X-H{i}": "v" for i in range(16)})
    with pytest.raises(MultiPartParserError, match="header"):
        post(multipart_body([(headers, b"1")])).POST  # noqa: B018


def test_part_header_block_over_10k():
    headers = {
        "Content-Disposition": 'form-data; name="a"',
        "X-Big": "v" * 5200,
        "X-Big2": "v" * 5200,
    }
    with pytest.raises(MultiPartParserError, match="max total header size exceeded"):
        post(multipart_body([(headers, b"1")])).POST  # noqa: B018


@override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=3)
def test_too_many_fields():
    body = multipart_body([field(f"f{i}", b"1") for i in range(4)])
    with pytest.raises(TooManyFieldsSent, match="DATA_UPLOAD_MAX_NUMBER_FIELDS"):
        post(body).POST  # noqa: B018


@override_settings(DATA_UPLOAD_MAX_NUMBER_FILES=2)
def test_too_many_files():
    body = multipart_body([file_part(f"f{i}", f"{i}.txt", b"x") for i in range(3)])
    with pytest.raises(TooManyFilesSent, match="DATA_UPLOAD_MAX_NUMBER_FILES"):
        post(body).FILES  # noqa: B018


def test_100k_multipart_fields_stop_at_limit():
    body = multipart_body([field("f", b"") for _ in range(100_000)])
    with (
        override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=None),
        pytest.raises(TooManyFieldsSent),
    ):
        post(body).POST  # noqa: B018


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=100)
def test_field_data_counts_toward_memory_limit():
    body = multipart_body([field("a", b"x" * 60), field("b", b"y" * 60)])
    with pytest.raises(RequestDataTooBig, match="DATA_UPLOAD_MAX_MEMORY_SIZE"):
        post(body).POST  # noqa: B018


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=100)
def test_file_data_does_not_count_toward_memory_limit():
    body = multipart_body([file_part("f", "a.bin", b"z" * 1000)])
    assert post(body).FILES["f"].size == 1000


def test_large_upload_spills_to_temporary_file(tmp_path):
    body = multipart_body([file_part("f", "big.bin", b"q" * 300_000)])
    with override_settings(
        FILE_UPLOAD_MAX_MEMORY_SIZE=1000, FILE_UPLOAD_TEMP_DIR=str(tmp_path)
    ):
        request = post(body)
        upload = request.FILES["f"]
        assert isinstance(upload, TemporaryUploadedFile)
        path = upload.temporary_file_path()
        assert path.startswith(str(tmp_path))
        assert os.path.getsize(path) == 300_000
        assert upload.size == 300_000
        assert upload.read(3) == b"qqq"
        request.close()
        assert not os.path.exists(path)


def test_failure_after_a_stored_file_deletes_it(tmp_path):
    body = multipart_body(
        [file_part("f", "big.bin", b"q" * 5000), file_part("g", "x.bin", b"1")]
    )
    with (
        override_settings(
            FILE_UPLOAD_MAX_MEMORY_SIZE=10,
            FILE_UPLOAD_TEMP_DIR=str(tmp_path),
            DATA_UPLOAD_MAX_NUMBER_FILES=1,
        ),
        pytest.raises(TooManyFilesSent),
    ):
        post(body).FILES  # noqa: B018
    assert glob.glob(str(tmp_path / "*")) == []


def test_custom_upload_handler_sees_chunks_and_can_stop():
    class Recording(FileUploadHandler):
        def __init__(self, request=None):
            super().__init__(request)
            self.chunks = []

        def receive_data_chunk(self, raw_data, start):
            self.chunks.append((start, raw_data))
            if len(self.chunks) > 1:
                raise StopUpload(connection_reset=True)
            return None

        def file_complete(self, file_size):
            return None

    handler = Recording()
    body = multipart_body([file_part("f", "a.bin", b"a" * 10)])
    request = post(body)
    request.upload_handlers = [handler]
    assert request.FILES == {}
    assert handler.chunks[0][0] == 0


def test_parser_rejects_non_multipart_content_type():
    with pytest.raises(MultiPartParserError, match="Invalid Content-Type"):
        MultiPartParser({"CONTENT_TYPE": "text/plain"}, io.BytesIO(), [], None)


def test_parser_rejects_negative_content_length():
    with pytest.raises(MultiPartParserError, match="Invalid content length"):
        MultiPartParser(
            {"CONTENT_TYPE": CT, "CONTENT_LENGTH": "-1"}, io.BytesIO(), [], None
        )


def test_parts_without_name_are_ignored():
    body = multipart_body(
        [({"Content-Disposition": "form-data"}, b"x"), field("a", b"1")]
    )
    assert post(body).POST == {"a": ["1"]}


def test_missing_content_length_uses_stream_size():
    body = multipart_body([file_part("f", "a.txt", b"abc")])
    request = post(body)
    del request.META["CONTENT_LENGTH"]
    assert request.FILES["f"].read() == b"abc"


def test_body_already_read_is_reparsed_from_memory():
    body = multipart_body([field("a", b"1")])
    request = post(body)
    assert request.body == body
    assert request.POST["a"] == "1"


def test_tempdir_untouched_by_in_memory_uploads():
    before = set(os.listdir(tempfile.gettempdir()))
    post(multipart_body([file_part("f", "a.txt", b"x")])).FILES  # noqa: B018
    assert set(os.listdir(tempfile.gettempdir())) - before == set()


def test_lazy_stream_reads_across_chunks_and_takes_bytes_back():
    from manouche.http.multipartparser import LazyStream

    stream = LazyStream(iter([b"abc", b"def", b"g"]))
    assert stream.read(4) == b"abcd"
    stream.unget(b"cd")
    assert stream.tell() == 2
    assert stream.read() == b"cdefg"
    assert stream.read(1) == b""


def test_memory_handler_measures_a_seekable_body_with_understated_length():
    from manouche.core.files.uploadhandler import MemoryFileUploadHandler

    handler = MemoryFileUploadHandler()
    with override_settings(FILE_UPLOAD_MAX_MEMORY_SIZE=10):
        handler.handle_raw_input(io.BytesIO(b"x" * 15), {}, 0, b"b")
    assert handler.activated is False
