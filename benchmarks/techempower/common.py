"""What every implementation shares: the data, the rules and the database URL.

The apps import this module by its top-level name (``common``): the servers
run with this directory on ``PYTHONPATH``, never the repository root.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

__all__ = [
    "ADDITIONAL_FORTUNE",
    "DATABASE_ENV",
    "FORTUNES",
    "POOL_SIZE",
    "WORLD_ROWS",
    "database_url",
    "is_postgresql",
    "query_count",
    "sqlite_path",
]

# The servers read the database from this variable (a URL, see database_url).
DATABASE_ENV = "MANOUCHE_BENCH_DATABASE"
WORLD_ROWS = 10_000
# Database connections each worker process keeps (asyncpg pool, SQLAlchemy
# pool); Django's gthread workers keep one persistent connection per thread.
POOL_SIZE = int(os.environ.get("MANOUCHE_BENCH_POOL", "16"))
ADDITIONAL_FORTUNE = "Additional fortune added at request time."

# The twelve rows of the TechEmpower ``fortune`` table.
FORTUNES: tuple[tuple[int, str], ...] = (
    (1, "fortune: No such file or directory"),
    (2, "A computer scientist is someone who fixes things that aren't broken."),
    (3, "After enough decimal places, nobody gives a damn."),
    (4, "A bad random number generator: 1, 1, 1, 1, 1, 4.33e+67, 1, 1, 1"),
    (5, "A computer program does what you tell it to do, not what you want it to do."),
    (6, "Emacs is a nice operating system, but I prefer UNIX. — Tom Christaensen"),
    (7, "Any program that runs right is obsolete."),
    (8, "A list is only as strong as its weakest link. — Donald Knuth"),
    (9, "Feature: A bug with seniority."),
    (10, "Computers make very fast, very accurate mistakes."),
    (
        11,
        '<script>alert("This should not be displayed in a browser alert box.");'
        "</script>",
    ),
    (12, "フレームワークのベンチマーク"),
)


def database_url() -> str:
    """Return the benchmark database URL the runner put in the environment."""
    url = os.environ.get(DATABASE_ENV)
    if not url:
        raise RuntimeError(f"{DATABASE_ENV} is not set: start the apps via the runner")
    return url


def is_postgresql(url: str) -> bool:
    """Tell a PostgreSQL URL from a SQLite one."""
    return urlsplit(url).scheme.startswith("postgres")


def sqlite_path(url: str) -> str:
    """Return the file of a ``sqlite:////absolute/path`` URL."""
    return urlsplit(url).path


def query_count(raw: str | None) -> int:
    """Parse ``?queries=``: anything not an integer is 1; clamp to 1..500."""
    try:
        count = int(raw) if raw is not None else 1
    except ValueError:
        return 1
    return min(max(count, 1), 500)
