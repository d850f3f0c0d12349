"""Create, alter and drop tables, columns, indexes and constraints.

The schema editor renders DDL with SQLAlchemy from ``model._meta.sa_table``
(built by the model layer) and from fields' ``sa_column()``, and runs it on
its connection, or only collects the SQL text (``collect_sql=True``, for
``sqlmigrate``) with every value inlined through :meth:`quote_value`. Its
public methods mirror Django's ``BaseDatabaseSchemaEditor`` so migration
operations call them with historical models. Column alterations live in
``_alter`` (servers) and ``sqlite3._rebuild`` (table rebuilds).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
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

from manouche.db.backends.base import _alter, _ddl
from manouche.db.backends.base._statements import SchemaStatements

__all__ = ["BaseDatabaseSchemaEditor"]

logger = logging.getLogger("manouche.db.backends.schema")


class BaseDatabaseSchemaEditor(SchemaStatements):
    """Run DDL for models on one connection, optionally collecting the SQL."""

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
        atomic, self._atomic = self._atomic, None
        if exc_type is not None:
            if atomic is not None:
                atomic.__exit__(exc_type, exc_value, traceback)
            return
        try:
            for sql in self.deferred_sql:
                self.execute(sql)
            self.deferred_sql = []
            self._before_commit()
        except BaseException as error:
            if atomic is not None:
                atomic.__exit__(type(error), error, error.__traceback__)
            raise
        if atomic is not None:
            atomic.__exit__(None, None, None)

    def _before_commit(self) -> None:
        """Hook run after the deferred SQL, before the block commits."""

    # Execution.

    def execute(self, sql: Any, params: Sequence[Any] | None = ()) -> None:
        """Run ``sql`` (an SQLAlchemy element or SQL with ``%s`` placeholders).

        In collect mode the statement is only recorded, its parameters
        inlined with :meth:`quote_value`.
        """
        if isinstance(sql, (ExecutableDDLElement, sa.sql.ClauseElement)):
            with self._deferrable(sql):
                self._execute_element(sql)
            return
        if self.collect_sql:
            text = sql
            if params:
                text = sql % tuple(self.quote_value(value) for value in params)
            self.collected_sql.append(f"{text};")
            return
        logger.debug("%s; (params %r)", sql, params)
        with self.connection.cursor() as cursor:
            cursor.execute(sql, list(params) if params else None)

    def _execute_element(self, sql: Any) -> None:
        if self.collect_sql:
            compiled = sql.compile(
                dialect=self.connection.dialect,
                compile_kwargs={"literal_binds": True},
            )
            self.collected_sql.append(f"{str(compiled).strip()};")
            return
        logger.debug("%s", sql)
        self.connection.execute(sql)

    def _deferrable(self, element: Any) -> Any:
        """Defer the element's foreign keys where the database can (see _ddl)."""
        enabled = bool(self.connection.features.can_defer_constraint_checks)
        return _ddl.deferred_foreign_keys(element, enabled)

    # Defaults and column definitions.

    @staticmethod
    def _effective_default(field: Any) -> Any:
        if field.has_default():
            return field.get_default()
        if not field.null and field.blank and field.empty_strings_allowed:
            return b"" if field.get_internal_type() == "BinaryField" else ""
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            from manouche.utils import timezone

            internal = field.get_internal_type()
            now = timezone.now()
            if internal == "DateField":
                return now.date()
            if internal == "TimeField":
                return now.time().replace(tzinfo=None)
            return now
        return None

    def effective_default(self, field: Any) -> Any:
        """Return the value existing rows get for ``field``, as stored."""
        value = self._effective_default(field)
        return self._db_value(field, value)

    def _db_value(self, field: Any, value: Any) -> Any:
        """Prepare ``value`` for ``field`` down to what the driver receives."""
        value = field.get_db_prep_save(value, self.connection)
        if value is None:
            return None
        dialect = self.connection.dialect
        processor = field.sa_type().dialect_impl(dialect).bind_processor(dialect)
        return processor(value) if processor is not None else value

    def column_sql(
        self, model: Any, field: Any, include_default: bool = False
    ) -> tuple[str | None, list[Any]]:
        """Return the column definition of ``field`` and its (empty) params.

        M2M fields have no column: ``(None, [])``. With ``include_default``
        the effective default is written in (literal) when there is no
        db_default.
        """
        if field.many_to_many or not getattr(field, "concrete", True):
            return None, []
        default_sql = None
        if include_default and not field.has_db_default():
            value = self.effective_default(field)
            if value is not None:
                default_sql = self.quote_value(value)
        spec = _ddl.column_spec(
            field, model._meta.db_table, self.connection.dialect, default_sql
        )
        return f"{self.quote_name(field.column)} {spec}".strip(), []

    def table_sql(self, model: Any) -> tuple[str, list[Any]]:
        """Return the CREATE TABLE statement of ``model`` and its params."""
        statement = CreateTable(self._table(model))
        with self._deferrable(statement):
            compiled = statement.compile(dialect=self.connection.dialect)
        return str(compiled).strip(), []

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
            # Not isolated: the shared model table must keep rendering it inline
            # for other connections (SQLite declares keys in CREATE TABLE).
            self.deferred_sql.append(AddConstraint(fk, isolate_from_table=False))
        for field in self._auto_m2m_fields(model):
            self.create_model(field.remote_field.through)

    @staticmethod
    def _auto_m2m_fields(model: Any) -> list[Any]:
        fields = getattr(model._meta, "local_many_to_many", None) or []
        return [field for field in fields if _auto_through(field) is not None]

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

    def alter_db_table(self, model: Any, old_db_table: str, new_db_table: str) -> None:
        """Rename the model's table."""
        if old_db_table == new_db_table or (
            self.connection.features.ignores_table_name_case
            and old_db_table.lower() == new_db_table.lower()
        ):
            return
        self._flush_deferred(old_db_table)
        self.execute(
            f"ALTER TABLE {self.quote_name(old_db_table)} "
            f"RENAME TO {self.quote_name(new_db_table)}"
        )

    def _flush_deferred(self, table_name: str) -> None:
        """Run now the deferred foreign keys from or to ``table_name``.

        They are compiled from the tables as they were created; once the
        table or one of its columns is renamed they would name what no
        longer exists (CreateModel then RenameModel in one migration).
        """
        now = [sql for sql in self.deferred_sql if table_name in _tables_of(sql)]
        if not now:
            return
        self.deferred_sql = [
            sql for sql in self.deferred_sql if table_name not in _tables_of(sql)
        ]
        for sql in now:
            self.execute(sql)

    def alter_db_table_comment(
        self,
        model: Any,
        old_db_table_comment: str | None,
        new_db_table_comment: str | None,
    ) -> None:
        """Set the table's comment (where the database keeps comments)."""
        if not self.connection.features.supports_comments:
            return
        if (old_db_table_comment or "") == (new_db_table_comment or ""):
            return
        self.execute(
            self._table_comment_sql(model._meta.db_table, new_db_table_comment or "")
        )

    def alter_db_tablespace(
        self, model: Any, old_db_tablespace: str | None, new_db_tablespace: str | None
    ) -> None:
        """Tablespaces are not managed by manouche's backends: a no-op."""

    # Fields.

    def add_field(self, model: Any, field: Any) -> None:
        """Add ``field`` to ``model``'s table (M2M: create the through table)."""
        through = _auto_through(field) if field.many_to_many else None
        if field.many_to_many:
            if through is not None:
                self.create_model(through)
            return
        self._add_field(model, field)

    def _add_field(self, model: Any, field: Any) -> None:
        _alter.add_field(self, model, field)

    def remove_field(self, model: Any, field: Any) -> None:
        """Remove ``field`` from ``model``'s table (M2M: drop the through table)."""
        if field.many_to_many:
            through = _auto_through(field)
            if through is not None:
                self.delete_model(through)
            return
        self._remove_field(model, field)

    def _remove_field(self, model: Any, field: Any) -> None:
        _alter.remove_field(self, model, field)

    def alter_field(
        self, model: Any, old_field: Any, new_field: Any, strict: bool = False
    ) -> None:
        """Change ``old_field``'s column into ``new_field``'s, keeping the rows.

        ``strict`` raises when the column to change does not exist.
        """
        if not self._field_should_be_altered(old_field, new_field):
            return
        old_through = _auto_through(old_field) if old_field.many_to_many else None
        new_through = _auto_through(new_field) if new_field.many_to_many else None
        if old_field.many_to_many and new_field.many_to_many:
            if old_through is not None and new_through is not None:
                self._alter_many_to_many(model, old_field, new_field, strict)
                return
            if old_through is None and new_through is None:
                return
        if old_field.many_to_many or new_field.many_to_many:
            raise ValueError(
                f"Cannot alter field {old_field} into {new_field} - they are not "
                "compatible types (you cannot alter to or from M2M fields, or add "
                "or remove through= on M2M fields)"
            )
        if old_field.column != new_field.column:
            self._flush_deferred(model._meta.db_table)
        self._alter_field(model, old_field, new_field, strict)

    def _alter_field(
        self, model: Any, old_field: Any, new_field: Any, strict: bool
    ) -> None:
        _alter.alter_field(self, model, old_field, new_field, strict)

    def _field_should_be_altered(self, old_field: Any, new_field: Any) -> bool:
        if old_field.many_to_many and new_field.many_to_many:
            old_through = _auto_through(old_field)
            new_through = _auto_through(new_field)
            if old_through is None or new_through is None:
                return (old_through is None) != (new_through is None)
            return bool(
                old_through._meta.db_table != new_through._meta.db_table
                or _through_columns(old_field) != _through_columns(new_field)
            )
        if old_field.many_to_many != new_field.many_to_many:
            return True
        return bool(_alter.column_changes(self, old_field, new_field))

    def _alter_many_to_many(
        self, model: Any, old_field: Any, new_field: Any, strict: bool
    ) -> None:
        """Rename the through table and re-point its two foreign keys."""
        old_through = old_field.remote_field.through
        new_through = new_field.remote_field.through
        if old_through._meta.db_table != new_through._meta.db_table:
            self.alter_db_table(
                old_through, old_through._meta.db_table, new_through._meta.db_table
            )
        for old_fk, new_fk in zip(
            _through_fks(old_field), _through_fks(new_field), strict=True
        ):
            self.alter_field(new_through, old_fk, new_fk, strict)

    def _column_exists(self, table: str, column: str) -> bool:
        introspection = self.connection.introspection
        try:
            with self.connection.cursor() as cursor:
                description = introspection.get_table_description(cursor, table)
        except Exception:
            if self.collect_sql:
                return True
            raise
        return any(info.name == column for info in description)

    # Column statements (hooks the backends adjust).

    def _alter_column_sqls(
        self, model: Any, old_field: Any, new_field: Any, changes: set[str]
    ) -> list[str]:
        return _alter.standard_alter_column_sqls(
            self, model, old_field, new_field, changes
        )

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

    def _detached_sa(self, model: Any, item: Any) -> Any:
        """Build ``item.as_sa`` on the model's table without leaving it attached."""
        table = self._table(model)
        before_indexes = set(table.indexes)
        before_constraints = set(table.constraints)
        built = item.as_sa(model, table)
        table.indexes.difference_update(table.indexes - before_indexes)
        for extra in table.constraints - before_constraints:
            table.constraints.discard(extra)
        return built

    def add_index(self, model: Any, index: Any) -> None:
        """Create ``index`` (models.Index, sa.Index or an object with create_sql)."""
        if hasattr(index, "as_sa"):
            index = self._detached_sa(model, index)
        if isinstance(index, sa.Index):
            if self._index_supported(index):
                self.execute(CreateIndex(index))
        else:
            self.execute(index.create_sql(model, self))

    def remove_index(self, model: Any, index: Any) -> None:
        """Drop ``index`` (a models.Index, an sa.Index or an object with remove_sql)."""
        if hasattr(index, "as_sa"):
            index = self._detached_sa(model, index)
        if isinstance(index, sa.Index):
            if self._index_supported(index):
                self.execute(DropIndex(index))
        else:
            self.execute(index.remove_sql(model, self))

    def rename_index(self, model: Any, old_index: Any, new_index: Any) -> None:
        """Rename an index (drop and recreate where renaming is impossible)."""
        if self.connection.features.can_rename_index:
            self.execute(
                self._rename_index_sql(
                    model._meta.db_table, old_index.name, new_index.name
                )
            )
        else:
            self.remove_index(model, old_index)
            self.add_index(model, new_index)

    def add_constraint(self, model: Any, constraint: Any) -> None:
        """Add ``constraint`` (a models constraint, an sa.Constraint or create_sql)."""
        if hasattr(constraint, "as_sa"):
            constraint = self._sa_constraint(model, constraint)
        if isinstance(constraint, sa.Index):
            if self._index_supported(constraint):
                self.execute(CreateIndex(constraint))
        elif isinstance(constraint, sa.Constraint):
            self._check_alter_constraints()
            self.execute(AddConstraint(constraint, isolate_from_table=False))
        else:
            sql = constraint.create_sql(model, self)
            if sql:
                self.execute(sql)

    def remove_constraint(self, model: Any, constraint: Any) -> None:
        """Drop ``constraint`` (a models constraint, an sa.Constraint or remove_sql)."""
        if hasattr(constraint, "as_sa"):
            constraint = self._sa_constraint(model, constraint)
        if isinstance(constraint, sa.Index):
            if self._index_supported(constraint):
                self.execute(DropIndex(constraint))
        elif isinstance(constraint, sa.Constraint):
            self._check_alter_constraints()
            self.execute(self._drop_constraint_element(constraint))
        else:
            sql = constraint.remove_sql(model, self)
            if sql:
                self.execute(sql)

    def _sa_constraint(self, model: Any, constraint: Any) -> Any:
        """Build the constraint's SQLAlchemy construct, detached from the table."""
        return self._detached_sa(model, constraint)

    def _drop_constraint_element(self, constraint: sa.Constraint) -> Any:
        return DropConstraint(constraint)

    def _check_alter_constraints(self) -> None:
        """Raise where constraints cannot be altered on an existing table."""

    def alter_unique_together(
        self, model: Any, old_unique_together: Any, new_unique_together: Any
    ) -> None:
        """Add and drop the unique constraints of ``unique_together``."""
        olds = {tuple(fields) for fields in old_unique_together or ()}
        news = {tuple(fields) for fields in new_unique_together or ()}
        for fields in sorted(olds - news):
            columns = [model._meta.get_field(name).column for name in fields]
            self._delete_composed_index(model, columns, unique=True)
        for fields in sorted(news - olds):
            columns = [model._meta.get_field(name).column for name in fields]
            name = self._create_index_name(model._meta.db_table, columns, "_uniq")
            self.execute(self._add_unique_sql(model._meta.db_table, name, columns))

    def alter_index_together(
        self, model: Any, old_index_together: Any, new_index_together: Any
    ) -> None:
        """Add and drop the (legacy) ``index_together`` indexes."""
        olds = {tuple(fields) for fields in old_index_together or ()}
        news = {tuple(fields) for fields in new_index_together or ()}
        for fields in sorted(olds - news):
            columns = [model._meta.get_field(name).column for name in fields]
            self._delete_composed_index(model, columns, unique=False)
        for fields in sorted(news - olds):
            columns = [model._meta.get_field(name).column for name in fields]
            name = self._create_index_name(model._meta.db_table, columns, "_idx")
            self.execute(self._create_index_sql(model._meta.db_table, name, columns))

    def _delete_composed_index(
        self, model: Any, columns: list[str], unique: bool
    ) -> None:
        table = model._meta.db_table
        names = self._constraint_names(
            model,
            columns,
            unique=unique,
            primary_key=False,
            index=None if unique else True,
        )
        if not unique:
            names = [
                name
                for name in names
                if not self._constraint_info(model, name).get("unique")
            ]
        if len(names) != 1:
            kind = "unique constraint" if unique else "index"
            raise ValueError(
                f"Found wrong number ({len(names)}) of {kind}s for "
                f"{table}({', '.join(columns)})."
            )
        if unique:
            self.execute(self._drop_unique_sql(model, names[0]))
        else:
            self.execute(self._drop_index_sql(table, names[0]))

    def _drop_unique_sql(self, model: Any, name: str) -> str:
        table = model._meta.db_table
        if self._constraint_info(model, name).get("index"):
            return self._drop_index_sql(table, name)
        return self._drop_constraint_sql(table, name)

    # Introspected names.

    def _constraints(self, model: Any) -> dict[str, Any]:
        introspection = self.connection.introspection
        try:
            with self.connection.cursor() as cursor:
                found: dict[str, Any] = introspection.get_constraints(
                    cursor, model._meta.db_table
                )
        except Exception:
            # sqlmigrate may render a migration whose tables do not exist yet.
            if self.collect_sql:
                return {}
            raise
        return found

    def _constraint_info(self, model: Any, name: str) -> dict[str, Any]:
        return self._constraints(model).get(name, {})  # type: ignore[no-any-return]

    def _constraint_names(
        self,
        model: Any,
        column_names: Sequence[str] | None = None,
        unique: bool | None = None,
        primary_key: bool | None = None,
        index: bool | None = None,
        foreign_key: bool | None = None,
        check: bool | None = None,
        type_: str | None = None,
        exclude: set[str] | None = None,
    ) -> list[str]:
        """Return the names of the live constraints matching every filter."""
        wanted = {
            "unique": unique,
            "primary_key": primary_key,
            "index": index,
            "check": check,
        }
        result = []
        for name, info in self._constraints(model).items():
            if column_names is not None and list(column_names) != info["columns"]:
                continue
            if any(
                value is not None and bool(info.get(key)) != value
                for key, value in wanted.items()
            ):
                continue
            if foreign_key is not None and bool(info.get("foreign_key")) != foreign_key:
                continue
            if type_ is not None and info.get("type") != type_:
                continue
            if exclude and name in exclude:
                continue
            result.append(name)
        return result


def _auto_through(field: Any) -> Any:
    through = getattr(getattr(field, "remote_field", None), "through", None)
    if through is None or isinstance(through, str):
        return None
    return through if getattr(through._meta, "auto_created", False) else None


def _through_fks(field: Any) -> list[Any]:
    """Return the through model's (source, target) foreign keys of an M2M."""
    return [field._through_fk(True), field._through_fk(False)]


def _through_columns(field: Any) -> list[str]:
    return [fk.column for fk in _through_fks(field)]


def _tables_of(deferred: Any) -> set[str]:
    """The tables a deferred statement (``AddConstraint(fk)``) names."""
    element = getattr(deferred, "element", None)
    if not isinstance(element, sa.ForeignKeyConstraint):
        return set()
    names = {element.table.name}
    try:
        names.add(element.referred_table.name)
    except sa.exc.SQLAlchemyError:  # The target is not resolvable (yet).
        pass
    return names
