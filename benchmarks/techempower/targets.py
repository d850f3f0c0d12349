"""The issue's targets, and how each cell of a run compares with them.

Ratios compare manouche's median requests/s with each other family's
fastest deployment (by median) in the same run.
"""

from __future__ import annotations

from typing import Any

__all__ = ["TARGETS", "best", "evaluate", "missed_tests"]

DATA_TESTS = ("db", "queries", "fortunes", "updates")
# family -> (minimum ratio manouche / family, tests the target applies to)
TARGETS: dict[str, tuple[float, tuple[str, ...]]] = {
    "django": (3.0, DATA_TESTS),
    "raw": (0.8, ("plaintext", "json", *DATA_TESTS)),
    "fastapi": (1.0, DATA_TESTS),
}


def best(data: dict[str, Any], family: str, test: str) -> tuple[str, float] | None:
    """Return (framework key, median req/s) of ``family``'s fastest on ``test``."""
    found = [
        (framework["key"], data["results"][framework["key"]][test]["rps"])
        for framework in data["frameworks"]
        if framework["family"] == family
        and test in data["results"].get(framework["key"], {})
    ]
    return max(found, key=lambda item: item[1]) if found else None


def evaluate(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Return one row per (test, family) target: ratio, goal and verdict."""
    rows = []
    for test in data["tests"]:
        manouche = data["results"].get("manouche", {}).get(test)
        for family, (goal, applies) in TARGETS.items():
            if test not in applies:
                continue
            other = best(data, family, test)
            if manouche is None or other is None or other[1] <= 0:
                continue
            ratio = manouche["rps"] / other[1]
            rows.append(
                {
                    "test": test,
                    "family": family,
                    "against": other[0],
                    "ratio": ratio,
                    "goal": goal,
                    "met": ratio >= goal,
                }
            )
    return rows


def missed_tests(data: dict[str, Any]) -> list[str]:
    """Name the tests on which manouche misses at least one target."""
    missed = {row["test"] for row in evaluate(data) if not row["met"]}
    return [test for test in data["tests"] if test in missed]
