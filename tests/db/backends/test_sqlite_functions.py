"""The Python SQL functions registered on SQLite connections."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator

import pytest

from manouche.db.backends.sqlite3._functions import _MATH, _TEXT, register_functions


@pytest.fixture
def connection() -> Iterator[sqlite3.Connection]:
    raw = sqlite3.connect(":memory:")
    register_functions(raw)
    try:
        yield raw
    finally:
        raw.close()


def _call(connection: sqlite3.Connection, name: str, *args: object) -> object:
    placeholders = ", ".join("?" for _ in args)
    sql = f"SELECT manouche_{name}({placeholders})"
    return connection.execute(sql, args).fetchone()[0]


@pytest.mark.parametrize(
    ("name", "arity"),
    [(name, arity) for name, (arity, _) in {**_MATH, **_TEXT}.items()],
)
def test_every_argument_null_gives_null(
    connection: sqlite3.Connection, name: str, arity: int
) -> None:
    for position in range(arity):
        args: list[object] = ["2"] * arity
        args[position] = None
        assert _call(connection, name, *args) is None


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("acos", (2,)),
        ("ln", (0,)),
        ("sqrt", (-1,)),
        ("log", (1, 10)),
        ("mod", (5, 0)),
        ("power", (-8, 0.5)),
        ("power", (10, 1000)),
        ("exp", (100000,)),
        ("cot", (0,)),
        ("sqrt", ("not a number",)),
    ],
)
def test_out_of_domain_gives_null(
    connection: sqlite3.Connection, name: str, args: tuple[object, ...]
) -> None:
    assert _call(connection, name, *args) is None


def test_values(connection: sqlite3.Connection) -> None:
    assert _call(connection, "round", 2.5, 0) == 3.0
    assert _call(connection, "round", -2.5, 0) == -3.0
    assert _call(connection, "round", 1250, -2) == 1300
    assert _call(connection, "mod", -7, 3) == -1
    assert _call(connection, "sign", -0.5) == -1.0
    assert _call(connection, "ceil", 1.2) == 2
    assert _call(connection, "lpad", "ab", 5, "xy") == "xyxab"
    assert _call(connection, "rpad", "abcdef", 2, " ") == "ab"
    assert _call(connection, "lpad", "ab", 5, "") == "ab"
    assert _call(connection, "repeat", "ab", -1) == ""
    assert _call(connection, "reverse", "é😀a") == "a😀é"
    assert _call(connection, "md5", "é") == hashlib.md5("é".encode()).hexdigest()
    assert _call(connection, "sha512", b"\x00") == hashlib.sha512(b"\x00").hexdigest()


def test_only_random_is_non_deterministic(connection: sqlite3.Connection) -> None:
    connection.execute("CREATE TABLE t (x TEXT)")
    connection.execute("CREATE INDEX t_md5 ON t (manouche_md5(x))")
    connection.execute("CREATE INDEX t_sqrt ON t (manouche_sqrt(x))")
    with pytest.raises(sqlite3.OperationalError, match="non-deterministic"):
        connection.execute("CREATE INDEX t_random ON t (x + manouche_random())")
    value = _call(connection, "random")
    assert isinstance(value, float)
    assert 0 <= value < 1
