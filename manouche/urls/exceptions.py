"""The two failures of URL routing: nothing resolves, nothing reverses."""

from __future__ import annotations

from manouche.http import Http404

__all__ = ["NoReverseMatch", "Resolver404"]


class Resolver404(Http404):
    """No URL pattern matches a path; ``args[0]`` holds ``path`` and ``tried``."""


class NoReverseMatch(Exception):
    """No URL pattern can be built from a view name and arguments."""
