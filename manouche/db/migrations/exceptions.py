"""Errors raised while loading, planning and applying migrations."""

from __future__ import annotations

from typing import Any

from manouche.db.utils import DatabaseError

__all__ = [
    "AmbiguityError",
    "BadMigrationError",
    "CircularDependencyError",
    "InconsistentMigrationHistory",
    "InvalidBasesError",
    "InvalidMigrationPlan",
    "IrreversibleError",
    "MigrationSchemaMissing",
    "NodeNotFoundError",
]


class AmbiguityError(Exception):
    """More than one migration matches a name prefix."""


class BadMigrationError(Exception):
    """A migration module has no usable ``Migration`` class."""


class CircularDependencyError(Exception):
    """The dependency graph has a cycle."""


class InconsistentMigrationHistory(Exception):
    """An applied migration has a dependency that is not applied."""


class InvalidBasesError(ValueError):
    """A model state's bases cannot be resolved while rendering."""


class IrreversibleError(RuntimeError):
    """An operation was asked to run backwards and cannot."""


class NodeNotFoundError(LookupError):
    """A migration names a dependency the graph does not hold."""

    def __init__(self, message: str, node: Any, origin: Any = None) -> None:
        self.message = message
        self.origin = origin
        self.node = node

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"NodeNotFoundError({self.node!r})"


class MigrationSchemaMissing(DatabaseError):
    """The table that records applied migrations cannot be created."""


class InvalidMigrationPlan(ValueError):
    """A requested plan mixes applying and unapplying, or cannot be built."""
