"""The one-call helpers, get_connection, the outbox and AdminEmailHandler."""

from __future__ import annotations

import logging
import socket
import sys
from typing import Any

import pytest

from manouche.core import mail
from manouche.core.mail import (
    EmailMessage,
    EmailMultiAlternatives,
    get_connection,
    mail_admins,
    mail_managers,
    send_mail,
    send_mass_mail,
)
from manouche.core.mail.backends import dummy, locmem
from manouche.test.client import RequestFactory
from manouche.test.utils import override_settings
from manouche.utils.log import AdminEmailHandler


class RecordingBackend(dummy.EmailBackend):
    """A dummy backend remembering the keyword arguments it was built with."""

    built_with: list[dict[str, Any]] = []

    def __init__(self, **kwargs: Any) -> None:
        RecordingBackend.built_with.append(kwargs)
        super().__init__(**kwargs)


def test_public_api_is_exactly_djangos() -> None:
    assert set(mail.__all__) == {
        "CachedDnsName",
        "DEFAULT_ATTACHMENT_MIME_TYPE",
        "DNS_NAME",
        "BadHeaderError",
        "EmailAlternative",
        "EmailAttachment",
        "EmailMessage",
        "EmailMultiAlternatives",
        "SafeMIMEMultipart",
        "SafeMIMEText",
        "forbid_multi_line_headers",
        "get_connection",
        "mail_admins",
        "mail_managers",
        "make_msgid",
        "send_mail",
        "send_mass_mail",
    }
    for name in mail.__all__:
        assert hasattr(mail, name), name


def test_get_connection_uses_email_backend_setting() -> None:
    connection = get_connection()
    assert isinstance(connection, locmem.EmailBackend)
    assert connection.fail_silently is False


def test_get_connection_with_explicit_backend_and_kwargs() -> None:
    connection = get_connection(
        "manouche.core.mail.backends.smtp.EmailBackend",
        fail_silently=True,
        host="mail.example.com",
        port=2525,
    )
    assert type(connection).__module__ == "manouche.core.mail.backends.smtp"
    assert connection.fail_silently is True
    assert connection.host == "mail.example.com"  # type: ignore[attr-defined]
    assert connection.port == 2525  # type: ignore[attr-defined]


def test_get_connection_unknown_backend_raises_import_error() -> None:
    with pytest.raises(ImportError):
        get_connection("manouche.core.mail.backends.nope.EmailBackend")


def test_send_mail_delivers_one_message(outbox: list[EmailMessage]) -> None:
    sent = send_mail(
        "Subject", "Body", "from@example.com", ["a@example.com", "b@example.com"]
    )
    assert sent == 1
    assert len(outbox) == 1
    message = outbox[0]
    assert isinstance(message, EmailMultiAlternatives)
    assert message.subject == "Subject"
    assert message.body == "Body"
    assert message.from_email == "from@example.com"
    assert message.to == ["a@example.com", "b@example.com"]
    assert message.alternatives == []


def test_send_mail_with_html_message(outbox: list[EmailMessage]) -> None:
    send_mail("s", "text", None, ["a@example.com"], html_message="<b>html</b>")
    message = outbox[0]
    assert isinstance(message, EmailMultiAlternatives)
    assert message.alternatives == [("<b>html</b>", "text/html")]
    assert message.from_email == "webmaster@localhost"


def test_send_mail_with_no_recipients_sends_nothing(
    outbox: list[EmailMessage],
) -> None:
    assert send_mail("s", "b", "from@example.com", []) == 0
    assert outbox == []


@override_settings(EMAIL_BACKEND=f"{__name__}.RecordingBackend")
def test_send_mail_passes_credentials_to_the_backend() -> None:
    RecordingBackend.built_with.clear()
    send_mail(
        "s",
        "b",
        "f@example.com",
        ["a@example.com"],
        fail_silently=True,
        auth_user="user",
        auth_password="pw",
    )
    assert RecordingBackend.built_with == [
        {"username": "user", "password": "pw", "fail_silently": True}
    ]


def test_send_mail_uses_given_connection(outbox: list[EmailMessage]) -> None:
    connection = dummy.EmailBackend()
    assert send_mail(
        "s", "b", "f@example.com", ["a@example.com"], connection=connection
    )
    assert outbox == []


def test_send_mass_mail_sends_each_tuple(outbox: list[EmailMessage]) -> None:
    datatuple: tuple[tuple[str, str, str | None, list[str]], ...] = (
        ("Subject 1", "Body 1", "from@example.com", ["a@example.com"]),
        ("Subject 2", "Body 2", "from@example.com", ["b@example.com"]),
        ("Subject 3", "Body 3", None, []),
    )
    assert send_mass_mail(datatuple) == 3
    assert [m.subject for m in outbox] == ["Subject 1", "Subject 2", "Subject 3"]
    assert outbox[1].to == ["b@example.com"]
    assert all(type(m) is EmailMessage for m in outbox)
    assert len({id(m.connection) for m in outbox}) == 1


def test_send_mass_mail_with_nothing_returns_zero() -> None:
    assert send_mass_mail([]) == 0


@override_settings(
    ADMINS=[("Admin", "admin@example.com"), ("Other", "other@example.com")],
    SERVER_EMAIL="server@example.com",
    EMAIL_SUBJECT_PREFIX="[Site] ",
)
def test_mail_admins(outbox: list[EmailMessage]) -> None:
    mail_admins("Broken", "Details", html_message="<p>Details</p>")
    assert len(outbox) == 1
    message = outbox[0]
    assert isinstance(message, EmailMultiAlternatives)
    assert message.subject == "[Site] Broken"
    assert message.from_email == "server@example.com"
    assert message.to == ["admin@example.com", "other@example.com"]
    assert message.alternatives == [("<p>Details</p>", "text/html")]


@override_settings(
    MANAGERS=[("Manager", "manager@example.com")], EMAIL_SUBJECT_PREFIX=""
)
def test_mail_managers(outbox: list[EmailMessage]) -> None:
    mail_managers("Hello", "Body")
    assert len(outbox) == 1
    assert outbox[0].subject == "Hello"
    assert outbox[0].to == ["manager@example.com"]
    assert outbox[0].from_email == "root@localhost"


@override_settings(ADMINS=[], MANAGERS=[])
def test_mail_admins_and_managers_without_recipients_send_nothing(
    outbox: list[EmailMessage],
) -> None:
    mail_admins("s", "b")
    mail_managers("s", "b")
    assert outbox == []


@pytest.mark.parametrize(
    "value", [["admin@example.com"], [("Just a name",)], "admin@example.com"]
)
def test_mail_admins_and_managers_refuse_malformed_settings(value: object) -> None:
    with (
        override_settings(ADMINS=value),
        pytest.raises(
            ValueError, match="The ADMINS setting must be a list of 2-tuples"
        ),
    ):
        mail_admins("s", "b")
    with (
        override_settings(MANAGERS=value),
        pytest.raises(
            ValueError, match="The MANAGERS setting must be a list of 2-tuples"
        ),
    ):
        mail_managers("s", "b")


@override_settings(ADMINS=[("A", "a@example.com")])
def test_mail_admins_refuses_subject_with_newline(outbox: list[EmailMessage]) -> None:
    with pytest.raises(ValueError, match="Header values can't contain newlines"):
        mail_admins("line one\nBcc: victim@example.com", "b")
    assert outbox == []


def test_default_settings_cover_every_email_setting() -> None:
    from manouche.conf import global_settings

    assert global_settings.MANAGERS == []
    assert global_settings.EMAIL_HOST == "localhost"
    assert global_settings.EMAIL_PORT == 25
    assert global_settings.EMAIL_HOST_USER == ""
    assert global_settings.EMAIL_HOST_PASSWORD == ""
    assert global_settings.EMAIL_USE_TLS is False
    assert global_settings.EMAIL_USE_SSL is False
    assert global_settings.EMAIL_SSL_CERTFILE is None
    assert global_settings.EMAIL_SSL_KEYFILE is None
    assert global_settings.EMAIL_TIMEOUT is None
    assert global_settings.EMAIL_USE_LOCALTIME is False
    assert global_settings.EMAIL_FILE_PATH is None


def test_test_environment_selects_locmem_backend() -> None:
    from manouche.conf import settings

    assert settings.EMAIL_BACKEND == "manouche.core.mail.backends.locmem.EmailBackend"


def test_simple_test_case_empties_outbox_before_each_test() -> None:
    import unittest

    from manouche.test import SimpleTestCase

    seen: list[int] = []

    class MailTest(SimpleTestCase):
        def test_one(self) -> None:
            seen.append(len(mail.outbox))
            send_mail("s", "b", "f@example.com", ["a@example.com"])

        def test_two(self) -> None:
            seen.append(len(mail.outbox))
            send_mail("s", "b", "f@example.com", ["a@example.com"])

    mail.outbox.append(EmailMessage())
    suite = unittest.TestSuite([MailTest("test_one"), MailTest("test_two")])
    result = unittest.TestResult()
    suite.run(result)
    assert result.errors == []
    assert result.failures == []
    assert seen == [0, 0]


@override_settings(
    ADMINS=[("Admin", "admin@example.com")],
    EMAIL_SUBJECT_PREFIX="[Site] ",
    INTERNAL_IPS=[],
)
def test_admin_email_handler_sends_report_with_html(
    outbox: list[EmailMessage],
) -> None:
    logger = logging.getLogger("tests.core.mail.admin_handler")
    logger.propagate = False
    handler = AdminEmailHandler(include_html=True)
    logger.addHandler(handler)
    request = RequestFactory().get("/broken/page/?x=1")
    try:
        try:
            raise RuntimeError("kaboom")
        except RuntimeError:
            logger.error(
                "Internal Server Error: %s",
                request.path,
                exc_info=sys.exc_info(),
                extra={"status_code": 500, "request": request},
            )
    finally:
        logger.removeHandler(handler)
    assert len(outbox) == 1
    message = outbox[0]
    assert isinstance(message, EmailMultiAlternatives)
    assert message.subject == (
        "[Site] ERROR (EXTERNAL IP): Internal Server Error: /broken/page/"
    )
    assert message.to == ["admin@example.com"]
    assert "RuntimeError" in message.body
    assert "kaboom" in message.body
    assert len(message.alternatives) == 1
    content, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "kaboom" in content
    # The whole thing must serialise: headers are single-line and safe.
    assert b"multipart/alternative" in message.message().as_bytes()


@override_settings(ADMINS=[("Admin", "admin@example.com")])
def test_admin_email_handler_without_request_or_html(
    outbox: list[EmailMessage],
) -> None:
    handler = AdminEmailHandler(
        email_backend="manouche.core.mail.backends.locmem.EmailBackend"
    )
    record = logging.makeLogRecord(
        {"levelname": "CRITICAL", "msg": "multi\nline", "levelno": 50}
    )
    handler.emit(record)
    assert len(outbox) == 1
    message = outbox[0]
    assert message.subject == "[Manouche] CRITICAL: multi\\nline"
    assert isinstance(message, EmailMultiAlternatives)
    assert message.alternatives == []


def test_admin_email_handler_never_raises_when_sending_fails() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]
    handler = AdminEmailHandler()
    record = logging.makeLogRecord({"levelname": "ERROR", "msg": "x", "levelno": 40})
    with override_settings(
        ADMINS=[("Admin", "admin@example.com")],
        EMAIL_BACKEND="manouche.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=closed_port,
        EMAIL_TIMEOUT=1,
    ):
        handler.emit(record)
