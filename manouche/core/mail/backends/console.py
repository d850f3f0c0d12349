"""An email backend that writes messages to a stream (stdout by default).

Useful in development: the full message, headers and MIME parts included,
appears in the terminal, each one followed by a line of dashes.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Sequence
from email.charset import Charset
from typing import IO, TYPE_CHECKING, Any

from manouche.core.mail.backends.base import BaseEmailBackend

if TYPE_CHECKING:
    from manouche.core.mail.message import EmailMessage

__all__ = ["EmailBackend"]


class EmailBackend(BaseEmailBackend):
    """Write each message to ``stream`` (a text stream, stdout by default)."""

    stream: Any

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.stream: IO[Any] | None = kwargs.pop("stream", sys.stdout)
        self._lock = threading.RLock()
        super().__init__(*args, **kwargs)

    def write_message(self, message: EmailMessage) -> None:
        """Write one message and its separator line."""
        msg = message.message()
        charset = msg.get_charset()
        if isinstance(charset, Charset):
            encoding = charset.get_output_charset()
        else:
            encoding = charset
        text = msg.as_bytes().decode(encoding or "utf-8")
        self.stream.write(f"{text}\n")
        self.stream.write("-" * 79)
        self.stream.write("\n")

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        """Write the messages; return how many were written."""
        if not email_messages:
            return 0
        count = 0
        with self._lock:
            try:
                stream_created = self.open()
                for message in email_messages:
                    self.write_message(message)
                    self.stream.flush()
                    count += 1
                if stream_created:
                    self.close()
            except Exception:
                if not self.fail_silently:
                    raise
        return count
