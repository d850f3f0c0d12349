"""Run the ORM benchmark in smoke mode so it keeps working.

The project venv has no Django, so manouche, the raw driver and the
SQLAlchemy ORM (a manouche dependency) run on tiny SQLite tables.
"""

from __future__ import annotations

import re

from tests.benchmarks.test_smoke import ROOT, run_script

ORM = ROOT / "benchmarks" / "micro" / "orm.py"
MANOUCHE_COLUMN = re.compile(r"^case\s.*\bmanouche\b", re.MULTILINE)


def test_orm_benchmark_smoke_runs_and_reports_manouche() -> None:
    completed = run_script(ORM, "--smoke")

    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert MANOUCHE_COLUMN.search(completed.stdout), completed.stdout
    assert "## SQLite (file)" in completed.stdout
    assert "fetch 200 rows as instances" in completed.stdout
    assert "async: aget(pk=...) x 50" in completed.stdout
