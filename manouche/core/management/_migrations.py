"""Find a migration by the name prefix a user typed, for the migration commands."""

from __future__ import annotations

from typing import Any

from manouche.core.management.base import CommandError
from manouche.db.migrations.exceptions import AmbiguityError

__all__ = ["find_migration"]


def find_migration(loader: Any, app_label: str, name: str, hint: str = "") -> Any:
    """Return the app's migration whose name starts with ``name``.

    An ambiguous or unknown prefix is a ``CommandError`` saying which;
    ``hint`` is appended to the "cannot find" message.
    """
    try:
        return loader.get_migration_by_prefix(app_label, name)
    except AmbiguityError as exc:
        raise CommandError(
            f"More than one migration matches '{name}' in app '{app_label}'. "
            "Please be more specific."
        ) from exc
    except KeyError as exc:
        suffix = f" {hint}" if hint else ""
        raise CommandError(
            f"Cannot find a migration matching '{name}' from app '{app_label}'."
            + suffix
        ) from exc
