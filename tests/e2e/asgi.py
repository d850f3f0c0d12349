"""The ASGI application uvicorn serves in the end-to-end tests."""

from __future__ import annotations

import os

os.environ["MANOUCHE_SETTINGS_MODULE"] = "tests.e2e.settings"

from manouche.core.asgi import get_asgi_application

application = get_asgi_application()
