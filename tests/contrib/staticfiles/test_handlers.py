"""ASGIStaticFilesHandler: files under STATIC_URL, everything else to the app."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from manouche.contrib.staticfiles.handlers import (
    ASGIStaticFilesHandler,
    static_url_path,
)
from manouche.test.utils import override_settings
from tests.core.handlers.asgi_driver import call_asgi, make_scope


class _App:
    def __init__(self) -> None:
        self.scopes: list[dict[str, Any]] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        self.scopes.append(scope)
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})


@pytest.fixture
def static_root(tmp_path: Path) -> Any:
    (tmp_path / "file.txt").write_text("static content")
    with override_settings(
        STATIC_URL="static/",
        STATICFILES_DIRS=[tmp_path],
        STATICFILES_FINDERS=["manouche.contrib.staticfiles.finders.FileSystemFinder"],
    ):
        yield tmp_path


async def test_serves_a_found_file(static_root: Path) -> None:
    app = _App()
    result = await call_asgi(
        ASGIStaticFilesHandler(app), make_scope(path="/static/file.txt")
    )
    assert result.status == 200
    assert result.body == b"static content"
    assert result.headers["content-type"].startswith("text/plain")
    assert app.scopes == []


async def test_missing_static_file_is_a_404(static_root: Path) -> None:
    result = await call_asgi(
        ASGIStaticFilesHandler(_App()), make_scope(path="/static/nope.txt")
    )
    assert result.status == 404


async def test_other_paths_go_to_the_wrapped_application(static_root: Path) -> None:
    app = _App()
    result = await call_asgi(ASGIStaticFilesHandler(app), make_scope(path="/page/"))
    assert result.status == 204
    assert [scope["path"] for scope in app.scopes] == ["/page/"]


def test_static_url_path() -> None:
    with override_settings(STATIC_URL="static/"):
        assert static_url_path() == "/static/"
    with override_settings(STATIC_URL="https://cdn.example.com/static/"):
        assert static_url_path() == ""
