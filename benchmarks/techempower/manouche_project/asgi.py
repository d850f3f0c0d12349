"""ASGI entry point, as ``startproject`` writes it."""

from __future__ import annotations

import os

from manouche.core.asgi import get_asgi_application

__all__ = ["application"]

os.environ.setdefault("MANOUCHE_SETTINGS_MODULE", "manouche_project.settings")

application = get_asgi_application()
