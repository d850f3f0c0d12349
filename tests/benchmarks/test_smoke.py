"""Run the benchmark scripts in smoke mode so they never rot.

The project venv has no competitors installed, so only the raw ASGI floor and
manouche run; the point is that both scripts still start, measure and exit 0.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MICRO = ROOT / "benchmarks" / "micro" / "hello_world.py"
HTTP = ROOT / "benchmarks" / "http" / "hello_world.py"
MANOUCHE_LINE = re.compile(r"^manouche \(async view\)\s.*$", re.MULTILINE)


def run_script(script: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    """Run ``script`` with this interpreter, free of the test settings module."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"MANOUCHE_SETTINGS_MODULE", "DJANGO_SETTINGS_MODULE"}
    }
    return subprocess.run(
        [sys.executable, str(script), *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_in_process_benchmark_runs_and_reports_manouche() -> None:
    completed = run_script(MICRO, "--requests", "50", "--rounds", "1")

    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert MANOUCHE_LINE.search(completed.stdout), completed.stdout
    assert "raw ASGI callable" in completed.stdout


@pytest.mark.e2e
def test_http_benchmark_smoke_serves_every_installed_case() -> None:
    completed = run_script(HTTP, "--smoke")

    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert MANOUCHE_LINE.search(completed.stdout), completed.stdout
    assert "manouche (sync view)" in completed.stdout
    assert "FAILED" not in completed.stdout


@pytest.mark.e2e
def test_http_benchmark_builtin_client_measures_without_errors() -> None:
    completed = run_script(
        HTTP, "--smoke", "--client", "python", "--only", "manouche (async"
    )

    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "load: built-in asyncio client" in completed.stdout
    line = MANOUCHE_LINE.search(completed.stdout)
    assert line, completed.stdout
    # Columns: req/s, p99 ms, errors, ratio; a working client measured traffic.
    requests_per_second, _, errors = line.group(0).split()[-4:-1]
    assert float(requests_per_second) > 0
    assert errors == "0"
