"""Server log formatting and the admin email handler's cheap no-op."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from manouche.core.management.color import make_style
from manouche.test.utils import override_settings
from manouche.utils.log import AdminEmailHandler, ServerFormatter


@pytest.mark.parametrize(
    ("status_code", "role"),
    [
        (200, "HTTP_SUCCESS"),
        (101, "HTTP_INFO"),
        (304, "HTTP_NOT_MODIFIED"),
        (302, "HTTP_REDIRECT"),
        (404, "HTTP_NOT_FOUND"),
        (403, "HTTP_BAD_REQUEST"),
        (503, "HTTP_SERVER_ERROR"),
    ],
)
def test_server_formatter_colours_by_status(status_code: int, role: str) -> None:
    style = make_style("")
    formatter = ServerFormatter()
    formatter.style = style
    record = logging.makeLogRecord({"msg": "line", "status_code": status_code})
    assert formatter.format(record) == getattr(style, role)("line")
    assert formatter.format(record) != "line"


def test_server_formatter_leaves_lines_without_status_alone() -> None:
    formatter = ServerFormatter()
    formatter.style = make_style("")
    assert formatter.format(logging.makeLogRecord({"msg": "plain"})) == "plain"


@override_settings(ADMINS=[])
def test_admin_email_handler_does_nothing_without_admins() -> None:
    handler = AdminEmailHandler()
    calls: list[Any] = []
    handler.format_subject = calls.append  # type: ignore[assignment,method-assign]
    handler.emit(logging.makeLogRecord({"msg": "boom", "levelname": "ERROR"}))
    assert calls == []


@override_settings(ADMINS=[])
def test_admin_email_handler_subclass_sending_elsewhere_still_runs() -> None:
    sent: list[str] = []

    class Elsewhere(AdminEmailHandler):
        def send_mail(self, subject: str, message: str, *args: Any, **kw: Any) -> None:
            sent.append(subject)

    Elsewhere().emit(logging.makeLogRecord({"msg": "boom", "levelname": "ERROR"}))
    assert sent == ["ERROR: boom"]
