"""An email backend that keeps messages in ``manouche.core.mail.outbox``.

Meant for tests: ``setup_test_environment`` selects it and empties the outbox.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from manouche.core import mail
from manouche.core.mail.backends.base import BaseEmailBackend

if TYPE_CHECKING:
    from manouche.core.mail.message import EmailMessage

__all__ = ["EmailBackend"]


class EmailBackend(BaseEmailBackend):
    """Append each sent message to ``manouche.core.mail.outbox``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not hasattr(mail, "outbox"):
            mail.outbox = []

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        """Store the messages; building each one first catches bad headers."""
        count = 0
        for message in email_messages:
            message.message()
            if not hasattr(mail, "outbox"):
                mail.outbox = []
            mail.outbox.append(message)
            count += 1
        return count
