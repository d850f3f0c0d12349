"""Sync views run on a persistent pool: no thread is started per request."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest

from manouche.core.handlers.asgi import ASGIHandler
from tests.core.handlers.asgi_driver import call_asgi, make_scope

AppFactory = Callable[..., ASGIHandler]


async def test_sync_views_start_no_thread_once_warm(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(
        "manouche.middleware.security.SecurityMiddleware",
        "manouche.middleware.common.CommonMiddleware",
        "manouche.middleware.clickjacking.XFrameOptionsMiddleware",
        ALLOWED_HOSTS=["testserver", "localhost"],
    )
    for _ in range(3):
        assert (await call_asgi(app, make_scope(path="/thread/"))).status == 200
    started: list[threading.Thread] = []
    real_start = threading.Thread.start

    def recording_start(thread: threading.Thread) -> None:
        started.append(thread)
        real_start(thread)

    monkeypatch.setattr(threading.Thread, "start", recording_start)
    idents = set()
    for _ in range(30):
        result = await call_asgi(app, make_scope(path="/thread/"))
        assert result.status == 200
        idents.add(int(result.body))
    assert started == []
    assert threading.get_ident() not in idents
