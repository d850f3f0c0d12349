"""The base, dummy, locmem, console and file-based email backends."""

from __future__ import annotations

import io
import threading
from email import message_from_bytes
from pathlib import Path
from typing import Any

import pytest

from manouche.core import mail
from manouche.core.exceptions import ImproperlyConfigured
from manouche.core.mail import EmailMessage, get_connection
from manouche.core.mail.backends import base, console, dummy, filebased, locmem
from manouche.test.utils import override_settings


def make_message(subject: str = "Subject", body: str = "Body") -> EmailMessage:
    return EmailMessage(subject, body, "from@example.com", ["to@example.com"])


class CountingBackend(base.BaseEmailBackend):
    """Records open/close calls, to test the context manager protocol."""

    def __init__(self, fail_open: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.fail_open = fail_open
        self.calls: list[str] = []

    def open(self) -> bool:
        self.calls.append("open")
        if self.fail_open:
            raise OSError("cannot open")
        return True

    def close(self) -> None:
        self.calls.append("close")


def test_base_backend_requires_send_messages() -> None:
    backend = base.BaseEmailBackend(fail_silently=True, unknown="ignored")
    assert backend.fail_silently is True
    assert backend.open() is None
    backend.close()
    with pytest.raises(
        NotImplementedError,
        match="subclasses of BaseEmailBackend must override send_messages",
    ):
        backend.send_messages([make_message()])


def test_base_backend_context_manager_opens_and_closes() -> None:
    backend = CountingBackend()
    with backend as entered:
        assert entered is backend
        assert backend.calls == ["open"]
    assert backend.calls == ["open", "close"]


def test_base_backend_context_manager_closes_when_open_fails() -> None:
    backend = CountingBackend(fail_open=True)
    with pytest.raises(OSError, match="cannot open"), backend:
        pass  # pragma: no cover - never entered
    assert backend.calls == ["open", "close"]


def test_dummy_backend_counts_without_sending(outbox: list[EmailMessage]) -> None:
    backend = dummy.EmailBackend()
    assert backend.send_messages([make_message(), make_message()]) == 2
    assert backend.send_messages([]) == 0
    assert outbox == []


def test_locmem_backend_appends_to_outbox(outbox: list[EmailMessage]) -> None:
    backend = locmem.EmailBackend()
    first, second = make_message("one"), make_message("two")
    assert backend.send_messages([first, second]) == 2
    assert outbox == [first, second]
    assert mail.outbox is outbox


def test_locmem_backend_creates_outbox_on_first_use() -> None:
    del mail.outbox
    assert not hasattr(mail, "outbox")
    locmem.EmailBackend()
    assert mail.outbox == []
    del mail.outbox
    backend = locmem.EmailBackend()
    del mail.outbox
    backend.send_messages([make_message()])
    assert len(mail.outbox) == 1


def test_locmem_backend_validates_headers_before_storing(
    outbox: list[EmailMessage],
) -> None:
    with pytest.raises(ValueError, match="Header values can't contain newlines"):
        locmem.EmailBackend().send_messages([make_message("bad\nsubject")])
    assert outbox == []


def test_message_send_uses_default_connection(outbox: list[EmailMessage]) -> None:
    message = make_message()
    assert message.send() == 1
    assert outbox == [message]
    assert isinstance(message.connection, locmem.EmailBackend)
    assert message.get_connection() is message.connection


def test_message_without_recipients_is_not_sent(outbox: list[EmailMessage]) -> None:
    message = EmailMessage("s", "b", "from@example.com")
    assert message.send() == 0
    assert message.connection is None
    assert outbox == []


def test_console_backend_writes_message_to_stream() -> None:
    stream = io.StringIO()
    backend = console.EmailBackend(stream=stream)
    count = backend.send_messages([make_message("Héllo", "Bödy"), make_message()])
    assert count == 2
    output = stream.getvalue()
    assert output.count("-" * 79 + "\n") == 2
    assert "Subject: =?utf-8?b?SMOpbGxv?=" in output
    assert "Bödy" in output
    assert "To: to@example.com" in output


def test_console_backend_defaults_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    with override_settings(
        EMAIL_BACKEND="manouche.core.mail.backends.console.EmailBackend"
    ):
        assert make_message("To stdout").send() == 1
    assert "Subject: To stdout" in capsys.readouterr().out


def test_console_backend_with_nothing_to_send() -> None:
    stream = io.StringIO()
    assert console.EmailBackend(stream=stream).send_messages([]) == 0
    assert stream.getvalue() == ""


def test_console_backend_fail_silently_swallows_errors() -> None:
    stream = io.StringIO()
    stream.close()
    message = make_message()
    with pytest.raises(ValueError, match="closed file"):
        console.EmailBackend(stream=stream).send_messages([message])
    assert (
        console.EmailBackend(stream=stream, fail_silently=True).send_messages([message])
        == 0
    )


def test_console_backend_is_thread_safe() -> None:
    stream = io.StringIO()
    backend = console.EmailBackend(stream=stream)
    threads = [
        threading.Thread(target=backend.send_messages, args=([make_message(f"m{i}")],))
        for i in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    chunks = stream.getvalue().split("-" * 79 + "\n")
    assert len(chunks) == 9
    assert sorted(c.split("Subject: ")[1].split("\n")[0] for c in chunks[:-1]) == [
        f"m{i}" for i in range(8)
    ]


def read_messages(directory: Path) -> list[bytes]:
    messages: list[bytes] = []
    for path in sorted(directory.iterdir()):
        content = path.read_bytes()
        messages.extend(part for part in content.split(b"-" * 79 + b"\n") if part)
    return messages


def test_filebased_backend_writes_one_file_per_instance(tmp_path: Path) -> None:
    backend = filebased.EmailBackend(file_path=tmp_path)
    assert backend.send_messages([make_message("one"), make_message("two")]) == 2
    assert backend.send_messages([make_message("three")]) == 1
    files = list(tmp_path.iterdir())
    assert len(files) == 1
    messages = read_messages(tmp_path)
    assert len(messages) == 3
    parsed = message_from_bytes(messages[0].rstrip(b"\n"))
    assert parsed["Subject"] in {"one", "two", "three"}


def test_filebased_backend_with_context_manager_uses_one_file(tmp_path: Path) -> None:
    with filebased.EmailBackend(file_path=str(tmp_path)) as backend:
        backend.send_messages([make_message("a")])
        backend.send_messages([make_message("b")])
    files = list(tmp_path.iterdir())
    assert len(files) == 1
    assert files[0].name.endswith(".log")
    content = files[0].read_bytes()
    assert b"Subject: a\n" in content
    assert b"Subject: b\n" in content
    assert backend.stream is None


def test_filebased_backend_keeps_raw_utf8(tmp_path: Path) -> None:
    filebased.EmailBackend(file_path=tmp_path).send_messages(
        [make_message("s", "Zażółć")]
    )
    assert "Zażółć".encode() in read_messages(tmp_path)[0]


def test_filebased_backend_uses_email_file_path_setting(tmp_path: Path) -> None:
    target = tmp_path / "nested" / "mail"
    with override_settings(
        EMAIL_BACKEND="manouche.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(target),
    ):
        assert make_message().send() == 1
        connection = get_connection()
    assert isinstance(connection, filebased.EmailBackend)
    assert connection.file_path == str(target)
    assert len(read_messages(target)) == 1


def test_filebased_backend_requires_a_path() -> None:
    with pytest.raises(ImproperlyConfigured, match="set EMAIL_FILE_PATH"):
        filebased.EmailBackend()


def test_filebased_backend_refuses_a_file_as_directory(tmp_path: Path) -> None:
    path = tmp_path / "a-file"
    path.write_text("x")
    with pytest.raises(ImproperlyConfigured, match="exists, but is not a directory"):
        filebased.EmailBackend(file_path=path)


def test_filebased_backend_refuses_uncreatable_directory(tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("x")
    with pytest.raises(
        ImproperlyConfigured, match="Could not create directory for saving email"
    ):
        filebased.EmailBackend(file_path=blocker / "sub")


def test_filebased_backend_unwritable_directory_via_access(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("os.access", lambda path, mode: False)
    with pytest.raises(
        ImproperlyConfigured, match=f"Could not write to directory: {tmp_path}"
    ):
        filebased.EmailBackend(file_path=tmp_path)
