"""Bodies that arrive in a single ASGI message: the handler's short path."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from manouche.core.handlers.asgi import ASGIHandler
from manouche.test.utils import override_settings
from tests.core.handlers.asgi_driver import call_asgi, make_scope

AppFactory = Callable[..., ASGIHandler]


async def test_single_message_body_is_read_whole(make_app: AppFactory) -> None:
    scope = make_scope(method="POST", path="/body/")
    result = await call_asgi(make_app(), scope, b"a" * 700)
    assert result.status == 200
    assert result.body == b"700"


@override_settings(DATA_UPLOAD_MAX_REQUEST_SIZE=1000)
async def test_single_message_over_the_limit_gives_413(make_app: AppFactory) -> None:
    scope = make_scope(method="POST", path="/body/")
    result = await call_asgi(make_app(), scope, b"a" * 1001)
    assert result.status == 413


@override_settings(DATA_UPLOAD_MAX_REQUEST_SIZE=0)
async def test_zero_limit_refuses_any_body(make_app: AppFactory) -> None:
    scope = make_scope(method="POST", path="/body/")
    result = await call_asgi(make_app(), scope, b"abc")
    assert result.status == 413


@override_settings(DATA_UPLOAD_MAX_REQUEST_SIZE=0)
async def test_zero_limit_accepts_an_empty_body(make_app: AppFactory) -> None:
    result = await call_asgi(make_app(), make_scope(path="/body/"))
    assert result.status == 200
    assert result.body == b"0"


@override_settings(FILE_UPLOAD_MAX_MEMORY_SIZE=10)
async def test_single_message_over_the_memory_size_is_spooled(
    make_app: AppFactory,
) -> None:
    scope = make_scope(method="POST", path="/body/")
    result = await call_asgi(make_app(), scope, b"b" * 50)
    assert result.status == 200
    assert result.body == b"50"


async def test_disconnect_before_the_body_answers_nothing(
    make_app: AppFactory,
) -> None:
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await make_app()(make_scope(method="POST", path="/body/"), receive, send)
    assert sent == []
