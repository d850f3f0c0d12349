"""Which database connections a model check should consider.

Checks that depend on a backend's features only run for the aliases the
caller names (``manage.py check --database``), and only where the routers
would create the model's table.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

__all__ = ["connections_for", "supports"]


def connections_for(model: Any, databases: Sequence[str] | None) -> Iterator[Any]:
    """Yield the connections of ``databases`` where ``model`` has a table."""
    if not databases:
        return
    from manouche.db import connections, router

    for alias in databases:
        if router.allow_migrate_model(alias, model):
            yield connections[alias]


def supports(connection: Any, model: Any, feature: str, default: bool = False) -> bool:
    """Tell whether ``connection`` has ``feature`` or the model requires it.

    ``default`` answers for a feature flag the backend does not declare.
    """
    if getattr(connection.features, feature, default):
        return True
    return feature in (model._meta.required_db_features or ())
