"""The WSGI application factory."""

from __future__ import annotations

import manouche
from manouche.core.handlers.wsgi import WSGIHandler

__all__ = ["get_wsgi_application"]


def get_wsgi_application() -> WSGIHandler:
    """Set manouche up and return the WSGI application for the project."""
    manouche.setup(set_prefix=False)
    return WSGIHandler()
