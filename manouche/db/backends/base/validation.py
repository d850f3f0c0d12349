"""Backend-specific model checks (none in the base backend)."""

from __future__ import annotations

from typing import Any

__all__ = ["BaseDatabaseValidation"]


class BaseDatabaseValidation:
    """Checks a backend adds to the system checks of models and fields."""

    def __init__(self, connection: Any) -> None:
        self.connection = connection

    def check(self, **kwargs: Any) -> list[Any]:
        """Return the backend's checks of the whole database (none)."""
        return []

    def check_field(self, field: Any, **kwargs: Any) -> list[Any]:
        """Return the backend's checks of ``field`` (none)."""
        return []
