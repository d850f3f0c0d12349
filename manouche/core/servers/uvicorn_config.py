"""uvicorn configuration shared by runserver, serve and demo.

uvicorn's access records are re-logged on the ``manouche.server`` logger, one
line per request in runserver's format, so LOGGING controls them like any
other manouche log. Proxy headers are believed only from TRUSTED_PROXIES.
"""

from __future__ import annotations

import importlib.util
import logging
from typing import Any

__all__ = [
    "APPLICATION_FACTORY",
    "AccessLogHandler",
    "http_implementation",
    "log_config",
    "proxy_options",
]

APPLICATION_FACTORY = "manouche.core.servers.basehttp:get_internal_asgi_application"
H11_MAX_INCOMPLETE_EVENT_SIZE = 64 * 1024

server_logger = logging.getLogger("manouche.server")


class AccessLogHandler(logging.Handler):
    """Turn a uvicorn access record into one ``manouche.server`` line."""

    def emit(self, record: logging.LogRecord) -> None:
        args = record.args
        if not isinstance(args, tuple) or len(args) != 5:
            server_logger.info(_escape(record.getMessage()))
            return
        _client, method, path, http_version, status = args
        status_code = int(status) if isinstance(status, int | str) else 0
        if status_code >= 500:
            level = logging.ERROR
        elif status_code >= 400:
            level = logging.WARNING
        else:
            level = logging.INFO
        server_logger.log(
            level,
            '"%s %s HTTP/%s" %s',
            _escape(str(method)),
            _escape(str(path)),
            _escape(str(http_version)),
            status_code,
            extra={"status_code": status_code, "client_addr": _client},
        )


def _escape(text: str) -> str:
    """Keep client-controlled text on one printable line."""
    if text.isascii() and text.isprintable():
        return text
    return text.encode("unicode_escape").decode("ascii")


def log_config(verbosity: int = 1, access_log: bool = True) -> dict[str, Any]:
    """Return uvicorn's logging config: its own messages quiet, access lines ours."""
    uvicorn_level = "INFO" if verbosity >= 2 else "WARNING"
    handlers: dict[str, Any] = {
        "default": {
            "formatter": "default",
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stderr",
        },
    }
    access_handlers: list[str] = []
    if access_log:
        handlers["manouche.access"] = {"()": f"{__name__}.AccessLogHandler"}
        access_handlers.append("manouche.access")
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "default": {
                "()": "uvicorn.logging.DefaultFormatter",
                "fmt": "%(levelprefix)s %(message)s",
                "use_colors": None,
            },
            "access": {
                "()": "uvicorn.logging.AccessFormatter",
                "fmt": '%(levelprefix)s %(client_addr)s - "%(request_line)s" '
                "%(status_code)s",
            },
        },
        "handlers": handlers,
        "loggers": {
            "uvicorn": {"handlers": ["default"], "level": "INFO", "propagate": False},
            "uvicorn.error": {"level": uvicorn_level},
            "uvicorn.access": {
                "handlers": access_handlers,
                "level": "INFO",
                "propagate": False,
            },
        },
    }


def http_implementation() -> str:
    """Prefer httptools when installed, else h11."""
    return "httptools" if importlib.util.find_spec("httptools") else "h11"


def proxy_options() -> dict[str, Any]:
    """Believe X-Forwarded-* only from TRUSTED_PROXIES (loopback by default)."""
    from manouche.conf import settings

    trusted = list(getattr(settings, "TRUSTED_PROXIES", []) or [])
    return {"proxy_headers": bool(trusted), "forwarded_allow_ips": trusted or None}


def base_options() -> dict[str, Any]:
    """Options every manouche server shares."""
    return {
        "factory": True,
        "http": http_implementation(),
        "h11_max_incomplete_event_size": H11_MAX_INCOMPLETE_EVENT_SIZE,
        "ws": "none",
        "lifespan": "auto",
        "server_header": False,
        **proxy_options(),
    }
