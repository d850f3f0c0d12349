"""Fixtures for the handler tests: the test URLconf and an app factory."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from manouche.core.handlers.asgi import ASGIHandler
from manouche.test.utils import override_settings
from tests.core.handlers.views import events, stream_state

MW = "tests.core.handlers.middleware."


@pytest.fixture(autouse=True)
def handler_urlconf() -> Iterator[None]:
    """Route to the handler test views and forget recorded events afterwards."""
    events.clear()
    stream_state.clear()
    with override_settings(ROOT_URLCONF="tests.core.handlers.urls"):
        yield
    events.clear()
    stream_state.clear()


@pytest.fixture
def make_app() -> Callable[..., ASGIHandler]:
    """Build an ASGIHandler with the given middleware (short names are local)."""

    def factory(*middleware: str, **overrides: Any) -> ASGIHandler:
        paths = [m if "." in m else MW + m for m in middleware]
        with override_settings(MIDDLEWARE=paths, **overrides):
            return ASGIHandler()

    return factory
