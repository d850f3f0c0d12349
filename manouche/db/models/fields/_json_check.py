"""The CHECK that makes SQLite refuse text that is not JSON in a JSONField.

PostgreSQL (jsonb) and MariaDB (JSON, an alias with its own check) validate
documents themselves; SQLite stores any text, so its JSON columns carry
``CHECK (JSON_VALID(column) OR column IS NULL)``. Other dialects render no
constraint at all.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement

__all__ = ["json_valid_check"]


class _JSONValid(ColumnElement[Any]):
    """``JSON_VALID(name) OR name IS NULL``, quoted by the compiling dialect."""

    inherit_cache = True

    def __init__(self, name: str) -> None:
        self.name = name


@compiles(_JSONValid)
def _compile_json_valid(element: _JSONValid, compiler: Any, **kw: Any) -> str:
    quoted = compiler.preparer.quote(element.name)
    return f"JSON_VALID({quoted}) OR {quoted} IS NULL"


class _SQLiteCheck(sa.CheckConstraint):
    """A column CHECK written in SQLite's DDL only."""

    inherit_cache = True


@compiles(_SQLiteCheck)
def _compile_elsewhere(element: _SQLiteCheck, compiler: Any, **kw: Any) -> str:
    return ""


@compiles(_SQLiteCheck, "sqlite")
def _compile_sqlite(element: _SQLiteCheck, compiler: Any, **kw: Any) -> str:
    return str(compiler.visit_check_constraint(element, **kw))


def json_valid_check(column: str) -> sa.CheckConstraint:
    """Return the CHECK for the JSON column named ``column``."""
    return _SQLiteCheck(_JSONValid(column))
