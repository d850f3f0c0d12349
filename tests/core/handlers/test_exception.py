"""Exceptions from views become the right responses and log lines."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pytest

from manouche.core.handlers.asgi import ASGIHandler
from manouche.core.signals import got_request_exception
from manouche.test.utils import override_settings
from tests.core.handlers.asgi_driver import call_asgi, make_scope

AppFactory = Callable[..., ASGIHandler]


@pytest.mark.parametrize(
    ("path", "status", "logger", "message"),
    [
        ("/not-found/", 404, "manouche.request", "Not Found: /not-found/"),
        ("/missing/", 404, "manouche.request", "Not Found: /missing/"),
        (
            "/forbidden/",
            403,
            "manouche.request",
            "Forbidden (Permission denied): /forbidden/",
        ),
        (
            "/bad-request/",
            400,
            "manouche.request",
            "malformed thing: /bad-request/",
        ),
        (
            "/suspicious/",
            400,
            "manouche.security.SuspiciousOperation",
            "dubious\\nline",
        ),
        ("/too-big/", 413, "manouche.security.RequestDataTooBig", "too much"),
        ("/error/", 500, "manouche.request", "Internal Server Error: /error/"),
    ],
)
async def test_exceptions_map_to_status_codes_and_log_lines(
    make_app: AppFactory,
    caplog: pytest.LogCaptureFixture,
    path: str,
    status: int,
    logger: str,
    message: str,
) -> None:
    with caplog.at_level(logging.INFO, logger="manouche"):
        result = await call_asgi(make_app(), make_scope(path=path))
    assert result.status == status
    records = [r for r in caplog.records if r.name == logger]
    assert records[0].getMessage() == message
    assert b"Traceback" not in result.body


async def test_a_404_is_logged_once_as_the_final_response(
    make_app: AppFactory, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="manouche.request"):
        await call_asgi(make_app(), make_scope(path="/missing/"))
    assert [r.getMessage() for r in _records_of(caplog, "manouche.request")] == [
        "Not Found: /missing/"
    ]


async def test_a_404_a_middleware_turns_into_a_redirect_is_not_logged(
    make_app: AppFactory, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="manouche.request"):
        result = await call_asgi(
            make_app("RedirectNotFound"), make_scope(path="/missing/")
        )
    assert result.status == 302
    assert _records_of(caplog, "manouche.request") == []


async def test_too_big_body_from_a_view_gives_a_short_plain_413(
    make_app: AppFactory,
) -> None:
    result = await call_asgi(make_app(), make_scope(path="/too-big/"))
    assert result.body == b"413 Request body too large\n"


async def test_server_error_with_debug_off_leaks_nothing(make_app: AppFactory) -> None:
    result = await call_asgi(make_app(), make_scope(path="/error/"))
    assert result.status == 500
    for leak in (b"Something broke", b"ValueError", b"local-secret-value", b"views.py"):
        assert leak not in result.body


async def test_got_request_exception_is_sent_for_500s(make_app: AppFactory) -> None:
    seen: list[Any] = []

    def receiver(sender: Any, request: Any, **kwargs: Any) -> None:
        seen.append(request.path)

    got_request_exception.connect(receiver)
    try:
        await call_asgi(make_app(), make_scope(path="/error/"))
        await call_asgi(make_app(), make_scope(path="/not-found/"))
    finally:
        got_request_exception.disconnect(receiver)
    assert seen == ["/error/"]


async def test_debug_propagate_exceptions_reraises(make_app: AppFactory) -> None:
    app = make_app()
    with override_settings(DEBUG_PROPAGATE_EXCEPTIONS=True), pytest.raises(ValueError):
        await call_asgi(app, make_scope(path="/error/"))


@override_settings(ROOT_URLCONF="tests.core.handlers.urls_handlers")
async def test_custom_error_handlers_are_used(make_app: AppFactory) -> None:
    app = make_app()
    not_found = await call_asgi(app, make_scope(path="/not-found/"))
    assert (not_found.status, not_found.body) == (404, b"custom not found")
    error = await call_asgi(app, make_scope(path="/error/"))
    assert (error.status, error.body) == (500, b"custom server error")


@override_settings(ROOT_URLCONF="tests.core.handlers.urls_handlers")
async def test_a_failing_error_handler_gives_500(
    make_app: AppFactory, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="manouche.request"):
        result = await call_asgi(make_app(), make_scope(path="/forbidden/"))
    assert (result.status, result.body) == (500, b"custom server error")


@override_settings(DEBUG=True)
async def test_debug_404_is_the_technical_page(make_app: AppFactory) -> None:
    result = await call_asgi(make_app(), make_scope(path="/missing/"))
    assert result.status == 404
    assert b"You're seeing this error because you have <code>DEBUG = True</code>" in (
        result.body
    )


def _records_of(caplog: pytest.LogCaptureFixture, name: str) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == name]


@pytest.mark.parametrize("debug", [False, True])
async def test_bad_request_is_a_warning_on_the_request_logger(
    make_app: AppFactory, caplog: pytest.LogCaptureFixture, debug: bool
) -> None:
    # Django's wording: the exception's message, then the path.
    with caplog.at_level(logging.INFO, logger="manouche"):
        result = await call_asgi(
            make_app(DEBUG=debug), make_scope(path="/bad-request/")
        )
    assert result.status == 400
    (record,) = _records_of(caplog, "manouche.request")
    assert record.levelno == logging.WARNING
    assert record.getMessage() == "malformed thing: /bad-request/"
    assert record.status_code == 400  # type: ignore[attr-defined]
    assert record.request.path == "/bad-request/"  # type: ignore[attr-defined]
    assert record.exc_info is not None
    assert record.exc_info[0].__name__ == "BadRequest"  # type: ignore[union-attr]
    assert not [r for r in caplog.records if r.name.startswith("manouche.security")]


async def test_bad_request_message_is_logged_on_one_line(
    make_app: AppFactory, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="manouche.request"):
        await call_asgi(make_app(), make_scope(path="/bad-request-newline/"))
    (record,) = _records_of(caplog, "manouche.request")
    assert record.getMessage() == "two\\nlines: /bad-request-newline/"


async def test_suspicious_subclass_is_an_error_on_its_own_security_logger(
    make_app: AppFactory, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="manouche"):
        result = await call_asgi(make_app(), make_scope(path="/disallowed-host/"))
    assert result.status == 400
    (record,) = _records_of(caplog, "manouche.security.DisallowedHost")
    assert record.levelno == logging.ERROR
    assert record.getMessage() == "evil.example"
    assert record.status_code == 400  # type: ignore[attr-defined]
    assert record.request.path == "/disallowed-host/"  # type: ignore[attr-defined]
    assert record.exc_info is not None
    # Logged once, on the security logger only.
    assert not _records_of(caplog, "manouche.request")
    assert not _records_of(caplog, "manouche.security.SuspiciousOperation")
