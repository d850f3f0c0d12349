"""Profile manouche's workers under load with py-spy where a target is missed.

py-spy samples both gunicorn workers (``--subprocesses``) while wrk drives
one test; the collapsed stacks are folded into the functions that hold the
most samples, with and without their callees, for the report.
"""

from __future__ import annotations

import argparse
import collections
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from frameworks import FRAMEWORKS, Settings
from servers import HOST, WRK_ERRORS, serving
from targets import missed_tests

__all__ = ["fold", "profile_misses"]

# Where samples go, by the frames a stack contains (a stack can count twice).
CATEGORIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("thread-pool workers (concurrent.futures)", ("(concurrent/futures/thread.py)",)),
    ("request signals sent by the handler (Signal.asend)", ("Signal.asend (",)),
    ("ORM operations (manouche.db.models)", ("(manouche/db/models/",)),
    ("SQLAlchemy", ("(sqlalchemy/",)),
    ("psycopg", ("(psycopg/",)),
    ("template rendering (manouche.template)", ("(manouche/template/",)),
    ("middleware (manouche.middleware)", ("(manouche/middleware/",)),
    ("uvicorn's own code (innermost frame)", ("(uvicorn/",)),
)
_LEAF_ONLY = {"uvicorn's own code (innermost frame)"}
PROFILE_SECONDS = 6
WARMUP_SECONDS = 2
TOP = 15


def _py_spy() -> str | None:
    beside = Path(sys.executable).with_name("py-spy")
    return str(beside) if beside.exists() else shutil.which("py-spy")


def _frame_name(frame: str) -> str:
    """Shorten ``func (/long/path/pkg/mod.py:12)`` to ``func (pkg/mod.py)``."""
    function, _, where = frame.partition(" (")
    path = where.rstrip(")").rsplit(":", 1)[0]
    for marker in ("/site-packages/", "/work/main/", "/lib/python3"):
        if marker in path:
            path = path.split(marker, 1)[1]
            break
    return f"{function} ({path})" if path else function


def fold(collapsed: str) -> dict[str, Any]:
    """Fold py-spy's raw output into top self and inclusive functions."""
    total = 0
    self_counts: collections.Counter[str] = collections.Counter()
    inclusive: collections.Counter[str] = collections.Counter()
    categories: collections.Counter[str] = collections.Counter()
    for line in collapsed.splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        # Drop the process and thread labels py-spy puts first.
        frames = [
            _frame_name(frame)
            for frame in stack.split(";")
            if not frame.startswith(("process ", "thread ("))
        ]
        if not frames:
            continue
        total += count
        self_counts[frames[-1]] += count
        for name in set(frames):
            inclusive[name] += count
        for category, markers in CATEGORIES:
            scope = frames[-1:] if category in _LEAF_ONLY else frames
            if any(marker in frame for frame in scope for marker in markers):
                categories[category] += count

    def share(counter: collections.Counter[str], keep: Any) -> list[list[Any]]:
        rows = [(name, n) for name, n in counter.most_common() if keep(name)]
        return [[name, round(100 * n / total, 1)] for name, n in rows[:TOP]]

    return {
        "samples": total,
        "self": share(self_counts, lambda name: True),
        "categories": [
            [name, round(100 * categories[name] / total, 1) if total else 0.0]
            for name, _ in CATEGORIES
        ],
        "inclusive_manouche": share(inclusive, lambda name: "(manouche/" in name),
    }


def profile_test(
    target: str, settings: Settings, options: argparse.Namespace, url: str
) -> dict[str, Any]:
    """Sample manouche's workers while wrk drives ``target``."""
    py_spy = _py_spy()
    if py_spy is None:
        return {"error": "py-spy is not installed"}
    manouche = next(f for f in FRAMEWORKS if f.key == "manouche")
    with (
        serving(manouche.command(settings), url) as (port, pid, _log),
        tempfile.TemporaryDirectory() as directory,
    ):
        output = Path(directory) / "profile.txt"
        load = subprocess.Popen(
            [
                "wrk",
                "-t1",
                f"-c{options.connections}",
                f"-d{WARMUP_SECONDS + PROFILE_SECONDS + 3}s",
                f"http://{HOST}:{port}{target}",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        try:
            time.sleep(WARMUP_SECONDS)  # imports and pools settle first
            completed = subprocess.run(
                [
                    py_spy,
                    "record",
                    "--pid",
                    str(pid),
                    "--subprocesses",
                    "--duration",
                    str(PROFILE_SECONDS),
                    "--rate",
                    "250",
                    "--format",
                    "raw",
                    "--output",
                    str(output),
                    "--nonblocking",
                ],
                capture_output=True,
                text=True,
                timeout=PROFILE_SECONDS + 60,
                check=False,
            )
        finally:
            report, _ = load.communicate(timeout=WARMUP_SECONDS + PROFILE_SECONDS + 30)
        if completed.returncode != 0 or not output.exists():
            return {"error": f"py-spy failed: {completed.stderr[-500:]}"}
        profile = fold(output.read_text())
        profile["wrk_errors"] = sum(int(n) for n in WRK_ERRORS.findall(report or ""))
        return profile


def profile_misses(
    data: dict[str, Any], settings: Settings, options: argparse.Namespace, url: str
) -> dict[str, Any]:
    """Profile manouche on every test where it misses a target."""
    profiles = {}
    for name in missed_tests(data):
        print(f"profiling manouche on {name}", flush=True)
        profiles[name] = profile_test(data["tests"][name], settings, options, url)
    return profiles
