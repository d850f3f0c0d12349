"""The base class every email backend extends."""

from __future__ import annotations

from collections.abc import Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

if TYPE_CHECKING:
    from manouche.core.mail.message import EmailMessage

__all__ = ["BaseEmailBackend"]


class BaseEmailBackend:
    """Deliver email messages; subclasses implement ``send_messages``.

    A backend is also a context manager that opens its connection on entry
    and closes it on exit, so several messages share one connection.
    """

    def __init__(self, fail_silently: bool = False, **kwargs: Any) -> None:
        self.fail_silently = fail_silently

    def open(self) -> bool | None:
        """Open a long-lived connection; return True if a new one was opened."""
        return None

    def close(self) -> None:
        """Close the connection opened by ``open``."""

    def __enter__(self) -> Self:
        try:
            self.open()
        except Exception:
            self.close()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        """Send the messages; return how many were sent."""
        raise NotImplementedError(
            "subclasses of BaseEmailBackend must override send_messages() method"
        )
