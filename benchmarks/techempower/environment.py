"""Describe the machine and the software a run measured, for the report."""

from __future__ import annotations

import importlib.metadata
import os
import platform
import subprocess
from typing import Any

from common import is_postgresql

__all__ = ["describe"]

PACKAGES = (
    "manouche",
    "Django",
    "fastapi",
    "starlette",
    "uvicorn",
    "uvicorn-worker",
    "gunicorn",
    "uvloop",
    "httptools",
    "asyncpg",
    "psycopg",
    "psycopg-pool",
    "SQLAlchemy",
    "Jinja2",
)


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _wrk_version() -> str:
    try:
        completed = subprocess.run(
            ["wrk", "-v"], capture_output=True, text=True, timeout=10, check=False
        )
    except OSError:
        return "absent"
    first = (completed.stdout or completed.stderr).splitlines()
    return first[0].split(" [")[0].removeprefix("wrk ") if first else "unknown"


def _database_version(url: str) -> str:
    if not is_postgresql(url):
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    import psycopg

    with psycopg.connect(url) as connection:
        row = connection.execute("SHOW server_version").fetchone()
    return f"PostgreSQL {row[0] if row else '?'}"


def describe(url: str) -> dict[str, Any]:
    """Return the machine, Python, package versions, wrk and database."""
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = "absent"
    return {
        "load_average": [round(load, 2) for load in os.getloadavg()],
        "cores": os.cpu_count(),
        "cpu": _cpu_model(),
        "system": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "versions": versions,
        "wrk": _wrk_version(),
        "database": _database_version(url),
    }
