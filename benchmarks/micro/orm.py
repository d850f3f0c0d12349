"""ORM round trips: manouche vs Django's ORM vs the SQLAlchemy ORM vs the raw driver.

Run with /work/main/.venv-bench/bin/python benchmarks/micro/orm.py.

Every framework maps its own model classes onto the *same* tables (created
once per database with plain DDL and seeded with the raw driver), so each
one reads and writes identical rows. SQLite is a file database in a
temporary directory; PostgreSQL (127.0.0.1:5432, user postgres) is used
when it answers, in a scratch database ``manouche_bench_<pid>`` dropped at the
end. Each case prints the median milliseconds over ``--rounds`` timed rounds
(one untimed warm-up round first) and the ratios: manouche / raw driver
(lower is better, 1.0 is the floor) and Django / manouche and SQLAlchemy /
manouche (above 1 means manouche is faster).

The async cases run each framework's async API on an event loop: the
driver's async twin for the raw floor (psycopg's AsyncConnection; aiosqlite
for SQLite, itself a thread per connection), Django's async ORM (its sync
ORM in a thread) and SQLAlchemy's AsyncSession.

``--smoke`` uses tiny sizes, one round and SQLite only; competitors that are
not installed are skipped in every mode.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import importlib.util
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(__file__))))

PG_HOST = os.environ.get("MANOUCHE_BENCH_PG_HOST", "127.0.0.1")
PG_PORT = int(os.environ.get("MANOUCHE_BENCH_PG_PORT", "5432"))
PG_USER = os.environ.get("MANOUCHE_BENCH_PG_USER", "postgres")
# One database per process, so that two runs at once never drop each other's.
PG_DB = f"manouche_bench_{os.getpid()}"


@dataclass
class Sizes:
    """How big each case is."""

    fetch: int = 10_000
    get: int = 2_000
    bulk: int = 10_000
    parents: int = 1_000
    children_per_parent: int = 5
    select_related: int = 1_000

    @classmethod
    def smoke(cls) -> Sizes:
        return cls(fetch=200, get=50, bulk=200, parents=40, select_related=40)


CASES = [
    ("fetch", "fetch {fetch:,} rows as instances"),
    ("get", "get(pk=...) x {get:,}"),
    ("bulk", "bulk_create {bulk:,} rows"),
    ("update", "filter().update(F()+1), {fetch:,} rows"),
    ("select_related", "select_related, {select_related:,} rows"),
    ("prefetch", "prefetch_related {parents:,} x {children_per_parent}"),
    ("afetch", "async: fetch {fetch:,} rows"),
    ("aget", "async: aget(pk=...) x {get:,}"),
]

# One statement set per backend: (sqlite, postgresql).
DDL = {
    "sqlite": [
        "CREATE TABLE bench_item (id INTEGER PRIMARY KEY AUTOINCREMENT, "
        "name VARCHAR(100) NOT NULL, number INTEGER NOT NULL, flag BOOL NOT NULL, "
        "score REAL NOT NULL)",
        "CREATE TABLE bench_bulk (id INTEGER PRIMARY KEY AUTOINCREMENT, "
        "name VARCHAR(100) NOT NULL, number INTEGER NOT NULL, flag BOOL NOT NULL, "
        "score REAL NOT NULL)",
        "CREATE TABLE bench_parent (id INTEGER PRIMARY KEY AUTOINCREMENT, "
        "name VARCHAR(100) NOT NULL)",
        "CREATE TABLE bench_child (id INTEGER PRIMARY KEY AUTOINCREMENT, "
        "parent_id INTEGER NOT NULL REFERENCES bench_parent (id), "
        "name VARCHAR(100) NOT NULL)",
        "CREATE INDEX bench_child_parent ON bench_child (parent_id)",
    ],
    "postgresql": [
        "CREATE TABLE bench_item (id SERIAL PRIMARY KEY, name VARCHAR(100) NOT NULL, "
        "number INTEGER NOT NULL, flag BOOLEAN NOT NULL, "
        "score DOUBLE PRECISION NOT NULL)",
        "CREATE TABLE bench_bulk (id SERIAL PRIMARY KEY, name VARCHAR(100) NOT NULL, "
        "number INTEGER NOT NULL, flag BOOLEAN NOT NULL, "
        "score DOUBLE PRECISION NOT NULL)",
        "CREATE TABLE bench_parent (id SERIAL PRIMARY KEY, name VARCHAR(100) NOT NULL)",
        "CREATE TABLE bench_child (id SERIAL PRIMARY KEY, "
        "parent_id INTEGER NOT NULL REFERENCES bench_parent (id), "
        "name VARCHAR(100) NOT NULL)",
        "CREATE INDEX bench_child_parent ON bench_child (parent_id)",
    ],
}


def item_values(index: int) -> tuple[str, int, bool, float]:
    """The column values of the index-th item row."""
    return (f"item {index}", index, index % 2 == 0, index / 7)


# -- databases -----------------------------------------------------------------------


@dataclass
class Database:
    """One database every framework runs against."""

    vendor: str  # "sqlite" or "postgresql"
    label: str
    path: str = ""  # SQLite file

    def raw_connect(self) -> Any:
        if self.vendor == "sqlite":
            return sqlite3.connect(self.path, isolation_level=None)
        import psycopg

        return psycopg.connect(
            host=PG_HOST, port=PG_PORT, user=PG_USER, dbname=PG_DB, autocommit=True
        )

    @property
    def placeholder(self) -> str:
        return "?" if self.vendor == "sqlite" else "%s"

    def manouche_settings(self) -> dict[str, Any]:
        if self.vendor == "sqlite":
            return {"ENGINE": "manouche.db.backends.sqlite3", "NAME": self.path}
        return {
            "ENGINE": "manouche.db.backends.postgresql",
            "NAME": PG_DB,
            "USER": PG_USER,
            "HOST": PG_HOST,
            "PORT": str(PG_PORT),
        }

    def django_settings(self) -> dict[str, Any]:
        if self.vendor == "sqlite":
            return {"ENGINE": "django.db.backends.sqlite3", "NAME": self.path}
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": PG_DB,
            "USER": PG_USER,
            "HOST": PG_HOST,
            "PORT": str(PG_PORT),
        }

    def sqlalchemy_url(self) -> str:
        if self.vendor == "sqlite":
            return f"sqlite:///{self.path}"
        return f"postgresql+psycopg://{PG_USER}@{PG_HOST}:{PG_PORT}/{PG_DB}"


def postgres_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(
        host=PG_HOST,
        port=PG_PORT,
        user=PG_USER,
        dbname="postgres",
        autocommit=True,
        connect_timeout=2,
    ) as conn:
        conn.execute(sql)


def postgres_available() -> str | None:
    """Return why PostgreSQL cannot be used, or None when it can."""
    if importlib.util.find_spec("psycopg") is None:
        return "psycopg is not installed"
    try:
        postgres_admin(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
        postgres_admin(f"CREATE DATABASE {PG_DB}")
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}".strip().splitlines()[0]
    return None


def create_and_seed(db: Database, sizes: Sizes) -> None:
    """Create the shared tables and fill them with the raw driver."""
    conn = db.raw_connect()
    try:
        cursor = conn.cursor()
        for statement in DDL[db.vendor]:
            cursor.execute(statement)
        p = db.placeholder
        if db.vendor == "sqlite":
            cursor.execute("BEGIN")
        cursor.executemany(
            f"INSERT INTO bench_item (name, number, flag, score) "
            f"VALUES ({p}, {p}, {p}, {p})",
            [item_values(i) for i in range(1, sizes.fetch + 1)],
        )
        cursor.executemany(
            f"INSERT INTO bench_parent (name) VALUES ({p})",
            [(f"parent {i}",) for i in range(1, sizes.parents + 1)],
        )
        cursor.executemany(
            f"INSERT INTO bench_child (parent_id, name) VALUES ({p}, {p})",
            [
                (parent, f"child {parent}.{n}")
                for parent in range(1, sizes.parents + 1)
                for n in range(sizes.children_per_parent)
            ],
        )
        if db.vendor == "sqlite":
            cursor.execute("COMMIT")
        else:
            cursor.execute("ANALYZE")
    finally:
        conn.close()


# -- frameworks ----------------------------------------------------------------------

# A case is (prepare or None, run): prepare runs untimed before each round.
Case = tuple[Callable[[], Any] | None, Callable[[], Any]]


class Raw:
    """The driver alone: tuples, no objects (the floor).

    The async cases use the driver's async twin: psycopg's AsyncConnection,
    and for SQLite aiosqlite (a thread per connection, as manouche does) when
    it is installed.
    """

    name = "raw driver"

    def __init__(self, db: Database, alias: str, sizes: Sizes) -> None:
        self.db = db
        self.conn = db.raw_connect()
        self.p = db.placeholder
        self.sizes = sizes
        self.vendor = db.vendor
        self.loop = asyncio.new_event_loop()
        self.aconn: Any = None

    def close(self) -> None:
        self.conn.close()
        if self.aconn is not None:
            self.loop.run_until_complete(self.aconn.close())
        self.loop.close()

    async def _aconnect(self) -> Any:
        if self.vendor == "sqlite":
            import aiosqlite  # type: ignore[import-not-found,unused-ignore]

            return await aiosqlite.connect(self.db.path, isolation_level=None)
        import psycopg

        return await psycopg.AsyncConnection.connect(
            host=PG_HOST, port=PG_PORT, user=PG_USER, dbname=PG_DB, autocommit=True
        )

    def async_cases(self) -> dict[str, Case]:
        """afetch and aget on the async driver (none without one for SQLite)."""
        if self.vendor == "sqlite" and importlib.util.find_spec("aiosqlite") is None:
            return {}
        self.aconn = self.loop.run_until_complete(self._aconnect())
        aconn, p, sizes, loop = self.aconn, self.p, self.sizes, self.loop
        columns = "id, name, number, flag, score"

        async def afetch() -> Any:
            cursor = await aconn.execute(f"SELECT {columns} FROM bench_item")
            return await cursor.fetchall()

        async def aget() -> None:
            sql = f"SELECT {columns} FROM bench_item WHERE id = {p}"
            for pk in range(1, sizes.get + 1):
                cursor = await aconn.execute(sql, (pk,))
                await cursor.fetchone()

        return {
            "afetch": (None, lambda: loop.run_until_complete(afetch())),
            "aget": (None, lambda: loop.run_until_complete(aget())),
        }

    def cases(self) -> dict[str, Case]:
        conn, p, sizes = self.conn, self.p, self.sizes
        columns = "id, name, number, flag, score"

        def fetch() -> Any:
            cursor = conn.cursor()
            cursor.execute(f"SELECT {columns} FROM bench_item")
            return cursor.fetchall()

        def get() -> None:
            cursor = conn.cursor()
            sql = f"SELECT {columns} FROM bench_item WHERE id = {p}"
            for pk in range(1, sizes.get + 1):
                cursor.execute(sql, (pk,))
                cursor.fetchone()

        def clear_bulk() -> None:
            conn.cursor().execute("DELETE FROM bench_bulk")

        def bulk() -> None:
            rows = [item_values(i) for i in range(sizes.bulk)]
            cursor = conn.cursor()
            if self.vendor == "sqlite":
                cursor.execute("BEGIN")
            cursor.executemany(
                "INSERT INTO bench_bulk (name, number, flag, score) "
                f"VALUES ({p}, {p}, {p}, {p})",
                rows,
            )
            if self.vendor == "sqlite":
                cursor.execute("COMMIT")

        def update() -> None:
            conn.cursor().execute(
                f"UPDATE bench_item SET number = number + 1 WHERE number >= {p}",
                (0,),
            )

        def select_related() -> Any:
            cursor = conn.cursor()
            cursor.execute(
                "SELECT c.id, c.parent_id, c.name, p.id, p.name FROM bench_child c "
                f"INNER JOIN bench_parent p ON p.id = c.parent_id WHERE c.id <= {p}",
                (sizes.select_related,),
            )
            return cursor.fetchall()

        def prefetch() -> Any:
            cursor = conn.cursor()
            cursor.execute("SELECT id, name FROM bench_parent")
            parents = cursor.fetchall()
            ids = [row[0] for row in parents]
            marks = ", ".join([p] * len(ids))
            cursor.execute(
                f"SELECT id, parent_id, name FROM bench_child "
                f"WHERE parent_id IN ({marks})",
                ids,
            )
            children: dict[int, list[Any]] = {}
            for row in cursor.fetchall():
                children.setdefault(row[1], []).append(row)
            return [(row, children.get(row[0], [])) for row in parents]

        return {
            "fetch": (None, fetch),
            "get": (None, get),
            "bulk": (clear_bulk, bulk),
            "update": (None, update),
            "select_related": (None, select_related),
            "prefetch": (None, prefetch),
            **self.async_cases(),
        }


class _DjangoAPI:
    """Cases written once against the Django-style API (manouche and Django)."""

    name = ""
    models: dict[str, Any] = {}
    F: Any = None

    def __init__(self, db: Database, alias: str, sizes: Sizes) -> None:
        self.alias = alias
        self.sizes = sizes
        self.loop = asyncio.new_event_loop()

    def close(self) -> None:
        self.loop.run_until_complete(self.loop.shutdown_asyncgens())
        self.loop.close()

    def async_cases(self) -> dict[str, Case]:
        """``async for`` over a queryset and ``aget``, on an event loop."""
        Item, alias, sizes, loop = (
            self.models["Item"],
            self.alias,
            self.sizes,
            self.loop,
        )

        async def afetch() -> Any:
            return [item async for item in Item.objects.using(alias).all()]

        async def aget() -> None:
            objects = Item.objects.using(alias)
            for pk in range(1, sizes.get + 1):
                await objects.aget(pk=pk)

        return {
            "afetch": (None, lambda: loop.run_until_complete(afetch())),
            "aget": (None, lambda: loop.run_until_complete(aget())),
        }

    def cases(self) -> dict[str, Case]:
        m, alias, sizes = self.models, self.alias, self.sizes
        Item, Bulk, Parent, Child = m["Item"], m["Bulk"], m["Parent"], m["Child"]
        F = self.F

        def fetch() -> Any:
            return list(Item.objects.using(alias).all())

        def get() -> None:
            objects = Item.objects.using(alias)
            for pk in range(1, sizes.get + 1):
                objects.get(pk=pk)

        def clear_bulk() -> None:
            Bulk.objects.using(alias).all().delete()

        def bulk() -> None:
            Bulk.objects.using(alias).bulk_create(
                [
                    Bulk(name=n, number=i, flag=f, score=s)
                    for n, i, f, s in map(item_values, range(sizes.bulk))
                ]
            )

        def update() -> None:
            Item.objects.using(alias).filter(number__gte=0).update(
                number=F("number") + 1
            )

        def select_related() -> None:
            for child in (
                Child.objects.using(alias)
                .select_related("parent")
                .filter(id__lte=sizes.select_related)
            ):
                child.parent.name  # noqa: B018 - the access is the point

        def prefetch() -> None:
            for parent in Parent.objects.using(alias).prefetch_related("children"):
                for child in parent.children.all():
                    child.name  # noqa: B018

        return {
            "fetch": (None, fetch),
            "get": (None, get),
            "bulk": (clear_bulk, bulk),
            "update": (None, update),
            "select_related": (None, select_related),
            "prefetch": (None, prefetch),
            **self.async_cases(),
        }


class Manouche(_DjangoAPI):
    """manouche's ORM, sync and async."""

    name = "manouche"

    @classmethod
    def configure(cls, databases: dict[str, Database]) -> None:
        import manouche
        from manouche.conf import settings

        settings.configure(
            DEBUG=False,
            DATABASES={
                alias: db.manouche_settings() for alias, db in databases.items()
            },
            INSTALLED_APPS=[],
            USE_TZ=False,
        )
        manouche.setup()
        from manouche.db import models

        class Item(models.Model):
            name = models.CharField(max_length=100)
            number = models.IntegerField()
            flag = models.BooleanField()
            score = models.FloatField()

            class Meta:
                app_label = "bench"
                db_table = "bench_item"

        class Bulk(models.Model):
            name = models.CharField(max_length=100)
            number = models.IntegerField()
            flag = models.BooleanField()
            score = models.FloatField()

            class Meta:
                app_label = "bench"
                db_table = "bench_bulk"

        class Parent(models.Model):
            name = models.CharField(max_length=100)

            class Meta:
                app_label = "bench"
                db_table = "bench_parent"

        class Child(models.Model):
            parent = models.ForeignKey(Parent, models.CASCADE, related_name="children")
            name = models.CharField(max_length=100)

            class Meta:
                app_label = "bench"
                db_table = "bench_child"

        cls.models = {"Item": Item, "Bulk": Bulk, "Parent": Parent, "Child": Child}
        cls.F = models.F

    def close(self) -> None:
        from manouche.db import connections

        async def close_async() -> None:
            from manouche.db.backends._engines import dispose_engines

            await connections.aclose_all()
            dispose_engines()

        connections.close_all()
        self.loop.run_until_complete(close_async())
        super().close()


class Django(_DjangoAPI):
    """Django's ORM (its async API runs the sync one in a thread)."""

    name = "Django"

    @classmethod
    def available(cls) -> bool:
        return importlib.util.find_spec("django") is not None

    @classmethod
    def configure(cls, databases: dict[str, Database]) -> None:
        import django  # type: ignore[import-not-found,unused-ignore]
        from django.conf import settings  # type: ignore[import-not-found,unused-ignore]

        settings.configure(
            DEBUG=False,
            DATABASES={alias: db.django_settings() for alias, db in databases.items()},
            INSTALLED_APPS=[],
            USE_TZ=False,
            DEFAULT_AUTO_FIELD="django.db.models.AutoField",
        )
        django.setup()
        from django.db import models  # type: ignore[import-not-found,unused-ignore]

        class Item(models.Model):  # type: ignore[misc,unused-ignore]
            name = models.CharField(max_length=100)
            number = models.IntegerField()
            flag = models.BooleanField()
            score = models.FloatField()

            class Meta:
                app_label = "bench"
                db_table = "bench_item"

        class Bulk(models.Model):  # type: ignore[misc,unused-ignore]
            name = models.CharField(max_length=100)
            number = models.IntegerField()
            flag = models.BooleanField()
            score = models.FloatField()

            class Meta:
                app_label = "bench"
                db_table = "bench_bulk"

        class Parent(models.Model):  # type: ignore[misc,unused-ignore]
            name = models.CharField(max_length=100)

            class Meta:
                app_label = "bench"
                db_table = "bench_parent"

        class Child(models.Model):  # type: ignore[misc,unused-ignore]
            parent = models.ForeignKey(Parent, models.CASCADE, related_name="children")
            name = models.CharField(max_length=100)

            class Meta:
                app_label = "bench"
                db_table = "bench_child"

        cls.models = {"Item": Item, "Bulk": Bulk, "Parent": Parent, "Child": Child}
        cls.F = models.F

    def close(self) -> None:
        from django.db import connections  # type: ignore[import-not-found,unused-ignore]

        connections.close_all()
        super().close()


class SQLAlchemyORM:
    """The SQLAlchemy ORM (Session, declarative models, sync API)."""

    name = "SQLAlchemy ORM"
    models: dict[str, Any] = {}

    @classmethod
    def available(cls) -> bool:
        return importlib.util.find_spec("sqlalchemy") is not None

    @classmethod
    def configure(cls, databases: dict[str, Database]) -> None:
        # Untyped declarative style: this module uses postponed annotations.
        from sqlalchemy import Boolean, Float, ForeignKey, Integer, String
        from sqlalchemy.orm import DeclarativeBase, mapped_column, relationship

        class Base(DeclarativeBase):
            pass

        def item_columns() -> dict[str, Any]:
            return {
                "id": mapped_column(Integer, primary_key=True),
                "name": mapped_column(String(100)),
                "number": mapped_column(Integer),
                "flag": mapped_column(Boolean),
                "score": mapped_column(Float),
            }

        Item = type("Item", (Base,), {"__tablename__": "bench_item", **item_columns()})
        Bulk = type("Bulk", (Base,), {"__tablename__": "bench_bulk", **item_columns()})

        class Parent(Base):
            __tablename__ = "bench_parent"
            id = mapped_column(Integer, primary_key=True)
            name = mapped_column(String(100))
            children = relationship("Child", back_populates="parent")

        class Child(Base):
            __tablename__ = "bench_child"
            id = mapped_column(Integer, primary_key=True)
            parent_id = mapped_column(Integer, ForeignKey("bench_parent.id"))
            name = mapped_column(String(100))
            parent = relationship(Parent, back_populates="children")

        cls.models = {"Item": Item, "Bulk": Bulk, "Parent": Parent, "Child": Child}

    def __init__(self, db: Database, alias: str, sizes: Sizes) -> None:
        import sqlalchemy as sa

        self.engine = sa.create_engine(db.sqlalchemy_url())
        self.sizes = sizes
        self.loop = asyncio.new_event_loop()
        self.async_engine: Any = None
        async_url = db.sqlalchemy_url()
        if db.vendor == "sqlite":
            if importlib.util.find_spec("aiosqlite") is not None:
                async_url = async_url.replace("sqlite://", "sqlite+aiosqlite://")
            else:
                async_url = ""
        if async_url:
            from sqlalchemy.ext.asyncio import create_async_engine

            self.async_engine = create_async_engine(async_url)

    def close(self) -> None:
        self.engine.dispose()
        if self.async_engine is not None:
            self.loop.run_until_complete(self.async_engine.dispose())
        self.loop.close()

    def async_cases(self) -> dict[str, Case]:
        """AsyncSession over the driver's async twin (aiosqlite for SQLite)."""
        if self.async_engine is None:
            return {}
        import sqlalchemy as sa
        from sqlalchemy.ext.asyncio import AsyncSession

        Item, sizes, engine, loop = (
            self.models["Item"],
            self.sizes,
            self.async_engine,
            self.loop,
        )

        async def afetch() -> Any:
            async with AsyncSession(engine) as session:
                return (await session.scalars(sa.select(Item))).all()

        async def aget() -> None:
            async with AsyncSession(engine) as session:
                for pk in range(1, sizes.get + 1):
                    await session.get(Item, pk)

        return {
            "afetch": (None, lambda: loop.run_until_complete(afetch())),
            "aget": (None, lambda: loop.run_until_complete(aget())),
        }

    def cases(self) -> dict[str, Case]:
        import sqlalchemy as sa
        from sqlalchemy.orm import Session, joinedload, selectinload

        m, sizes, engine = self.models, self.sizes, self.engine
        Item, Bulk, Parent, Child = m["Item"], m["Bulk"], m["Parent"], m["Child"]

        def fetch() -> Any:
            with Session(engine) as session:
                return session.scalars(sa.select(Item)).all()

        def get() -> None:
            with Session(engine) as session:
                for pk in range(1, sizes.get + 1):
                    session.get(Item, pk)

        def clear_bulk() -> None:
            with Session(engine) as session:
                session.execute(sa.delete(Bulk))
                session.commit()

        def bulk() -> None:
            with Session(engine) as session:
                session.add_all(
                    [
                        Bulk(name=n, number=i, flag=f, score=s)
                        for n, i, f, s in map(item_values, range(sizes.bulk))
                    ]
                )
                session.commit()

        def update() -> None:
            with Session(engine) as session:
                session.execute(
                    sa.update(Item)
                    .where(Item.number >= 0)
                    .values(number=Item.number + 1)
                    .execution_options(synchronize_session=False)
                )
                session.commit()

        def select_related() -> None:
            with Session(engine) as session:
                query = (
                    sa.select(Child)
                    .options(joinedload(Child.parent, innerjoin=True))
                    .where(Child.id <= sizes.select_related)
                )
                for child in session.scalars(query):
                    child.parent.name  # noqa: B018

        def prefetch() -> None:
            with Session(engine) as session:
                query = sa.select(Parent).options(selectinload(Parent.children))
                for parent in session.scalars(query):
                    for child in parent.children:
                        child.name  # noqa: B018

        return {
            "fetch": (None, fetch),
            "get": (None, get),
            "bulk": (clear_bulk, bulk),
            "update": (None, update),
            "select_related": (None, select_related),
            "prefetch": (None, prefetch),
            **self.async_cases(),
        }


# -- measuring -----------------------------------------------------------------------


def measure(case: Case, rounds: int) -> float:
    """Median seconds of ``rounds`` timed runs after one warm-up run."""
    prepare, run = case
    times = []
    for index in range(rounds + 1):
        if prepare is not None:
            prepare()
        gc.collect()
        start = time.perf_counter()
        run()
        elapsed = time.perf_counter() - start
        if index:
            times.append(elapsed)
    return statistics.median(times)


def ratio(numerator: float | None, denominator: float | None) -> str:
    if not numerator or not denominator:
        return "-"
    return f"{numerator / denominator:.2f}x"


def report(
    label: str,
    sizes: Sizes,
    results: dict[str, dict[str, float]],
    names: list[str],
) -> None:
    """Print one database's table: milliseconds and ratios."""
    print(f"\n## {label}  (median ms per case; ratios of medians)")
    heads = [*names, "mn/raw", "Django/mn", "SA/mn"]
    width = 38
    print(f"{'case':<{width}}" + "".join(f"{h:>15}" for h in heads))
    for key, template in CASES:
        row = results.get(key, {})
        if not row:
            continue
        cells = [f"{row[name] * 1000:.2f}" if name in row else "-" for name in names]
        mn = row.get("manouche")
        # Without an async driver (SQLite without aiosqlite) the async cases
        # are compared with the sync driver.
        raw = row.get("raw driver") or results.get(key.removeprefix("a"), {}).get(
            "raw driver"
        )
        cells.append(ratio(mn, raw))
        cells.append(ratio(row.get("Django"), mn))
        cells.append(ratio(row.get("SQLAlchemy ORM"), mn))
        title = template.format(**vars(sizes))
        print(f"{title:<{width}}" + "".join(f"{c:>15}" for c in cells))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--smoke", action="store_true", help="tiny, SQLite only")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--only", default="", help="comma-separated case keys")
    args = parser.parse_args(argv)
    sizes = Sizes.smoke() if args.smoke else Sizes()
    rounds = 1 if args.smoke else args.rounds
    only = {key for key in args.only.split(",") if key}

    tmp = tempfile.mkdtemp(prefix="manouche-orm-bench-")
    databases = {
        "default": Database("sqlite", "SQLite (file)", os.path.join(tmp, "b.db"))
    }
    if not (args.smoke or args.no_postgres):
        why = postgres_available()
        if why is None:
            databases["pg"] = Database("postgresql", "PostgreSQL (psycopg 3)")
        else:
            print(f"PostgreSQL skipped: {why}")

    frameworks: list[Any] = [Raw, Manouche]
    Manouche.configure(databases)
    for competitor in (Django, SQLAlchemyORM):
        if competitor.available():
            competitor.configure(databases)
            frameworks.append(competitor)
        else:
            print(f"{competitor.name} skipped: not installed")
    names = [framework.name for framework in frameworks]
    print(f"python {sys.version.split()[0]}, {rounds} round(s)")
    try:
        for alias, db in databases.items():
            create_and_seed(db, sizes)
            results: dict[str, dict[str, float]] = {}
            for framework in frameworks:
                runner = framework(db, alias, sizes)
                try:
                    for key, case in runner.cases().items():
                        if only and key not in only:
                            continue
                        seconds = measure(case, rounds)
                        results.setdefault(key, {})[framework.name] = seconds
                finally:
                    runner.close()
            report(db.label, sizes, results, names)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        if "pg" in databases:
            postgres_admin(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
