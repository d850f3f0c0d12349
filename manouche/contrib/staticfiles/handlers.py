"""ASGIStaticFilesHandler: serve STATIC_URL from the finders in front of an app.

The development server wraps the project's ASGI application with it so that
static files are served straight from the apps' ``static/`` folders and
STATICFILES_DIRS, without running collectstatic. Requests outside STATIC_URL
(and every non-HTTP scope) go to the wrapped application untouched.
Production should serve collected files from STATIC_ROOT with a web server.
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import urlparse
from urllib.request import url2pathname

from manouche.conf import settings
from manouche.core.handlers.asgi import ASGIHandler
from manouche.core.handlers.exception import response_for_exception
from manouche.http import Http404
from manouche.utils.asyncio import run_sync

__all__ = ["ASGIStaticFilesHandler", "static_url_path"]


def static_url_path() -> str:
    """The path part of STATIC_URL ("" when STATIC_URL is unset or on another host)."""
    static_url = settings.STATIC_URL
    if not static_url:
        return ""
    parsed = urlparse(static_url)
    if parsed.netloc:
        return ""  # served by another host: nothing to do here
    path = parsed.path
    return path if path.startswith("/") else f"/{path}"


class ASGIStaticFilesHandler(ASGIHandler):
    """Answer requests under STATIC_URL with files found by the finders."""

    def __init__(self, application: Any) -> None:
        self.application = application
        super().__init__()

    def load_middleware(self, is_async: bool = False) -> None:
        """No middleware of its own: the wrapped application has its own chain."""

    def _should_handle(self, path: str) -> bool:
        prefix = static_url_path()
        return bool(prefix) and path.startswith(prefix)

    def file_path(self, url_path: str) -> str:
        """The path below STATIC_URL, as a relative file name."""
        relative = url_path.removeprefix(static_url_path())
        return url2pathname(relative)

    def serve(self, request: Any) -> Any:
        """Serve the requested static file, or raise Http404."""
        from manouche.contrib.staticfiles import finders
        from manouche.views import static

        relative = self.file_path(request.path).lstrip("/")
        found = finders.find(relative) if relative else None
        if not found or not isinstance(found, str) or not os.path.isfile(found):
            raise Http404(f"'{relative}' could not be found")
        directory, name = os.path.split(found)
        return static.serve(request, name, document_root=directory)

    async def get_response_async(self, request: Any) -> Any:
        try:
            return await run_sync(self.serve, request)
        except Http404 as exc:
            return await run_sync(response_for_exception, request, exc)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and self._should_handle(scope.get("path", "")):
            await super().__call__(scope, receive, send)
            return
        await self.application(scope, receive, send)
