"""A tiny threaded SMTP server on 127.0.0.1, enough for ``smtplib``.

It speaks EHLO/HELO, AUTH PLAIN, MAIL, RCPT, DATA (with dot-unstuffing),
RSET, NOOP and QUIT, keeps what it receives, and refuses recipients whose
address starts with ``refuse``. Every socket has a timeout, so a confused
client can never hang the suite.
"""

from __future__ import annotations

import base64
import socketserver
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

__all__ = ["ReceivedMessage", "SMTPServer", "running_smtp_server"]

SOCKET_TIMEOUT = 5.0


@dataclass
class ReceivedMessage:
    """One message as delivered by the client."""

    mail_from: str
    rcpt_tos: list[str]
    data: bytes


@dataclass
class _Session:
    mail_from: str | None = None
    rcpt_tos: list[str] = field(default_factory=list)


class _Handler(socketserver.StreamRequestHandler):
    server: SMTPServer

    def setup(self) -> None:
        self.request.settimeout(SOCKET_TIMEOUT)
        super().setup()

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode("ascii") + b"\r\n")

    def handle(self) -> None:
        self.server.connections += 1
        self.reply("220 localhost test SMTP ready")
        session = _Session()
        while True:
            raw = self.rfile.readline(4096)
            if not raw:
                return
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            self.server.commands.append(line)
            verb, _, argument = line.partition(" ")
            if not self.dispatch(verb.upper(), argument, session):
                return

    def dispatch(self, verb: str, argument: str, session: _Session) -> bool:
        if verb == "EHLO":
            self.reply("250-localhost")
            self.reply("250-8BITMIME")
            self.reply("250 AUTH PLAIN")
        elif verb == "HELO":
            self.reply("250 localhost")
        elif verb == "AUTH":
            self.auth(argument)
        elif verb == "MAIL":
            session.mail_from = _address(argument)
            session.rcpt_tos = []
            self.reply("250 OK")
        elif verb == "RCPT":
            address = _address(argument)
            if address.startswith("refuse"):
                self.reply("550 No such user")
            else:
                session.rcpt_tos.append(address)
                self.reply("250 OK")
        elif verb == "DATA":
            self.data(session)
        elif verb in {"RSET", "NOOP"}:
            session.mail_from, session.rcpt_tos = None, []
            self.reply("250 OK")
        elif verb == "QUIT":
            self.reply("221 Bye")
            return False
        else:
            self.reply("502 Command not implemented")
        return True

    def auth(self, argument: str) -> None:
        mechanism, _, payload = argument.partition(" ")
        if mechanism.upper() != "PLAIN" or self.server.credentials is None:
            self.reply("504 Unrecognized authentication type")
            return
        _authzid, user, password = base64.b64decode(payload).split(b"\0")
        if (user.decode(), password.decode()) == self.server.credentials:
            self.reply("235 Authentication successful")
        else:
            self.reply("535 Authentication credentials invalid")

    def data(self, session: _Session) -> None:
        if session.mail_from is None or not session.rcpt_tos:
            self.reply("503 Bad sequence of commands")
            return
        self.reply("354 End data with <CR><LF>.<CR><LF>")
        lines: list[bytes] = []
        while True:
            raw = self.rfile.readline(65536)
            if not raw or raw == b".\r\n":
                break
            lines.append(raw[1:] if raw.startswith(b"..") else raw)
        self.server.messages.append(
            ReceivedMessage(session.mail_from, session.rcpt_tos, b"".join(lines))
        )
        session.mail_from, session.rcpt_tos = None, []
        self.reply("250 OK queued")


def _address(argument: str) -> str:
    start, end = argument.find("<"), argument.find(">")
    return argument[start + 1 : end]


class SMTPServer(socketserver.ThreadingTCPServer):
    """The server; read ``messages`` and ``commands`` after the client is done."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, credentials: tuple[str, str] | None = None) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.credentials = credentials
        self.messages: list[ReceivedMessage] = []
        self.commands: list[str] = []
        self.connections = 0
        self.errors: list[BaseException | None] = []

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Record a client hanging up mid-session instead of printing it."""
        self.errors.append(sys.exc_info()[1])

    @property
    def port(self) -> int:
        """The port the server listens on."""
        return int(self.server_address[1])


@contextmanager
def running_smtp_server(**kwargs: Any) -> Iterator[SMTPServer]:
    """Run an SMTPServer in a background thread for the block's duration."""
    server = SMTPServer(**kwargs)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
