"""Run the TechEmpower-style benchmark and write BENCHMARKS.md.

    .venv-bench/bin/python -m benchmarks.techempower [--runs 3] [--duration 5]
        [--frameworks manouche,django,...] [--smoke] [--report-only FILE]

Full mode needs PostgreSQL and wrk: it fills ``manouche_techempower``, then for
each round serves every framework in turn (validating its responses on the
first round), warms each test up and drives it with wrk, and finally writes
the report, the chart, a profile of manouche where it misses a target and
the micro-benchmarks. ``--smoke`` drives the apps in-process for a moment
each, on SQLite unless PostgreSQL and asyncpg are both at hand.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import importlib
import json
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import database
from common import DATABASE_ENV
from frameworks import FRAMEWORKS, TESTS, Framework, Settings, missing
from servers import HOST, fetch_http, run_wrk, serving
from validate import Response, validate

__all__ = ["main"]

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
POSTGRESQL_URL = "postgresql://postgres@127.0.0.1:5432/manouche_techempower"
DEFAULT_FRAMEWORKS = "manouche,manouche-serve,django,django-asgi,fastapi,raw"


def parse_options(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--frameworks", default=DEFAULT_FRAMEWORKS)
    parser.add_argument("--tests", default=",".join(TESTS))
    parser.add_argument("--runs", type=int, default=3, help="rounds (>= 3)")
    parser.add_argument("--duration", type=int, default=5, help="seconds per run")
    parser.add_argument("--warmup", type=int, default=1, help="seconds per test")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--django-threads", type=int, default=8)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--wrk-threads", type=int, default=1)
    parser.add_argument("--queries", type=int, default=20)
    parser.add_argument("--database", default="", help="database URL")
    parser.add_argument("--output", type=Path, default=ROOT / "BENCHMARKS.md")
    parser.add_argument("--no-micro", action="store_true")
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument("--report-only", type=Path, help="rewrite from saved JSON")
    parser.add_argument("--smoke", action="store_true", help="in-process, seconds")
    parser.add_argument("--smoke-seconds", type=float, default=0.15)
    return parser.parse_args(argv)


def selected(options: argparse.Namespace) -> list[Framework]:
    keys = [key.strip() for key in options.frameworks.split(",") if key.strip()]
    known = {framework.key: framework for framework in FRAMEWORKS}
    unknown = [key for key in keys if key not in known]
    if unknown:
        raise SystemExit(f"unknown frameworks: {', '.join(unknown)}")
    return [known[key] for key in keys]


def tests(options: argparse.Namespace) -> dict[str, str]:
    names = [name.strip() for name in options.tests.split(",") if name.strip()]
    unknown = [name for name in names if name not in TESTS]
    if unknown:
        raise SystemExit(f"unknown tests: {', '.join(unknown)}")
    return {name: TESTS[name].format(queries=options.queries) for name in names}


# -- smoke mode ----------------------------------------------------------------


def _load(target: str) -> Any:
    module, _, attribute = target.partition(":")
    return getattr(importlib.import_module(module), attribute)


async def _smoke(options: argparse.Namespace, url: str) -> int:
    from inprocess import fetch_from, requests_per_second

    targets = tests(options)
    failed = False
    rates: dict[str, dict[str, float]] = {}
    for framework in selected(options):
        if not framework.smoke:
            continue
        absent = missing(framework, served=False)
        if absent:
            print(f"{framework.label}: skipped ({', '.join(absent)} not installed)")
            continue
        fetch = fetch_from(_load(framework.app))
        problems = await validate(fetch, lambda ids: database.read_world(url, ids))
        if problems:
            failed = True
            print(f"{framework.label}: INVALID")
            for problem in problems:
                print(f"    {problem}")
            continue
        print(f"{framework.label}: valid ({len(TESTS)} test types)")
        rates[framework.label] = {
            name: await requests_per_second(fetch, target, options.smoke_seconds)
            for name, target in targets.items()
        }
    print(f"\nin-process requests/s, one client, {options.smoke_seconds:g} s per cell:")
    print(f"{'framework':<18}" + "".join(f"{name:>11}" for name in targets))
    for label, row in rates.items():
        print(f"{label:<18}" + "".join(f"{row[name]:>11.0f}" for name in targets))
    return 1 if failed or not rates else 0


def smoke(options: argparse.Namespace) -> int:
    """Validate and briefly time every importable implementation in-process."""
    with tempfile.TemporaryDirectory(prefix="manouche-tfb-") as directory:
        url = options.database or _smoke_database(directory)
        print(f"smoke: database {url.split('://')[0]}")
        database.prepare(url)
        os.environ[DATABASE_ENV] = url
        os.environ["MANOUCHE_SETTINGS_MODULE"] = "manouche_project.settings"
        os.environ["DJANGO_SETTINGS_MODULE"] = "django_project.settings"
        return asyncio.run(_smoke(options, url))


def _smoke_database(directory: str) -> str:
    has_asyncpg = importlib.util.find_spec("asyncpg") is not None
    if has_asyncpg and database.postgresql_available(POSTGRESQL_URL):
        return POSTGRESQL_URL
    return f"sqlite:///{Path(directory) / 'bench.sqlite3'}"


# -- full mode -----------------------------------------------------------------


async def _validate_http(port: int, url: str) -> list[str]:
    async def fetch(target: str) -> Response:
        return await asyncio.to_thread(fetch_http, port, target)

    return await validate(fetch, lambda ids: database.read_world(url, ids))


def _cell(samples: list[dict[str, Any]]) -> dict[str, Any]:
    rates = [sample["rps"] for sample in samples]
    return {
        "runs": samples,
        "rps": statistics.median(rates),
        "rps_min": min(rates),
        "rps_max": max(rates),
        "p99_ms": statistics.median(sample["p99_ms"] for sample in samples),
        "errors": sum(sample["errors"] for sample in samples),
    }


def _measure_round(
    framework: Framework,
    settings: Settings,
    options: argparse.Namespace,
    url: str,
    first: bool,
    samples: dict[str, list[dict[str, Any]]],
) -> list[str]:
    """Serve one framework, validate it on the first round, run every test."""
    with serving(framework.command(settings), url) as (port, _pid, log):
        if first:
            problems = asyncio.run(_validate_http(port, url))
            if problems:
                return [*problems, f"server output: {log.read_text()[-3000:]}"]
        for name, target in tests(options).items():
            address = f"http://{HOST}:{port}{target}"
            if options.warmup:
                run_wrk(
                    address, options.warmup, options.connections, options.wrk_threads
                )
            result = run_wrk(
                address, options.duration, options.connections, options.wrk_threads
            )
            samples.setdefault(name, []).append(
                {
                    "rps": result.requests_per_second,
                    "p99_ms": result.p99_ms,
                    "requests": result.requests,
                    "errors": result.errors,
                }
            )
            print(
                f"  {framework.label:<18}{name:<10}{result.requests_per_second:>10.0f}"
                f" req/s  p99 {result.p99_ms:8.2f} ms  errors {result.errors}",
                flush=True,
            )
    return []


def full(options: argparse.Namespace) -> int:
    """Measure every framework with wrk and write the report."""
    from environment import describe
    from report import write_report

    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not on PATH (Debian: apt-get install wrk)")
    url = options.database or POSTGRESQL_URL
    if url.startswith("postgres") and not database.postgresql_available(url):
        raise SystemExit(f"PostgreSQL does not answer at {url}")
    if options.runs < 1:
        raise SystemExit("--runs must be at least 1")
    settings = Settings(workers=options.workers, django_threads=options.django_threads)
    frameworks = []
    for framework in selected(options):
        absent = missing(framework, served=True)
        if absent:
            print(f"{framework.label}: skipped ({', '.join(absent)} not installed)")
        else:
            frameworks.append(framework)
    print("preparing the database", flush=True)
    database.prepare(url)
    samples: dict[str, dict[str, list[dict[str, Any]]]] = {}
    invalid: dict[str, list[str]] = {}
    for round_ in range(options.runs):
        print(f"round {round_ + 1} of {options.runs}", flush=True)
        for framework in frameworks:
            if framework.key in invalid:
                continue
            problems = _measure_round(
                framework,
                settings,
                options,
                url,
                round_ == 0,
                samples.setdefault(framework.key, {}),
            )
            if problems:
                invalid[framework.key] = problems
                print(f"  {framework.label}: INVALID, not measured:")
                for problem in problems:
                    print(f"    {problem[:3000]}")
    data: dict[str, Any] = {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "environment": describe(url),
        "options": {
            "runs": options.runs,
            "duration": options.duration,
            "warmup": options.warmup,
            "workers": options.workers,
            "django_threads": options.django_threads,
            "connections": options.connections,
            "wrk_threads": options.wrk_threads,
            "queries": options.queries,
            "database_name": urlsplit(url).path.lstrip("/") or url,
            "pool": int(os.environ.get("MANOUCHE_BENCH_POOL", "16")),
        },
        "tests": tests(options),
        "frameworks": [
            {
                "key": framework.key,
                "family": framework.family,
                "label": framework.label,
                "deployment": framework.deployment(settings),
            }
            for framework in frameworks
        ],
        "invalid": invalid,
        "results": {
            key: {name: _cell(runs) for name, runs in cells.items()}
            for key, cells in samples.items()
            if key not in invalid
        },
    }
    if not options.no_profile:
        from profiling import profile_misses

        data["profiles"] = profile_misses(data, settings, options, url)
    data["load_after"] = [round(load, 2) for load in os.getloadavg()]
    if not options.no_micro:
        from micro import run_micro

        data["micro"] = run_micro()
    saved = ROOT / "benchmarks" / "results" / "techempower.json"
    saved.parent.mkdir(exist_ok=True)
    saved.write_text(json.dumps(data, indent=2, ensure_ascii=False))
    print(f"results saved to {saved}")
    write_report(data, options.output)
    print(f"report written to {options.output}")
    return 1 if invalid else 0


def main(argv: list[str] | None = None) -> int:
    """Dispatch to smoke mode, report-only mode or the full run."""
    options = parse_options(argv)
    if options.smoke:
        return smoke(options)
    if options.report_only:
        from report import write_report

        write_report(json.loads(options.report_only.read_text()), options.output)
        print(f"report written to {options.output}")
        return 0
    return full(options)


if __name__ == "__main__":
    sys.exit(main())
