"""Decorator compressing one view's responses like GZipMiddleware."""

from __future__ import annotations

from manouche.middleware.gzip import GZipMiddleware
from manouche.utils.decorators import decorator_from_middleware

__all__ = ["gzip_page"]

gzip_page = decorator_from_middleware(GZipMiddleware)
gzip_page.__doc__ = "Decorator for views that gzips pages if the client supports it."
