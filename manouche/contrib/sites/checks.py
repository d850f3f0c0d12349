"""System check of the SITE_ID setting (``sites.E101``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from manouche.conf import settings
from manouche.core.checks import Error

__all__ = ["check_site_id"]


def check_site_id(app_configs: Iterable[Any] | None, **kwargs: Any) -> list[Error]:
    """Report a SITE_ID that is set but neither an integer nor None."""
    site_id = getattr(settings, "SITE_ID", None)
    if site_id is None or isinstance(site_id, int):
        return []
    return [Error("The SITE_ID setting must be an integer", id="sites.E101")]
