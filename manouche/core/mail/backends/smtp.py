"""The SMTP email backend, on the standard library's ``smtplib``.

Settings give the defaults (``EMAIL_HOST``, ``EMAIL_PORT``, credentials,
``EMAIL_USE_TLS`` for STARTTLS, ``EMAIL_USE_SSL`` for implicit TLS,
``EMAIL_TIMEOUT``). A lock serialises use of the one connection across threads.
"""

from __future__ import annotations

import smtplib
import ssl
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from manouche.conf import settings
from manouche.core.mail.backends.base import BaseEmailBackend
from manouche.core.mail.message import sanitize_address
from manouche.core.mail.utils import DNS_NAME
from manouche.utils.functional import cached_property

if TYPE_CHECKING:
    from manouche.core.mail.message import EmailMessage

__all__ = ["EmailBackend"]


class EmailBackend(BaseEmailBackend):
    """Send messages through an SMTP server, one connection per batch."""

    def __init__(
        self,
        host: str | None = None,
        port: int | None = None,
        username: str | None = None,
        password: str | None = None,
        use_tls: bool | None = None,
        fail_silently: bool = False,
        use_ssl: bool | None = None,
        timeout: float | None = None,
        ssl_keyfile: str | None = None,
        ssl_certfile: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(fail_silently=fail_silently)
        self.host = host or settings.EMAIL_HOST
        self.port = port or settings.EMAIL_PORT
        self.username = settings.EMAIL_HOST_USER if username is None else username
        self.password = settings.EMAIL_HOST_PASSWORD if password is None else password
        self.use_tls = settings.EMAIL_USE_TLS if use_tls is None else use_tls
        self.use_ssl = settings.EMAIL_USE_SSL if use_ssl is None else use_ssl
        self.timeout = settings.EMAIL_TIMEOUT if timeout is None else timeout
        self.ssl_keyfile = (
            settings.EMAIL_SSL_KEYFILE if ssl_keyfile is None else ssl_keyfile
        )
        self.ssl_certfile = (
            settings.EMAIL_SSL_CERTFILE if ssl_certfile is None else ssl_certfile
        )
        if self.use_ssl and self.use_tls:
            raise ValueError(
                "EMAIL_USE_TLS/EMAIL_USE_SSL are mutually exclusive, so only set "
                "one of those settings to True."
            )
        self.connection: smtplib.SMTP | None = None
        self._lock = threading.RLock()

    @property
    def connection_class(self) -> type[smtplib.SMTP]:
        """``SMTP_SSL`` for implicit TLS, plain ``SMTP`` otherwise."""
        return smtplib.SMTP_SSL if self.use_ssl else smtplib.SMTP

    @cached_property
    def ssl_context(self) -> ssl.SSLContext:
        """The TLS context: verifying, with the client certificate if given."""
        if self.ssl_certfile or self.ssl_keyfile:
            context = ssl.SSLContext(protocol=ssl.PROTOCOL_TLS_CLIENT)
            context.load_cert_chain(self.ssl_certfile or "", self.ssl_keyfile)
            return context
        return ssl.create_default_context()

    def open(self) -> bool | None:
        """Connect (and log in) unless connected.

        Return True if a connection was opened, False if one was already
        open, None if connecting failed silently.
        """
        if self.connection:
            return False
        params: dict[str, Any] = {"local_hostname": DNS_NAME.get_fqdn()}
        if self.timeout is not None:
            params["timeout"] = self.timeout
        if self.use_ssl:
            params["context"] = self.ssl_context
        try:
            self.connection = self.connection_class(self.host, self.port, **params)
            if not self.use_ssl and self.use_tls:
                self.connection.starttls(context=self.ssl_context)
            if self.username and self.password:
                self.connection.login(self.username, self.password)
        except OSError:
            # smtplib.SMTPException is an OSError too: refused login included.
            if self.connection is not None:
                self._drop_connection()
            if not self.fail_silently:
                raise
            return None
        return True

    def _drop_connection(self) -> None:
        connection, self.connection = self.connection, None
        try:
            if connection is not None:
                connection.close()
        except OSError:
            pass

    def close(self) -> None:
        """Say QUIT and close the connection; forget it either way."""
        if self.connection is None:
            return
        connection, self.connection = self.connection, None
        try:
            connection.quit()
        except (ssl.SSLError, smtplib.SMTPServerDisconnected):
            # The server may already have gone; close our end anyway.
            connection.close()
        except smtplib.SMTPException:
            # The server answered QUIT badly: still free the socket.
            connection.close()
            if not self.fail_silently:
                raise

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        """Send the messages over one connection; return how many were sent."""
        if not email_messages:
            return 0
        with self._lock:
            new_conn_created = self.open()
            if not self.connection or new_conn_created is None:
                return 0
            sent = 0
            try:
                for message in email_messages:
                    if self._send(message):
                        sent += 1
            finally:
                if new_conn_created:
                    self.close()
        return sent

    def _send(self, email_message: EmailMessage) -> bool:
        """Send one message; return whether it was sent."""
        if not email_message.recipients():
            return False
        assert self.connection is not None
        encoding = email_message.encoding or settings.DEFAULT_CHARSET
        from_email = sanitize_address(email_message.from_email, encoding)
        recipients = [
            sanitize_address(address, encoding)
            for address in email_message.recipients()
        ]
        message = email_message.message()
        try:
            self.connection.sendmail(
                from_email, recipients, message.as_bytes(linesep="\r\n")
            )
        except smtplib.SMTPException:
            if not self.fail_silently:
                raise
            return False
        return True
