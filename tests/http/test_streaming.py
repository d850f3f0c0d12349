"""StreamingHttpResponse and FileResponse: sync and async bodies, file headers."""

from __future__ import annotations

import io
import os
import tempfile

import pytest

from manouche.http import FileResponse, StreamingHttpResponse


def test_sync_streaming_content_is_bytes():
    response = StreamingHttpResponse(iter(["a", b"b"]))
    assert not response.is_async
    assert list(response) == [b"a", b"b"]


def test_streaming_response_has_no_content_or_text():
    response = StreamingHttpResponse([])
    with pytest.raises(AttributeError, match="Use `streaming_content` instead"):
        response.content  # noqa: B018
    with pytest.raises(AttributeError, match="no `text` attribute"):
        response.text  # noqa: B018


def test_getvalue_and_close_registers_iterator_close():
    closed = []

    class Source:
        def __iter__(self):
            return iter([b"x", b"y"])

        def close(self):
            closed.append(True)

    response = StreamingHttpResponse(Source())
    assert response.getvalue() == b"xy"
    response.close()
    assert closed == [True]


async def agen():
    yield "a"
    yield b"b"


async def test_async_streaming_content():
    response = StreamingHttpResponse(agen())
    assert response.is_async
    assert [part async for part in response] == [b"a", b"b"]


async def test_sync_iterator_served_asynchronously_chunk_by_chunk():
    response = StreamingHttpResponse(iter([b"1", "2"]))
    assert [part async for part in response] == [b"1", b"2"]


def test_async_iterator_consumed_from_sync_code_warns():
    response = StreamingHttpResponse(agen())
    with pytest.warns(Warning, match="must consume asynchronous iterators"):
        parts = list(response)
    assert parts == [b"a", b"b"]


def test_file_response_sets_length_type_and_disposition():
    with tempfile.NamedTemporaryFile(suffix=".txt", delete=False) as tmp:
        tmp.write(b"x" * 10000)
    try:
        response = FileResponse(open(tmp.name, "rb"))  # noqa: SIM115
        assert response["Content-Length"] == "10000"
        assert response["Content-Type"] == "text/plain"
        name = os.path.basename(tmp.name)
        assert response["Content-Disposition"] == f'inline; filename="{name}"'
        chunks = list(response)
        assert [len(c) for c in chunks] == [4096, 4096, 1808]
        response.close()
        assert response.file_to_stream.closed
    finally:
        os.unlink(tmp.name)


@pytest.mark.parametrize(
    ("filename", "content_type"),
    [
        ("a.tar.gz", "application/gzip"),
        ("a.tar.bz2", "application/x-bzip"),
        ("a.tar.xz", "application/x-xz"),
        ("a.json", "application/json"),
        ("noext", "application/octet-stream"),
    ],
)
def test_file_response_content_type_guessing(filename, content_type):
    response = FileResponse(io.BytesIO(b"data"), filename=filename)
    assert response["Content-Type"] == content_type


def test_file_response_explicit_content_type_wins():
    response = FileResponse(io.BytesIO(b"x"), filename="a.gz", content_type="x/y")
    assert response["Content-Type"] == "x/y"


def test_file_response_attachment_with_non_ascii_name_uses_rfc6266():
    response = FileResponse(
        io.BytesIO(b"x"), as_attachment=True, filename='résumé "v1".pdf'
    )
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''r%C3%A9sum%C3%A9%20%22v1%22.pdf"
    )


def test_file_response_filename_cannot_inject_headers():
    response = FileResponse(
        io.BytesIO(b"x"), as_attachment=True, filename='a"\r\nX-Evil: 1.txt'
    )
    assert response["Content-Disposition"] == (
        'attachment; filename="a\\"X-Evil: 1.txt"'
    )


def test_file_response_attachment_without_name():
    response = FileResponse(io.BytesIO(b"x"), as_attachment=True)
    assert response["Content-Disposition"] == "attachment"
    assert response["Content-Type"] == "application/octet-stream"


def test_file_response_from_partially_read_buffer():
    buffer = io.BytesIO(b"0123456789")
    buffer.read(4)
    response = FileResponse(buffer)
    assert response["Content-Length"] == "6"
    assert b"".join(response) == b"456789"


def test_file_response_with_plain_iterable():
    response = FileResponse([b"a", b"b"])
    assert response.file_to_stream is None
    assert list(response) == [b"a", b"b"]


async def test_file_response_served_asynchronously():
    response = FileResponse(io.BytesIO(b"z" * 5000))
    assert [len(p) async for p in response] == [4096, 904]
