"""The demo's ASGI application: ``uvicorn demo.asgi:application``."""

from __future__ import annotations

import os

from manouche.core.asgi import get_asgi_application

os.environ.setdefault("MANOUCHE_SETTINGS_MODULE", f"{__package__}.settings")

application = get_asgi_application()
