"""Run the micro-benchmarks in ``benchmarks/micro`` and keep what they print."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

__all__ = ["MICRO", "run_micro"]

ROOT = Path(__file__).resolve().parents[2]

# (title, script, arguments): sized to take well under a minute each.
MICRO: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "Hello world through the full stack, in-process",
        "hello_world.py",
        ("--requests", "2000", "--rounds", "3"),
    ),
    ("ORM operations", "orm.py", ("--rounds", "3")),
    ("Template rendering", "templates.py", ()),
    ("URL resolution over 500 patterns", "url_resolution.py", ()),
)


def run_micro() -> list[dict[str, Any]]:
    """Run every micro-benchmark with this interpreter; return their output."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"MANOUCHE_SETTINGS_MODULE", "DJANGO_SETTINGS_MODULE"}
    }
    results = []
    for title, script, arguments in MICRO:
        print(f"micro: {script}", flush=True)
        start = time.monotonic()
        try:
            completed = subprocess.run(
                [
                    sys.executable,
                    str(ROOT / "benchmarks" / "micro" / script),
                    *arguments,
                ],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                timeout=600,
                check=False,
            )
            output = completed.stdout.strip()
            if completed.returncode != 0:
                output += f"\n(exit {completed.returncode})\n{completed.stderr[-2000:]}"
        except subprocess.TimeoutExpired:
            output = "(timed out after 600 s)"
        results.append(
            {
                "title": title,
                "command": " ".join(
                    ["python", f"benchmarks/micro/{script}", *arguments]
                ),
                "seconds": round(time.monotonic() - start, 1),
                "output": output,
            }
        )
    return results
