"""The schema editor skips indexes needing features the database lacks."""

from __future__ import annotations

from typing import Any

import pytest

from manouche.db.backends.mysql.base import DatabaseWrapper as MySQLWrapper
from manouche.db.backends.sqlite3.base import DatabaseWrapper as SQLiteWrapper
from tests.db.models.modelapp.models import Catalog


def _collected(wrapper_class: Any, settings_dict: dict[str, Any]) -> str:
    wrapper = wrapper_class(
        {"AUTOCOMMIT": True, "CONN_MAX_AGE": 0, **settings_dict}, "schema_test"
    )
    with wrapper.schema_editor(collect_sql=True, atomic=False) as editor:
        editor.create_model(Catalog)
        for index in Catalog._meta.sa_table.indexes:
            editor.add_index(Catalog, index)
    return "\n".join(editor.collected_sql)


def test_mariadb_gets_no_partial_or_expression_index() -> None:
    sql = _collected(MySQLWrapper, {"NAME": "unused", "HOST": "127.0.0.1"})
    assert "CREATE TABLE" in sql
    assert "catalog_active_code" not in sql
    assert "catalog_lower_code" not in sql
    assert "one_active_shelf" not in sql
    assert "WHERE" not in sql


@pytest.mark.parametrize("name", ["catalog_active_code", "catalog_lower_code"])
def test_sqlite_still_gets_partial_and_expression_indexes(name: str) -> None:
    sql = _collected(SQLiteWrapper, {"NAME": ":memory:"})
    assert sql.count(f"CREATE INDEX {name}") == 2
