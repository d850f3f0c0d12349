"""The SMTP backend, against a tiny SMTP server on 127.0.0.1."""

from __future__ import annotations

import smtplib
import socket
import ssl
import threading
from collections.abc import Iterator
from email import message_from_bytes
from pathlib import Path
from typing import Any

import pytest

from manouche.core.mail import EmailMessage, EmailMultiAlternatives, send_mail
from manouche.core.mail.backends import smtp
from manouche.test.utils import override_settings
from tests.core.mail.smtp_server import SMTPServer, running_smtp_server


@pytest.fixture
def server() -> Iterator[SMTPServer]:
    with running_smtp_server() as running:
        yield running


@pytest.fixture
def backend(server: SMTPServer) -> smtp.EmailBackend:
    return smtp.EmailBackend(host="127.0.0.1", port=server.port, timeout=5)


def make_message(**kwargs: object) -> EmailMessage:
    defaults: dict[str, object] = {
        "subject": "Subject",
        "body": "Body",
        "from_email": "from@example.com",
        "to": ["to@example.com"],
    }
    defaults.update(kwargs)
    return EmailMessage(**defaults)  # type: ignore[arg-type]


def test_defaults_come_from_settings() -> None:
    with override_settings(
        EMAIL_HOST="smtp.example.com",
        EMAIL_PORT=587,
        EMAIL_HOST_USER="user",
        EMAIL_HOST_PASSWORD="secret",
        EMAIL_USE_TLS=True,
        EMAIL_TIMEOUT=7,
        EMAIL_SSL_CERTFILE="/cert.pem",
        EMAIL_SSL_KEYFILE="/key.pem",
    ):
        backend = smtp.EmailBackend()
    assert (backend.host, backend.port) == ("smtp.example.com", 587)
    assert (backend.username, backend.password) == ("user", "secret")
    assert backend.use_tls is True
    assert backend.use_ssl is False
    assert backend.timeout == 7
    assert (backend.ssl_certfile, backend.ssl_keyfile) == ("/cert.pem", "/key.pem")
    assert backend.connection is None
    assert backend.connection_class is smtplib.SMTP


def test_arguments_override_settings() -> None:
    with override_settings(EMAIL_HOST_USER="user", EMAIL_USE_SSL=True):
        backend = smtp.EmailBackend(
            host="h", port=1, username="", use_ssl=False, timeout=0.5
        )
    assert backend.username == ""
    assert backend.use_ssl is False
    assert backend.timeout == 0.5
    assert smtp.EmailBackend(use_ssl=True).connection_class is smtplib.SMTP_SSL


def test_tls_and_ssl_are_mutually_exclusive() -> None:
    with pytest.raises(ValueError, match="EMAIL_USE_TLS/EMAIL_USE_SSL are mutually"):
        smtp.EmailBackend(use_tls=True, use_ssl=True)
    with (
        override_settings(EMAIL_USE_TLS=True, EMAIL_USE_SSL=True),
        pytest.raises(ValueError, match="only set one of those settings to True"),
    ):
        smtp.EmailBackend()


def test_ssl_context_is_verifying_by_default() -> None:
    context = smtp.EmailBackend().ssl_context
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname is True


def test_ssl_context_loads_client_certificate(tmp_path: Path) -> None:
    backend = smtp.EmailBackend(
        ssl_certfile=str(tmp_path / "missing.pem"), ssl_keyfile=None
    )
    with pytest.raises(FileNotFoundError):
        _ = backend.ssl_context


def test_sends_message(server: SMTPServer, backend: smtp.EmailBackend) -> None:
    message = make_message(
        cc=["cc@example.com"], bcc=["bcc@example.com"], headers={"X-Tag": "t"}
    )
    assert backend.send_messages([message]) == 1
    assert len(server.messages) == 1
    received = server.messages[0]
    assert received.mail_from == "from@example.com"
    assert received.rcpt_tos == [
        "to@example.com",
        "cc@example.com",
        "bcc@example.com",
    ]
    parsed = message_from_bytes(received.data)
    assert parsed["Subject"] == "Subject"
    assert parsed["X-Tag"] == "t"
    assert parsed["Bcc"] is None
    assert b"bcc@example.com" not in received.data
    assert parsed.get_payload() == "Body\r\n"
    # Connection opened for the batch and closed after it.
    assert backend.connection is None
    assert server.commands[0].startswith("ehlo ")
    assert server.commands[-1] == "quit"


def test_unicode_message_and_addresses(
    server: SMTPServer, backend: smtp.EmailBackend
) -> None:
    message = EmailMultiAlternatives(
        "Gżegżółka",
        "Zażółć\n.leading dot\n",
        "Jörg <from@exämple.com>",
        ["to@bücher.example"],
    )
    message.attach_alternative("<p>Zażółć</p>", "text/html")
    message.attach("data.bin", bytes(range(256)))
    assert backend.send_messages([message]) == 1
    received = server.messages[0]
    assert received.mail_from == "from@xn--exmple-cua.com"
    assert received.rcpt_tos == ["to@xn--bcher-kva.example"]
    parsed: Any = message_from_bytes(received.data)
    alternative, attachment = parsed.get_payload()
    plain, html = alternative.get_payload()
    assert plain.get_payload(decode=True) == "Zażółć\r\n.leading dot\r\n".encode()
    assert html.get_payload(decode=True) == "<p>Zażółć</p>".encode()
    assert attachment.get_payload(decode=True) == bytes(range(256))


def test_one_connection_for_many_messages(
    server: SMTPServer, backend: smtp.EmailBackend
) -> None:
    messages = [make_message(subject=f"m{i}") for i in range(3)]
    assert backend.send_messages(messages) == 3
    assert server.connections == 1
    assert [message_from_bytes(m.data)["Subject"] for m in server.messages] == [
        "m0",
        "m1",
        "m2",
    ]


def test_context_manager_keeps_connection_open(
    server: SMTPServer, backend: smtp.EmailBackend
) -> None:
    with backend:
        assert backend.connection is not None
        assert backend.open() is False
        backend.send_messages([make_message()])
        backend.send_messages([make_message()])
        assert backend.connection is not None
    connection: object = backend.connection
    assert connection is None
    assert server.connections == 1
    assert len(server.messages) == 2
    backend.close()  # closing twice is harmless


def test_send_mail_through_settings(server: SMTPServer) -> None:
    with override_settings(
        EMAIL_BACKEND="manouche.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=server.port,
        EMAIL_TIMEOUT=5,
    ):
        assert send_mail("Hi", "Body", "f@example.com", ["a@example.com"]) == 1
    assert server.messages[0].rcpt_tos == ["a@example.com"]


def test_empty_batch_and_recipientless_message(
    server: SMTPServer, backend: smtp.EmailBackend
) -> None:
    assert backend.send_messages([]) == 0
    assert server.connections == 0
    assert backend.send_messages([make_message(to=[])]) == 0
    assert server.messages == []


def test_login_with_credentials(server: SMTPServer) -> None:
    server.credentials = ("user", "secret")
    backend = smtp.EmailBackend(
        host="127.0.0.1", port=server.port, username="user", password="secret"
    )
    assert backend.send_messages([make_message()]) == 1
    assert any(c.startswith("AUTH PLAIN ") for c in server.commands)


def test_login_failure_raises_or_fails_silently(server: SMTPServer) -> None:
    server.credentials = ("user", "secret")
    backend = smtp.EmailBackend(
        host="127.0.0.1", port=server.port, username="user", password="wrong"
    )
    with pytest.raises(smtplib.SMTPAuthenticationError):
        backend.send_messages([make_message()])
    assert backend.connection is None
    backend.fail_silently = True
    assert backend.send_messages([make_message()]) == 0
    assert server.messages == []


def test_refused_recipient_raises_or_fails_silently(
    server: SMTPServer, backend: smtp.EmailBackend
) -> None:
    with pytest.raises(smtplib.SMTPRecipientsRefused):
        backend.send_messages([make_message(to=["refused@example.com"])])
    assert backend.connection is None
    backend.fail_silently = True
    sent = backend.send_messages(
        [make_message(to=["refused@example.com"]), make_message(to=["ok@example.com"])]
    )
    assert sent == 1
    assert [m.rcpt_tos for m in server.messages] == [["ok@example.com"]]


def test_partially_refused_recipients_still_deliver(
    server: SMTPServer, backend: smtp.EmailBackend
) -> None:
    message = make_message(to=["refused@example.com", "ok@example.com"])
    assert backend.send_messages([message]) == 1
    assert server.messages[0].rcpt_tos == ["ok@example.com"]


def test_starttls_unsupported_by_server(server: SMTPServer) -> None:
    backend = smtp.EmailBackend(
        host="127.0.0.1", port=server.port, use_tls=True, timeout=5
    )
    with pytest.raises(smtplib.SMTPNotSupportedError, match="STARTTLS"):
        backend.send_messages([make_message()])
    assert backend.connection is None
    backend.fail_silently = True
    assert backend.send_messages([make_message()]) == 0


def test_ssl_against_plain_server_fails(server: SMTPServer) -> None:
    backend = smtp.EmailBackend(
        host="127.0.0.1", port=server.port, use_ssl=True, timeout=5
    )
    with pytest.raises(ssl.SSLError):
        backend.open()
    assert backend.connection is None
    backend.fail_silently = True
    assert backend.send_messages([make_message()]) == 0
    assert server.messages == []


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_connection_refused_raises_or_fails_silently() -> None:
    backend = smtp.EmailBackend(host="127.0.0.1", port=free_port(), timeout=2)
    with pytest.raises(ConnectionRefusedError):
        backend.send_messages([make_message()])
    backend.fail_silently = True
    assert backend.open() is None
    assert backend.send_messages([make_message()]) == 0


def test_timeout_when_server_never_greets() -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        port = listener.getsockname()[1]
        backend = smtp.EmailBackend(host="127.0.0.1", port=port, timeout=0.2)
        with pytest.raises(smtplib.SMTPServerDisconnected, match="timed out"):
            backend.open()
        backend = smtp.EmailBackend(
            host="127.0.0.1", port=port, timeout=0.2, fail_silently=True
        )
        assert backend.send_messages([make_message()]) == 0


def test_close_tolerates_a_vanished_server(server: SMTPServer) -> None:
    backend = smtp.EmailBackend(host="127.0.0.1", port=server.port, timeout=5)
    backend.open()
    assert backend.connection is not None
    backend.connection.sock.close()  # type: ignore[union-attr]
    backend.close()
    assert backend.connection is None


def test_close_reraises_smtp_errors_unless_silent(
    monkeypatch: pytest.MonkeyPatch, server: SMTPServer
) -> None:
    def broken_quit(self: smtplib.SMTP) -> None:
        raise smtplib.SMTPResponseException(500, b"nope")

    monkeypatch.setattr(smtplib.SMTP, "quit", broken_quit)
    backend = smtp.EmailBackend(host="127.0.0.1", port=server.port, timeout=5)
    backend.open()
    with pytest.raises(smtplib.SMTPResponseException):
        backend.close()
    assert backend.connection is None
    backend.fail_silently = True
    backend.open()
    backend.close()
    assert backend.connection is None


def test_header_injection_is_refused_before_sending(
    server: SMTPServer, backend: smtp.EmailBackend
) -> None:
    with pytest.raises(ValueError, match="Header values can't contain newlines"):
        backend.send_messages([make_message(subject="x\r\nBcc: victim@example.com")])
    with pytest.raises(ValueError, match="address parts cannot contain newlines"):
        backend.send_messages([make_message(to=["a@example.com\r\nRCPT TO:<x@y>"])])
    assert server.messages == []
    assert backend.connection is None


def test_shared_backend_is_thread_safe(
    server: SMTPServer, backend: smtp.EmailBackend
) -> None:
    with backend:
        threads = [
            threading.Thread(
                target=backend.send_messages,
                args=([make_message(subject=f"t{i}")],),
            )
            for i in range(6)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=10)
    subjects = sorted(message_from_bytes(m.data)["Subject"] for m in server.messages)
    assert subjects == [f"t{i}" for i in range(6)]
    assert server.connections == 1
