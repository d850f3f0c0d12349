"""Load the project's ASGI application for the built-in server commands."""

from __future__ import annotations

from typing import Any

import manouche
from manouche.core.exceptions import ImproperlyConfigured
from manouche.utils.module_loading import import_string

__all__ = ["get_internal_asgi_application"]


def get_internal_asgi_application() -> Any:
    """Return the app named by ASGI_APPLICATION, or the default ASGIHandler.

    runserver, serve and demo hand this factory to uvicorn by import string,
    so every worker and every reloaded process builds the app itself.
    """
    from manouche.conf import settings

    manouche.setup(set_prefix=False)
    app_path = getattr(settings, "ASGI_APPLICATION", None)
    if app_path is None:
        from manouche.core.asgi import get_asgi_application

        return get_asgi_application()
    try:
        return import_string(app_path)
    except ImportError as error:
        raise ImproperlyConfigured(
            f"ASGI application '{app_path}' could not be loaded; Error importing "
            "module."
        ) from error
