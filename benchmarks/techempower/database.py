"""Create the benchmark database: the ``world`` and ``fortune`` tables and rows.

Plain DDL through the drivers (psycopg or sqlite3), so every framework reads
the very same rows. PostgreSQL gets its own database (``manouche_techempower``,
not the ORM micro-benchmark's ``manouche_bench``, which that script drops) on the
server; SQLite a file. Re-running drops and refills both tables.
"""

from __future__ import annotations

import random
import sqlite3
from typing import Any
from urllib.parse import urlsplit

from common import FORTUNES, WORLD_ROWS, is_postgresql, sqlite_path

__all__ = ["postgresql_available", "prepare", "read_world"]

_DDL = (
    "DROP TABLE IF EXISTS world",
    "DROP TABLE IF EXISTS fortune",
    "CREATE TABLE world (id integer PRIMARY KEY, "
    "randomnumber integer NOT NULL DEFAULT 0)",
    "CREATE TABLE fortune (id integer PRIMARY KEY, message varchar(2048) NOT NULL)",
)


def postgresql_available(url: str) -> bool:
    """Tell whether psycopg is importable and the server answers."""
    try:
        import psycopg
    except ImportError:
        return False
    try:
        psycopg.connect(_server_dsn(url, "postgres"), connect_timeout=2).close()
    except psycopg.Error:
        return False
    return True


def _server_dsn(url: str, database: str) -> str:
    parts = urlsplit(url)
    return parts._replace(path=f"/{database}").geturl()


def _rows(seed: int) -> list[tuple[int, int]]:
    generator = random.Random(seed)
    return [(i, generator.randint(1, WORLD_ROWS)) for i in range(1, WORLD_ROWS + 1)]


def prepare(url: str, seed: int = 1) -> None:
    """Create the database if needed, then the tables and their rows."""
    if is_postgresql(url):
        _prepare_postgresql(url, seed)
    else:
        _prepare_sqlite(url, seed)


def _prepare_postgresql(url: str, seed: int) -> None:
    import psycopg
    from psycopg import sql

    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(_server_dsn(url, "postgres"), autocommit=True) as server:
        exists = server.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (name,)
        ).fetchone()
        if not exists:
            server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    with psycopg.connect(url) as connection:
        for statement in _DDL:
            connection.execute(statement)
        with connection.cursor() as cursor:
            with cursor.copy("COPY world (id, randomnumber) FROM STDIN") as copy:
                for row in _rows(seed):
                    copy.write_row(row)
            cursor.executemany(
                "INSERT INTO fortune (id, message) VALUES (%s, %s)", FORTUNES
            )
        connection.commit()
        connection.execute("ANALYZE world")
        connection.execute("ANALYZE fortune")
        connection.commit()


def _prepare_sqlite(url: str, seed: int) -> None:
    connection = sqlite3.connect(sqlite_path(url))
    try:
        connection.execute("PRAGMA journal_mode=WAL")
        for statement in _DDL:
            connection.execute(statement)
        connection.executemany("INSERT INTO world VALUES (?, ?)", _rows(seed))
        connection.executemany("INSERT INTO fortune VALUES (?, ?)", FORTUNES)
        connection.commit()
    finally:
        connection.close()


def read_world(url: str, ids: list[int]) -> dict[int, int]:
    """Return ``{id: randomnumber}`` for ``ids``, read straight from the database."""
    rows: list[Any]
    if is_postgresql(url):
        import psycopg

        with psycopg.connect(url) as connection:
            rows = connection.execute(
                "SELECT id, randomnumber FROM world WHERE id = ANY(%s)", (ids,)
            ).fetchall()
    else:
        connection = sqlite3.connect(sqlite_path(url))
        try:
            marks = ",".join("?" * len(ids))
            rows = connection.execute(
                f"SELECT id, randomnumber FROM world WHERE id IN ({marks})",
                ids,
            ).fetchall()
        finally:
            connection.close()
    return {int(row[0]): int(row[1]) for row in rows}
