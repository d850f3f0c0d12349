"""PostgreSQL migration operations: extensions and concurrent indexes.

Extensions are skipped on other databases (a project may run its tests on
SQLite); concurrent index operations refuse other databases and atomic
migrations with a clear error, as PostgreSQL cannot build an index
concurrently inside a transaction.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.schema import CreateIndex

from manouche.db import router
from manouche.db.migrations.operations import AddIndex, Operation, RemoveIndex
from manouche.db.migrations.operations.base import OperationCategory
from manouche.db.utils import NotSupportedError

__all__ = [
    "AddIndexConcurrently",
    "BloomExtension",
    "BtreeGinExtension",
    "BtreeGistExtension",
    "CITextExtension",
    "CreateExtension",
    "CryptoExtension",
    "HStoreExtension",
    "RemoveIndexConcurrently",
    "TrigramExtension",
    "UnaccentExtension",
]


class CreateExtension(Operation):
    """``CREATE EXTENSION IF NOT EXISTS`` (``DROP EXTENSION`` backwards)."""

    reversible = True
    category = OperationCategory.ADDITION

    def __init__(self, name: str) -> None:
        self.name = name

    def deconstruct(self) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        if type(self) is CreateExtension:
            return self.__class__.__name__, (), {"name": self.name}
        return self.__class__.__name__, (), {}

    def state_forwards(self, app_label: str, state: Any) -> None:
        """Extensions are not part of the project state."""

    def _applies(self, app_label: str, schema_editor: Any) -> bool:
        connection = schema_editor.connection
        return connection.vendor == "postgresql" and bool(
            router.allow_migrate(connection.alias, app_label)
        )

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        if not self._applies(app_label, schema_editor):
            return
        if not self.extension_exists(schema_editor, self.name):
            schema_editor.execute(
                f"CREATE EXTENSION IF NOT EXISTS {schema_editor.quote_name(self.name)}"
            )

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        if not self._applies(app_label, schema_editor):
            return
        if self.extension_exists(schema_editor, self.name):
            schema_editor.execute(
                f"DROP EXTENSION IF EXISTS {schema_editor.quote_name(self.name)}"
            )

    @staticmethod
    def extension_exists(schema_editor: Any, extension: str) -> bool:
        """Tell whether ``extension`` is installed in the database."""
        if schema_editor.collect_sql:
            return False
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_extension WHERE extname = %s", [extension])
            return cursor.fetchone() is not None

    def describe(self) -> str:
        return f"Creates extension {self.name}"

    @property
    def migration_name_fragment(self) -> str:
        return f"create_extension_{self.name}"


class BloomExtension(CreateExtension):
    """Install the ``bloom`` extension."""

    def __init__(self) -> None:
        self.name = "bloom"


class BtreeGinExtension(CreateExtension):
    """Install the ``btree_gin`` extension."""

    def __init__(self) -> None:
        self.name = "btree_gin"


class BtreeGistExtension(CreateExtension):
    """Install the ``btree_gist`` extension."""

    def __init__(self) -> None:
        self.name = "btree_gist"


class CITextExtension(CreateExtension):
    """Install the ``citext`` extension."""

    def __init__(self) -> None:
        self.name = "citext"


class CryptoExtension(CreateExtension):
    """Install the ``pgcrypto`` extension."""

    def __init__(self) -> None:
        self.name = "pgcrypto"


class HStoreExtension(CreateExtension):
    """Install the ``hstore`` extension."""

    def __init__(self) -> None:
        self.name = "hstore"


class TrigramExtension(CreateExtension):
    """Install the ``pg_trgm`` extension."""

    def __init__(self) -> None:
        self.name = "pg_trgm"


class UnaccentExtension(CreateExtension):
    """Install the ``unaccent`` extension."""

    def __init__(self) -> None:
        self.name = "unaccent"


class NotInTransactionMixin:
    """Refuse to run where a concurrent index build cannot run."""

    def _ensure_concurrent_allowed(self, schema_editor: Any) -> None:
        connection = schema_editor.connection
        name = type(self).__name__
        if connection.vendor != "postgresql":
            raise NotSupportedError(
                f"The {name} operation is only supported on PostgreSQL, not on "
                f"{connection.vendor}. Use {name.removesuffix('Concurrently')} "
                "instead."
            )
        if connection.in_atomic_block:
            raise NotSupportedError(
                f"The {name} operation cannot be executed inside a transaction "
                "(set atomic = False on Migration)."
            )


def _sa_index(model: Any, index: Any) -> sa.Index:
    """Build ``index`` on a detached copy of the model's table."""
    table: sa.Table = model._meta.sa_table.to_metadata(sa.MetaData())
    for candidate in table.indexes:
        if candidate.name == index.name:
            return candidate
    built: sa.Index = index.as_sa(model, table)
    return built


class AddIndexConcurrently(NotInTransactionMixin, AddIndex):
    """Create an index with ``CREATE INDEX CONCURRENTLY`` (no write lock)."""

    atomic = False

    def describe(self) -> str:
        return (
            f"Concurrently create index {self.index.name} on field(s) "
            f"{', '.join(self.index.fields)} of model {self.model_name}"
        )

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        self._ensure_concurrent_allowed(schema_editor)
        model = to_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            sa_index = _sa_index(model, self.index)
            sa_index.dialect_kwargs["postgresql_concurrently"] = True
            schema_editor.execute(CreateIndex(sa_index))

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        self._ensure_concurrent_allowed(schema_editor)
        model = from_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            _drop_concurrently(schema_editor, self.index.name)


class RemoveIndexConcurrently(NotInTransactionMixin, RemoveIndex):
    """Drop an index with ``DROP INDEX CONCURRENTLY`` (no write lock)."""

    atomic = False

    def describe(self) -> str:
        return f"Concurrently remove index {self.name} from {self.model_name}"

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        self._ensure_concurrent_allowed(schema_editor)
        model = from_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            _drop_concurrently(schema_editor, self.name)

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        self._ensure_concurrent_allowed(schema_editor)
        model = to_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            model_state = to_state.models[app_label, self.model_name_lower]
            index = model_state.get_index_by_name(self.name)
            sa_index = _sa_index(model, index)
            sa_index.dialect_kwargs["postgresql_concurrently"] = True
            schema_editor.execute(CreateIndex(sa_index))


def _drop_concurrently(schema_editor: Any, name: str) -> None:
    schema_editor.execute(
        f"DROP INDEX CONCURRENTLY IF EXISTS {schema_editor.quote_name(name)}"
    )
