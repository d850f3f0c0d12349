"""An email backend that sends nothing (for when mail must go nowhere)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from manouche.core.mail.backends.base import BaseEmailBackend

if TYPE_CHECKING:
    from manouche.core.mail.message import EmailMessage

__all__ = ["EmailBackend"]


class EmailBackend(BaseEmailBackend):
    """Pretend to send every message."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        """Return the number of messages, having sent none."""
        return len(list(email_messages))
