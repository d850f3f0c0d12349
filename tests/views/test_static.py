"""The development file server: serve, directory_index, was_modified_since."""

from __future__ import annotations

import os
import types
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from manouche.http import Http404, HttpResponseNotModified
from manouche.test import Client, RequestFactory
from manouche.test.utils import override_settings
from manouche.urls import re_path
from manouche.utils.http import http_date
from manouche.views.static import directory_index, serve, was_modified_since


@pytest.fixture
def media(tmp_path: Path) -> Path:
    root = tmp_path / "media"
    (root / "sub").mkdir(parents=True)
    (root / "file.txt").write_text("hello\n")
    (root / "page.html").write_text("<script>alert(1)</script>")
    (root / "image.svg").write_text("<svg/>")
    (root / "blob.unknownext").write_bytes(b"\x00\x01")
    (root / "notes.txt.gz").write_bytes(b"\x1f\x8b")
    (root / ".hidden").write_text("secret")
    (root / "sub" / "<b>.txt").write_text("x")
    (tmp_path / "outside.txt").write_text("outside")
    return root


@pytest.fixture
def client(media: Path) -> Iterator[Client]:
    urlconf = types.ModuleType("static_test_urls")
    urlconf.urlpatterns = [  # type: ignore[attr-defined]
        re_path(
            r"^media/(?P<path>.*)$",
            serve,
            {"document_root": str(media), "show_indexes": True},
        ),
        re_path(r"^noindex/(?P<path>.*)$", serve, {"document_root": str(media)}),
    ]
    with override_settings(ROOT_URLCONF=urlconf):
        yield Client()


def body(response: Iterable[bytes]) -> bytes:
    return b"".join(response)


def test_serve_streams_the_file_with_type_and_length(client: Client) -> None:
    response = client.get("/media/file.txt")
    assert response.status_code == 200
    assert body(response) == b"hello\n"
    assert response.headers["Content-Type"] == "text/plain"
    assert response.headers["Content-Length"] == "6"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Last-Modified" in response.headers
    assert "Content-Security-Policy" not in response.headers


def test_serve_sets_content_encoding_for_compressed_files(client: Client) -> None:
    response = client.get("/media/notes.txt.gz")
    assert response.headers["Content-Encoding"] == "gzip"
    assert response.headers["Content-Type"] == "text/plain"
    response.close()


def test_unknown_type_is_octet_stream(client: Client) -> None:
    response = client.get("/media/blob.unknownext")
    assert response.headers["Content-Type"] == "application/octet-stream"
    response.close()


@pytest.mark.parametrize("name", ["page.html", "image.svg"])
def test_html_and_svg_are_sandboxed(client: Client, name: str) -> None:
    response = client.get(f"/media/{name}")
    assert response.headers["Content-Security-Policy"] == "sandbox"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    response.close()


@pytest.mark.parametrize(
    "url",
    [
        "/media/../outside.txt",
        "/media/../../etc/passwd",
        "/media/%2e%2e/outside.txt",
        "/media/%2E%2E/%2E%2E/etc/passwd",
        "/media/sub/../../outside.txt",
        "/media/..%2foutside.txt",
        "/media/..%5coutside.txt",
        "/media/file.txt%00.png",
        "/media//etc/passwd",
        "/media/nonexistent",
    ],
)
def test_hostile_paths_answer_404(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 404
    assert b"outside" not in response.content
    assert b"root:" not in response.content


def test_nul_byte_and_absolute_path_raise_404(media: Path) -> None:
    request = RequestFactory().get("/")
    for hostile in ["file.txt\x00", "/etc/passwd", "../outside.txt", "..\\x"]:
        with pytest.raises(Http404):
            serve(request, hostile, document_root=str(media))


def test_absolute_path_is_taken_relative_to_the_root(media: Path) -> None:
    response = serve(RequestFactory().get("/"), "/file.txt", document_root=str(media))
    assert body(response) == b"hello\n"
    response.close()


def test_symlink_out_of_the_root_answers_404(client: Client, media: Path) -> None:
    os.symlink(media.parent / "outside.txt", media / "link.txt")
    os.symlink(media.parent, media / "updir")
    assert client.get("/media/link.txt").status_code == 404
    assert client.get("/media/updir/outside.txt").status_code == 404


def test_symlink_inside_the_root_is_served(client: Client, media: Path) -> None:
    os.symlink(media / "file.txt", media / "alias.txt")
    assert body(client.get("/media/alias.txt")) == b"hello\n"


def test_missing_document_root_is_404() -> None:
    with pytest.raises(Http404, match="No document root"):
        serve(RequestFactory().get("/"), "file.txt")


def test_if_modified_since_in_the_future_gives_304(client: Client) -> None:
    response = client.get(
        "/media/file.txt", headers={"if-modified-since": http_date(2**31 - 86400)}
    )
    assert isinstance(response, HttpResponseNotModified)
    assert response.status_code == 304


@pytest.mark.parametrize(
    "header", ["Thu, 1 Jan 1970 00:00:00 GMT", "garbage", "Mon, 28 May 99999 GMT"]
)
def test_old_or_invalid_if_modified_since_serves_the_file(
    client: Client, header: str
) -> None:
    response = client.get("/media/file.txt", headers={"if-modified-since": header})
    assert response.status_code == 200
    assert body(response) == b"hello\n"


def test_directory_index_lists_escaped_names_without_hidden(client: Client) -> None:
    response = client.get("/media/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Index of ./" in content
    assert '<a href="sub/">sub/</a>' in content
    assert ".hidden" not in content
    assert '<a href="../">' not in content
    sub = client.get("/media/sub/").content.decode()
    assert "Index of sub/" in sub
    assert "&lt;b&gt;.txt" in sub
    assert "<b>" not in sub
    assert '<a href="../">' in sub


def test_directory_without_show_indexes_is_404(client: Client) -> None:
    assert client.get("/noindex/sub/").status_code == 404


def test_directory_index_prefers_the_project_template(media: Path) -> None:
    templates = [
        {
            "BACKEND": "manouche.template.backends.manouche.DjangoTemplates",
            "OPTIONS": {
                "loaders": [
                    (
                        "manouche.template.loaders.locmem.Loader",
                        {"static/directory_index.html": "{{ file_list|length }}"},
                    )
                ]
            },
        }
    ]
    with override_settings(TEMPLATES=templates):
        response = directory_index("sub", media / "sub")
    assert response.content == b"1"


def test_was_modified_since() -> None:
    mtime = 1343416141.107817
    assert was_modified_since(http_date(mtime), mtime) is False
    assert was_modified_since(http_date(mtime - 10), mtime) is True
    assert was_modified_since("", 1) is True
    assert was_modified_since(None, 1) is True
    assert was_modified_since("not a date", 1) is True
