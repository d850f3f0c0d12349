"""Which migrations a database has applied, kept in ``manouche_migrations``.

The table's model lives in its own ``Apps`` registry, so it is never one of
the project's models (no content type, no migration of its own) and is
created on demand the first time something is recorded.
"""

from __future__ import annotations

from typing import Any, ClassVar

from manouche.db.migrations.exceptions import MigrationSchemaMissing
from manouche.db.utils import DatabaseError

__all__ = ["MigrationRecorder"]


def _build_migration_model() -> Any:
    from manouche.apps.registry import Apps
    from manouche.db import models
    from manouche.utils import timezone

    class Migration(models.Model):
        app = models.CharField(max_length=255)
        name = models.CharField(max_length=255)
        applied = models.DateTimeField(default=timezone.now)

        class Meta:
            apps = Apps()
            app_label = "migrations"
            db_table = "manouche_migrations"

        def __str__(self) -> str:
            return f"Migration {self.name} for {self.app}"

    return Migration


class MigrationRecorder:
    """Read and write the applied-migrations table of one connection."""

    _migration_class: ClassVar[Any] = None

    @classmethod
    def _get_migration_class(cls) -> Any:
        if cls._migration_class is None:
            cls._migration_class = _build_migration_model()
        return cls._migration_class

    def __init__(self, connection: Any) -> None:
        self.connection = connection
        self._has_table = False

    @property
    def Migration(self) -> Any:
        """The model of the ``manouche_migrations`` table."""
        return self._get_migration_class()

    @property
    def migration_qs(self) -> Any:
        """All rows of the table on this connection."""
        return self.Migration._default_manager.using(self.connection.alias)

    def has_table(self) -> bool:
        """Whether the table exists (remembered once it does)."""
        if self._has_table:
            return True
        table = self.Migration._meta.db_table
        self._has_table = table in self.connection.introspection.table_names()
        return self._has_table

    def ensure_schema(self) -> None:
        """Create the table if it is missing."""
        if self.has_table():
            return
        try:
            with self.connection.schema_editor() as editor:
                editor.create_model(self.Migration)
        except DatabaseError as exc:
            raise MigrationSchemaMissing(
                f"Unable to create the manouche_migrations table ({str(exc).strip()})"
            ) from exc
        self._has_table = True

    def applied_migrations(self) -> dict[tuple[str, str], Any]:
        """``{(app, name): row}`` for every applied migration (empty if no table)."""
        if not self.has_table():
            return {}
        return {(row.app, row.name): row for row in self.migration_qs.order_by("id")}

    def record_applied(self, app: str, name: str) -> None:
        """Record that migration ``app.name`` is applied."""
        self.ensure_schema()
        self.migration_qs.create(app=app, name=name)

    def record_unapplied(self, app: str, name: str) -> None:
        """Record that migration ``app.name`` is no longer applied."""
        self.ensure_schema()
        self.migration_qs.filter(app=app, name=name).delete()

    def flush(self) -> None:
        """Forget every applied migration."""
        self.migration_qs.all().delete()
