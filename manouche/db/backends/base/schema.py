"""Create and drop tables, indexes and constraints from models' SA tables.

The schema editor renders DDL with SQLAlchemy from ``model._meta.sa_table``
(built by the model layer) and runs it on its connection. Foreign keys to
other tables are added after every table of the block exists, where the
database allows adding constraints later; SQLite declares them inline.
"""

from __future__ import annotations

import logging
from types import TracebackType
from typing import Any

import sqlalchemy as sa
from sqlalchemy.schema import (
    AddConstraint,
    CreateIndex,
    CreateTable,
    DropConstraint,
    DropIndex,
    DropTable,
    ExecutableDDLElement,
)

__all__ = ["BaseDatabaseSchemaEditor"]

logger = logging.getLogger("manouche.db.backends.schema")


class BaseDatabaseSchemaEditor:
    """Run DDL for models on one connection, optionally collecting the SQL."""

    sql_delete_table_cascade = False
    inline_foreign_keys = False

    def __init__(
        self, connection: Any, collect_sql: bool = False, atomic: bool = True
    ) -> None:
        self.connection = connection
        self.collect_sql = collect_sql
        if self.collect_sql:
            self.collected_sql: list[str] = []
        self.atomic_migration = bool(connection.features.can_rollback_ddl and atomic)
        self.deferred_sql: list[Any] = []
        self._created_tables: set[str] = set()
        self._atomic: Any = None

    def __enter__(self) -> BaseDatabaseSchemaEditor:
        self.deferred_sql = []
        if self.atomic_migration:
            from manouche.db import transaction

            self._atomic = transaction.atomic(self.connection.alias)
            self._atomic.__enter__()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            if exc_type is None:
                for sql in self.deferred_sql:
                    self.execute(sql)
        finally:
            if self._atomic is not None:
                atomic, self._atomic = self._atomic, None
                info: tuple[Any, Any, Any]
                if exc_type is None:
                    info = (None, None, None)
                else:
                    info = (exc_type, exc_value, traceback)
                atomic.__exit__(*info)

    # Execution.

    def execute(self, sql: Any, params: Any = ()) -> None:
        """Run ``sql`` (an SQLAlchemy DDL element or an SQL string)."""
        if isinstance(sql, (ExecutableDDLElement, sa.sql.ClauseElement)):
            text = str(sql.compile(dialect=self.connection.dialect)).strip()
            if self.collect_sql:
                self.collected_sql.append(f"{text};")
                return
            logger.debug("%s", text)
            self.connection.execute(sql)
            return
        if self.collect_sql:
            self.collected_sql.append(f"{sql};")
            return
        logger.debug("%s; (params %r)", sql, params)
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params or None)

    def quote_name(self, name: str) -> str:
        """Quote an identifier for this database."""
        return str(self.connection.ops.quote_name(name))

    # Tables.

    @staticmethod
    def _table(model: Any) -> sa.Table:
        table = getattr(model._meta, "sa_table", None)
        if table is None:
            raise ValueError(f"{model!r} has no SQLAlchemy table (_meta.sa_table).")
        return table  # type: ignore[no-any-return]

    def _foreign_keys_to_defer(self, table: sa.Table) -> list[Any]:
        if self.inline_foreign_keys:
            return []
        return [
            fk for fk in table.foreign_key_constraints if fk.referred_table is not table
        ]

    def create_model(self, model: Any) -> None:
        """Create the model's table, indexes and auto-created M2M tables."""
        table = self._table(model)
        if table.name in self._created_tables:
            return
        deferred = self._foreign_keys_to_defer(table)
        inline = [fk for fk in table.foreign_key_constraints if fk not in deferred]
        self.execute(CreateTable(table, include_foreign_key_constraints=inline))
        self._created_tables.add(table.name)
        for index in sorted(table.indexes, key=lambda index: str(index.name)):
            if self._index_supported(index):
                self.execute(CreateIndex(index))
        for fk in deferred:
            self.deferred_sql.append(AddConstraint(fk))
        for field in self._auto_m2m_fields(model):
            self.create_model(field.remote_field.through)

    @staticmethod
    def _auto_m2m_fields(model: Any) -> list[Any]:
        fields = getattr(model._meta, "local_many_to_many", None) or []
        result = []
        for field in fields:
            through = getattr(getattr(field, "remote_field", None), "through", None)
            if through is not None and getattr(through._meta, "auto_created", False):
                result.append(field)
        return result

    def delete_model(self, model: Any) -> None:
        """Drop the model's auto-created M2M tables and then its table."""
        for field in self._auto_m2m_fields(model):
            self.delete_model(field.remote_field.through)
        table = self._table(model)
        self.drop_table(table.name)
        self._created_tables.discard(table.name)
        self.deferred_sql = [
            sql
            for sql in self.deferred_sql
            if getattr(getattr(sql, "element", None), "table", None) is not table
        ]

    def drop_table(self, name: str) -> None:
        """Drop the table ``name`` (with CASCADE where the database has it)."""
        cascade = " CASCADE" if self.sql_delete_table_cascade else ""
        self.execute(f"DROP TABLE {self.quote_name(name)}{cascade}")

    def drop_sa_table(self, table: sa.Table) -> None:
        """Drop ``table`` through SQLAlchemy's DDL."""
        self.execute(DropTable(table))

    # Indexes and constraints.

    def _index_supported(self, index: sa.Index) -> bool:
        """Whether the connection has every feature the index is marked with.

        The model layer marks partial and expression indexes with
        ``info["manouche_required_features"]`` (feature flag names); a
        database lacking one gets no index rather than a DDL error.
        """
        required = index.info.get("manouche_required_features") or ()
        features = self.connection.features
        missing = [name for name in required if not getattr(features, name, False)]
        if missing:
            logger.debug(
                "Skipping index %s: %s lacks %s.",
                index.name,
                self.connection.display_name,
                ", ".join(sorted(missing)),
            )
            return False
        return True

    def add_index(self, model: Any, index: Any) -> None:
        """Create ``index`` (an sa.Index or an object with ``create_sql``)."""
        if isinstance(index, sa.Index):
            if self._index_supported(index):
                self.execute(CreateIndex(index))
        else:
            self.execute(index.create_sql(model, self))

    def remove_index(self, model: Any, index: Any) -> None:
        """Drop ``index`` (an sa.Index or an object with ``remove_sql``)."""
        if isinstance(index, sa.Index):
            if self._index_supported(index):
                self.execute(DropIndex(index))
        else:
            self.execute(index.remove_sql(model, self))

    def add_constraint(self, model: Any, constraint: Any) -> None:
        """Add ``constraint`` (an sa.Constraint or an object with create_sql)."""
        if isinstance(constraint, sa.Constraint):
            self._check_alter_constraints()
            self.execute(AddConstraint(constraint))
        else:
            sql = constraint.create_sql(model, self)
            if sql:
                self.execute(sql)

    def remove_constraint(self, model: Any, constraint: Any) -> None:
        """Drop ``constraint`` (an sa.Constraint or an object with remove_sql)."""
        if isinstance(constraint, sa.Constraint):
            self._check_alter_constraints()
            self.execute(DropConstraint(constraint))
        else:
            sql = constraint.remove_sql(model, self)
            if sql:
                self.execute(sql)

    def _check_alter_constraints(self) -> None:
        """Raise where constraints cannot be altered on an existing table."""
