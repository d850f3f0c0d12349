"""Logging defaults, filters and the one-line-per-response helper."""

from __future__ import annotations

import logging
import logging.config
from typing import Any

from manouche.conf import settings
from manouche.utils.module_loading import import_string

__all__ = [
    "DEFAULT_LOGGING",
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

    def format(self, record: logging.LogRecord) -> str:
        if self.uses_server_time() and not hasattr(record, "server_time"):
            record.server_time = self.formatTime(record, self.datefmt)
        return super().format(record)

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
