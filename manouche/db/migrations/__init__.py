"""Version-controlled schema changes: migration files, operations and tools."""

from manouche.db.migrations.migration import Migration, swappable_dependency
from manouche.db.migrations.operations import *  # noqa: F403

__all__ = ["Migration", "swappable_dependency"]
