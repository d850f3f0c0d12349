"""Operations that run user code or SQL, or split state from database."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from manouche.db import router
from manouche.db.migrations.operations._sql import split_sql_script
from manouche.db.migrations.operations.base import Operation, OperationCategory

__all__ = ["RunPython", "RunSQL", "SeparateDatabaseAndState"]


class SeparateDatabaseAndState(Operation):
    """Apply some operations to the database and others to the state only."""

    category = OperationCategory.MIXED
    serialization_expand_args = ["database_operations", "state_operations"]

    def __init__(
        self,
        database_operations: list[Operation] | None = None,
        state_operations: list[Operation] | None = None,
    ) -> None:
        self.database_operations = list(database_operations or [])
        self.state_operations = list(state_operations or [])

    def deconstruct(self) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        kwargs: dict[str, Any] = {}
        if self.database_operations:
            kwargs["database_operations"] = self.database_operations
        if self.state_operations:
            kwargs["state_operations"] = self.state_operations
        return self.__class__.__qualname__, (), kwargs

    def state_forwards(self, app_label: str, state: Any) -> None:
        for operation in self.state_operations:
            operation.state_forwards(app_label, state)

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        # Each database operation sees the state left by the previous one.
        for operation in self.database_operations:
            to_state = from_state.clone()
            operation.state_forwards(app_label, to_state)
            operation.database_forwards(app_label, schema_editor, from_state, to_state)
            from_state = to_state

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        steps: list[tuple[Operation, Any, Any]] = []
        state = to_state
        for operation in self.database_operations:
            after = state.clone()
            operation.state_forwards(app_label, after)
            steps.append((operation, state, after))
            state = after
        for operation, before, after in reversed(steps):
            operation.database_backwards(app_label, schema_editor, after, before)

    def describe(self) -> str:
        return "Custom state/database change combination"


class RunSQL(Operation):
    """Run raw SQL, with optional reverse SQL and state changes.

    ``sql`` is one string (split into statements) or a list of strings and
    ``(sql, params)`` pairs; ``RunSQL.noop`` does nothing.
    """

    noop = ""
    category = OperationCategory.SQL

    def __init__(
        self,
        sql: Any,
        reverse_sql: Any = None,
        state_operations: list[Operation] | None = None,
        hints: dict[str, Any] | None = None,
        elidable: bool = False,
    ) -> None:
        _check_sql("sql", sql)
        if reverse_sql is not None:
            _check_sql("reverse_sql", reverse_sql)
        self.sql = sql
        self.reverse_sql = reverse_sql
        self.state_operations = list(state_operations or [])
        self.hints = dict(hints or {})
        self.elidable = elidable

    def deconstruct(self) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        kwargs: dict[str, Any] = {"sql": self.sql}
        if self.reverse_sql is not None:
            kwargs["reverse_sql"] = self.reverse_sql
        if self.state_operations:
            kwargs["state_operations"] = self.state_operations
        if self.hints:
            kwargs["hints"] = self.hints
        if self.elidable:
            kwargs["elidable"] = self.elidable
        return self.__class__.__qualname__, (), kwargs

    @property
    def reversible(self) -> bool:  # type: ignore[override]
        """Tell whether reverse SQL was given."""
        return self.reverse_sql is not None

    def state_forwards(self, app_label: str, state: Any) -> None:
        for operation in self.state_operations:
            operation.state_forwards(app_label, state)

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        alias = schema_editor.connection.alias
        if router.allow_migrate(alias, app_label, **self.hints):
            self._run_sql(schema_editor, self.sql)

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        if self.reverse_sql is None:
            raise NotImplementedError("You cannot reverse this operation")
        alias = schema_editor.connection.alias
        if router.allow_migrate(alias, app_label, **self.hints):
            self._run_sql(schema_editor, self.reverse_sql)

    def describe(self) -> str:
        return "Raw SQL operation"

    def _run_sql(self, schema_editor: Any, sqls: Any) -> None:
        if isinstance(sqls, (list, tuple)):
            for item in sqls:
                params = None
                if isinstance(item, (list, tuple)):
                    item, params = item
                schema_editor.execute(item, params=params)
        elif sqls != RunSQL.noop:
            prepare = getattr(schema_editor.connection.ops, "prepare_sql_script", None)
            statements = prepare(sqls) if prepare else split_sql_script(sqls)
            for statement in statements:
                schema_editor.execute(statement, params=None)


def _check_sql(argument: str, sql: Any) -> None:
    """Refuse SQL that would fail later, deep inside the database driver."""
    if isinstance(sql, str):
        return
    if not isinstance(sql, (list, tuple)):
        raise TypeError(
            f"RunSQL {argument} must be a string or a list of strings and "
            f"(sql, params) pairs, not {type(sql).__name__}."
        )
    for item in sql:
        if isinstance(item, str):
            continue
        if isinstance(item, (list, tuple)):
            if len(item) != 2:
                raise ValueError(f"Expected a 2-tuple but got {len(item)}")
            if isinstance(item[0], str):
                continue
        raise TypeError(
            f"RunSQL {argument} items must be strings or (sql, params) pairs, "
            f"not {item!r}."
        )


class RunPython(Operation):
    """Run a Python function with the historical models and the schema editor.

    ``code(apps, schema_editor)`` receives the registry of the state before
    the operation: ``apps.get_model("app", "Model")`` is the model as it was.
    """

    reduces_to_sql = False
    category = OperationCategory.PYTHON

    def __init__(
        self,
        code: Callable[[Any, Any], Any],
        reverse_code: Callable[[Any, Any], Any] | None = None,
        atomic: bool | None = None,
        hints: dict[str, Any] | None = None,
        elidable: bool = False,
    ) -> None:
        self.atomic = atomic
        if not callable(code):
            raise ValueError("RunPython must be supplied with a callable")
        if reverse_code is not None and not callable(reverse_code):
            raise ValueError("RunPython must be supplied with callable arguments")
        self.code = code
        self.reverse_code = reverse_code
        self.hints = dict(hints or {})
        self.elidable = elidable

    def deconstruct(self) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        kwargs: dict[str, Any] = {"code": self.code}
        if self.reverse_code is not None:
            kwargs["reverse_code"] = self.reverse_code
        if self.atomic is not None:
            kwargs["atomic"] = self.atomic
        if self.hints:
            kwargs["hints"] = self.hints
        if self.elidable:
            kwargs["elidable"] = self.elidable
        return self.__class__.__qualname__, (), kwargs

    @property
    def reversible(self) -> bool:  # type: ignore[override]
        """Tell whether reverse code was given."""
        return self.reverse_code is not None

    def state_forwards(self, app_label: str, state: Any) -> None:
        """RunPython never changes the state."""

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        # Render fresh models if an earlier operation delayed a reload.
        from_state.clear_delayed_apps_cache()
        if router.allow_migrate(
            schema_editor.connection.alias, app_label, **self.hints
        ):
            self.code(from_state.apps, schema_editor)

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        if self.reverse_code is None:
            raise NotImplementedError("You cannot reverse this operation")
        if router.allow_migrate(
            schema_editor.connection.alias, app_label, **self.hints
        ):
            self.reverse_code(from_state.apps, schema_editor)

    def describe(self) -> str:
        return "Raw Python operation"

    @staticmethod
    def noop(apps: Any, schema_editor: Any) -> None:
        """Do nothing (a placeholder for code or reverse_code)."""
        return None
