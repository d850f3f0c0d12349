"""The demo project as its users run it: migrate, its own tests, no drift.

Each test works on a fresh copy (``manouche demo`` copies the project the
same way), in a child process with the demo's own settings.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from manouche.core.management.commands.demo import copy_demo


@pytest.fixture(scope="module")
def demo_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("demo")
    copy_demo(target)
    return target


def manage(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    environment = {
        **os.environ,
        "MANOUCHE_SETTINGS_MODULE": "demo.settings",
        "PYTHONPATH": str(project),
    }
    environment.pop("MANOUCHE_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=project,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_migrate_builds_the_database_with_the_sample_books(demo_copy: Path) -> None:
    result = manage(demo_copy, "migrate", "--noinput")
    assert result.returncode == 0, result.stderr
    assert "Applying library.0001_initial... OK" in result.stdout
    assert "Applying library.0002_sample_books... OK" in result.stdout
    with sqlite3.connect(demo_copy / "db.sqlite3") as database:
        (books,) = database.execute("SELECT COUNT(*) FROM library_book").fetchone()
    assert books == 8
    again = manage(demo_copy, "migrate", "--noinput")
    assert "No migrations to apply." in again.stdout


def test_the_models_and_migrations_agree(demo_copy: Path) -> None:
    result = manage(demo_copy, "makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No changes detected" in result.stdout


def test_the_demo_passes_its_own_tests(demo_copy: Path) -> None:
    result = manage(demo_copy, "test", "demo.library", "-v", "2")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "OK" in result.stderr + result.stdout


def test_the_data_migration_unapplies(tmp_path: Path) -> None:
    copy_demo(tmp_path)
    assert manage(tmp_path, "migrate", "--noinput").returncode == 0
    result = manage(tmp_path, "migrate", "library", "0001", "--noinput")
    assert result.returncode == 0, result.stderr
    assert "Unapplying library.0002_sample_books... OK" in result.stdout
    with sqlite3.connect(tmp_path / "db.sqlite3") as database:
        (books,) = database.execute("SELECT COUNT(*) FROM library_book").fetchone()
    assert books == 0
