"""The ASGI application factory, and the hooks run by the lifespan protocol.

Append callables (sync or async, no arguments) to ``startup_handlers`` or
``shutdown_handlers`` to run them when the ASGI server starts or stops; an
exception in a startup hook makes the server refuse to start.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import manouche
from manouche.core.handlers.asgi import ASGIHandler

__all__ = ["get_asgi_application", "shutdown_handlers", "startup_handlers"]

#: Called, in order, on ``lifespan.startup``.
startup_handlers: list[Callable[[], Any]] = []
#: Called, in order, on ``lifespan.shutdown``.
shutdown_handlers: list[Callable[[], Any]] = []


def get_asgi_application() -> ASGIHandler:
    """Set manouche up and return the ASGI application for the project."""
    manouche.setup(set_prefix=False)
    return ASGIHandler()
