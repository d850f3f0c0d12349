"""An email backend that appends messages to a file in ``EMAIL_FILE_PATH``.

Each backend instance writes to its own file, named after the time it first
wrote and the instance, so concurrent processes never interleave messages.
"""

from __future__ import annotations

import datetime
import os
from typing import TYPE_CHECKING, Any

from manouche.conf import settings
from manouche.core.exceptions import ImproperlyConfigured
from manouche.core.mail.backends.console import EmailBackend as ConsoleEmailBackend

if TYPE_CHECKING:
    from manouche.core.mail.message import EmailMessage

__all__ = ["EmailBackend"]


class EmailBackend(ConsoleEmailBackend):
    """Write each message, as bytes, to a log file in a directory."""

    def __init__(
        self, *args: Any, file_path: str | os.PathLike[str] | None = None, **kwargs: Any
    ) -> None:
        self._fname: str | None = None
        path = file_path if file_path is not None else settings.EMAIL_FILE_PATH
        if path is None:
            raise ImproperlyConfigured(
                "The file-based email backend needs a directory: set "
                "EMAIL_FILE_PATH or pass file_path."
            )
        self.file_path = os.path.abspath(path)
        self._check_directory()
        kwargs["stream"] = None
        super().__init__(*args, **kwargs)

    def _check_directory(self) -> None:
        try:
            os.makedirs(self.file_path, exist_ok=True)
        except FileExistsError:
            raise ImproperlyConfigured(
                "Path for saving email messages exists, but is not a directory: "
                f"{self.file_path}"
            )
        except OSError as err:
            raise ImproperlyConfigured(
                "Could not create directory for saving email messages: "
                f"{self.file_path} ({err})"
            )
        if not os.access(self.file_path, os.W_OK):
            raise ImproperlyConfigured(
                f"Could not write to directory: {self.file_path}"
            )

    def write_message(self, message: EmailMessage) -> None:
        """Append one message, as raw bytes, and its separator line."""
        self.stream.write(message.message().as_bytes() + b"\n")
        self.stream.write(b"-" * 79)
        self.stream.write(b"\n")

    def _get_filename(self) -> str:
        """Return this instance's file name, choosing it on first use."""
        if self._fname is None:
            timestamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
            fname = f"{timestamp}-{abs(id(self))}.log"
            self._fname = os.path.join(self.file_path, fname)
        return self._fname

    def open(self) -> bool:
        """Open the log file for appending, unless it is already open."""
        if self.stream is None:
            self.stream = open(self._get_filename(), "ab")  # noqa: SIM115
            return True
        return False

    def close(self) -> None:
        """Close the log file."""
        try:
            if self.stream is not None:
                self.stream.close()
        finally:
            self.stream = None
