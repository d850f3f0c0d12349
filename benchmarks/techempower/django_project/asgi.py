"""ASGI entry point (uvicorn workers): Django's other deployment, pooled."""

from __future__ import annotations

import os

from django.core.asgi import get_asgi_application

__all__ = ["application"]

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "django_project.settings")
# Read by the settings: a connection pool instead of per-thread connections.
os.environ["MANOUCHE_BENCH_DJANGO_ASGI"] = "1"

application = get_asgi_application()
