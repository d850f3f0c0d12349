"""The test client keeps database connections open at request edges.

Inside a TestCase the connections sit in the test's atomic block; the
request_started/request_finished ``close_old_connections`` receiver must not
close them (closing an in-memory database destroys it).
"""

from __future__ import annotations

from typing import Any

from manouche.core.signals import request_finished, request_started
from manouche.db import close_old_connections
from manouche.http import HttpResponse
from manouche.test import Client
from manouche.test.utils import override_settings
from manouche.urls import path


def _receivers(signal: Any) -> list[Any]:
    sync_receivers, async_receivers = signal._live_receivers(None)
    return [*sync_receivers, *async_receivers]


seen: dict[str, bool] = {}


def _on_started(**kwargs: Any) -> None:
    seen["started"] = close_old_connections in _receivers(request_started)


def _on_finished(**kwargs: Any) -> None:
    seen["finished"] = close_old_connections in _receivers(request_finished)


def ok(request: Any) -> HttpResponse:
    return HttpResponse("ok")


urlpatterns = [path("ok/", ok)]


def test_close_old_connections_is_held_off_during_test_requests() -> None:
    seen.clear()
    request_started.connect(_on_started)
    request_finished.connect(_on_finished)
    try:
        with override_settings(ROOT_URLCONF=__name__):
            response = Client().get("/ok/")
    finally:
        request_started.disconnect(_on_started)
        request_finished.disconnect(_on_finished)
    assert response.status_code == 200
    assert seen == {"started": False, "finished": False}
    # Reconnected afterwards, for real servers.
    assert close_old_connections in _receivers(request_started)
    assert close_old_connections in _receivers(request_finished)
