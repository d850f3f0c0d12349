"""Logging defaults, filters and the one-line-per-response helper."""

from __future__ import annotations

import logging
import logging.config
from typing import Any

from manouche.conf import settings
from manouche.utils.module_loading import import_string

__all__ = [
    "DEFAULT_LOGGING",
    "AdminEmailHandler",
    "CallbackFilter",
    "RequireDebugFalse",
    "RequireDebugTrue",
    "ServerFormatter",
    "configure_logging",
    "log_response",
]

request_logger = logging.getLogger("manouche.request")

DEFAULT_LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "require_debug_false": {"()": "manouche.utils.log.RequireDebugFalse"},
        "require_debug_true": {"()": "manouche.utils.log.RequireDebugTrue"},
    },
    "formatters": {
        "manouche.server": {
            "()": "manouche.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {
            "level": "INFO",
            "filters": ["require_debug_true"],
            "class": "logging.StreamHandler",
        },
        "manouche.server": {
            "level": "INFO",
            "class": "logging.StreamHandler",
            "formatter": "manouche.server",
        },
    },
    "loggers": {
        "manouche": {"handlers": ["console"], "level": "INFO"},
        "manouche.server": {
            "handlers": ["manouche.server"],
            "level": "INFO",
            "propagate": False,
        },
    },
}


def configure_logging(
    logging_config: str | None, logging_settings: dict[str, Any]
) -> None:
    """Install the default logging, then the project's ``LOGGING`` on top."""
    if logging_config:
        logging_config_func = import_string(logging_config)
        logging.config.dictConfig(DEFAULT_LOGGING)
        if logging_settings:
            logging_config_func(logging_settings)


class AdminEmailHandler(logging.Handler):
    """Email each record to ``settings.ADMINS`` (used when DEBUG is off).

    The message carries the request and, with ``include_html``, the debug
    page as an attachment; sending goes through ``manouche.core.mail``.
    """

    def __init__(
        self,
        include_html: bool = False,
        email_backend: str | None = None,
        reporter_class: str | None = None,
    ) -> None:
        super().__init__()
        self.include_html = include_html
        self.email_backend = email_backend
        self.reporter_class = import_string(
            reporter_class or settings.DEFAULT_EXCEPTION_REPORTER
        )

    def emit(self, record: logging.LogRecord) -> None:
        # With nobody to mail, skip building the report (unless a subclass
        # sends it somewhere else).
        if not settings.ADMINS and type(self).send_mail is AdminEmailHandler.send_mail:
            return
        request = getattr(record, "request", None)
        if request is not None:
            internal = request.META.get("REMOTE_ADDR") in settings.INTERNAL_IPS
            subject = (
                f"{record.levelname} "
                f"({'internal' if internal else 'EXTERNAL'} IP): {record.getMessage()}"
            )
        else:
            subject = f"{record.levelname}: {record.getMessage()}"
        subject = self.format_subject(subject)
        no_exc_record = logging.makeLogRecord(record.__dict__)
        no_exc_record.exc_info = None
        no_exc_record.exc_text = None
        exc_info = record.exc_info or (None, record.getMessage(), None)
        reporter = self.reporter_class(request, *exc_info, is_email=True)
        message = f"{self.format(no_exc_record)}\n\n{reporter.get_traceback_text()}"
        html_message = reporter.get_traceback_html() if self.include_html else None
        self.send_mail(subject, message, fail_silently=True, html_message=html_message)

    def send_mail(self, subject: str, message: str, *args: Any, **kwargs: Any) -> None:
        """Send the report to the admins."""
        from manouche.core import mail

        # Django's signature: callers pass the rest by keyword, never connection.
        mail.mail_admins(  # type: ignore[misc]
            subject, message, *args, connection=self.connection(), **kwargs
        )

    def connection(self) -> Any:
        """Return the mail connection to send with."""
        from manouche.core.mail import get_connection

        return get_connection(backend=self.email_backend, fail_silently=True)

    def format_subject(self, subject: str) -> str:
        """Keep the subject on one line, as RFC 2822 requires."""
        return subject.replace("\n", "\\n").replace("\r", "\\r")


class CallbackFilter(logging.Filter):
    """Filter records through a callable returning whether to keep each one."""

    def __init__(self, callback: Any) -> None:
        super().__init__()
        self.callback = callback

    def filter(self, record: logging.LogRecord) -> bool:
        return bool(self.callback(record))


class RequireDebugFalse(logging.Filter):
    """Pass records only when DEBUG is off."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not settings.DEBUG


class RequireDebugTrue(logging.Filter):
    """Pass records only when DEBUG is on."""

    def filter(self, record: logging.LogRecord) -> bool:
        return bool(settings.DEBUG)


class ServerFormatter(logging.Formatter):
    """Format server log lines with the time, as runserver prints them."""

    default_time_format = "%d/%b/%Y %H:%M:%S"
    default_msec_format = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from manouche.core.management.color import color_style

        self.style: Any = color_style()
        super().__init__(*args, **kwargs)

    def format(self, record: logging.LogRecord) -> str:
        status_code = getattr(record, "status_code", None)
        if status_code:
            record.msg = self._style_for(status_code)(record.msg)
        if self.uses_server_time() and not hasattr(record, "server_time"):
            record.server_time = self.formatTime(record, self.datefmt)
        return super().format(record)

    def _style_for(self, status_code: int) -> Any:
        """Pick the colour role for a response status."""
        style = self.style
        if 200 <= status_code < 300:
            return style.HTTP_SUCCESS
        if 100 <= status_code < 200:
            return style.HTTP_INFO
        if status_code == 304:
            return style.HTTP_NOT_MODIFIED
        if 300 <= status_code < 400:
            return style.HTTP_REDIRECT
        if status_code == 404:
            return style.HTTP_NOT_FOUND
        if 400 <= status_code < 500:
            return style.HTTP_BAD_REQUEST
        return style.HTTP_SERVER_ERROR

    def uses_server_time(self) -> bool:
        """Tell whether the format string shows the server time."""
        return self._fmt is not None and "{server_time}" in self._fmt


def log_response(
    message: str,
    *args: Any,
    response: Any = None,
    request: Any = None,
    logger: logging.Logger = request_logger,
    level: str | None = None,
    exception: BaseException | None = None,
) -> None:
    """Log a 4xx/5xx response once, escaping what the client controls."""
    if getattr(response, "_has_been_logged", False):
        return
    if level is None:
        if response.status_code >= 500:
            level = "error"
        elif response.status_code >= 400:
            level = "warning"
        else:
            level = "info"
    escaped_args = tuple(
        a.encode("unicode_escape").decode("ascii") if isinstance(a, str) else a
        for a in args
    )
    exc_info: Any = exception if exception is not None else None
    getattr(logger, level)(
        message,
        *escaped_args,
        extra={"status_code": response.status_code, "request": request},
        exc_info=exc_info,
    )
    response._has_been_logged = True
