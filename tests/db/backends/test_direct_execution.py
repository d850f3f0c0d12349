"""Hot SELECTs marked ``manouche_direct`` replay on the DBAPI cursor unchanged."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from manouche.test.utils import CaptureQueriesContext
from tests.db.models_standin import Author, author_table


def _statement() -> Any:
    older = (author_table.c.age > sa.bindparam("min_age")).label("older")
    return (
        sa.select(author_table.c.name, older)
        .where(author_table.c.id == sa.bindparam("pk"))
        .limit(5)
        .execution_options(manouche_direct=True)
    )


def test_marked_select_replays_with_cores_values_and_types(database: Any) -> None:
    database.create_models(Author)
    conn = database.connection
    conn.execute(sa.insert(author_table).values(name="Ann", age=30))
    statement = _statement()
    first = conn.execute(statement, {"pk": 1, "min_age": 10})
    assert conn._direct_plans[id(statement)][1] is not None
    second = conn.execute(statement, {"pk": 1, "min_age": 40})
    assert first.rows == [("Ann", True)]
    assert second.rows == [("Ann", False)]
    assert type(second.rows[0][1]) is bool
    assert second.keys == first.keys == ["name", "older"]
    assert conn.execute(statement, {"pk": 2, "min_age": 0}).rows == []


def test_replayed_select_is_logged_and_seen_by_execute_wrappers(database: Any) -> None:
    database.create_models(Author)
    conn = database.connection
    conn.execute(sa.insert(author_table).values(name="Ann", age=30))
    statement = _statement()
    conn.execute(statement, {"pk": 1, "min_age": 10})
    seen: list[Any] = []

    def wrapper(execute: Any, sql: Any, params: Any, many: bool, context: Any) -> Any:
        seen.append(params)
        return execute(sql, params, many, context)

    with CaptureQueriesContext(conn) as captured, conn.execute_wrapper(wrapper):
        result = conn.execute(statement, {"pk": 1, "min_age": 99})
    assert result.rows == [("Ann", False)]
    assert seen == [{"pk": 1, "min_age": 99}]
    assert len(captured) == 1
    assert "99" in captured[0]["sql"]
    assert "dbt_author" in captured[0]["sql"]


def test_unmarked_statements_always_go_through_core(database: Any) -> None:
    database.create_models(Author)
    conn = database.connection
    statement = sa.select(author_table.c.id)
    conn.execute(statement)
    conn.execute(statement)
    assert id(statement) not in conn._direct_plans
