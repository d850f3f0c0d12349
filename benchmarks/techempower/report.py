"""Write BENCHMARKS.md and the ratio chart from one run's data.

Everything here is computed from the saved run (``benchmarks/results/
techempower.json``), so ``--report-only`` can rebuild the report without
measuring again and no figure is ever typed by hand.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from targets import TARGETS, best, evaluate

__all__ = ["write_chart", "write_report"]

CHART = Path(__file__).resolve().parents[1] / "charts" / "techempower-ratios.png"
_TICKS = (0.02, 0.05, 0.1, 0.2, 0.5, 0.8, 1, 2, 3, 5, 10, 20, 50)
FAMILY_NAMES = {"django": "Django", "fastapi": "FastAPI", "raw": "raw ASGI"}

_IMPLEMENTATIONS = (
    (
        "manouche",
        "a project (`benchmarks/techempower/manouche_project`): settings, models "
        "`World`/`Fortune` on tables `world`/`fortune`, **async views** using "
        "`aget`, `async for` over a QuerySet and `abulk_update`, `render` with "
        "the template language (autoescaping on), `JsonResponse`, the middleware "
        "`startproject` generates (Security, Common, XFrameOptions)",
    ),
    (
        "Django",
        "the same project for Django 5.2 (`django_project`): **sync views** with "
        "`get`, `list(QuerySet)` and `bulk_update`, `render` with Django "
        "templates, `JsonResponse`, the same three middleware",
    ),
    (
        "FastAPI",
        "`fastapi_app.py`: async path operations, an asyncpg pool per worker, "
        "`Jinja2Templates`, dicts and lists returned through FastAPI's default "
        "`JSONResponse`",
    ),
    (
        "raw ASGI",
        "`raw_asgi.py`: one ASGI callable, a dict of paths, asyncpg, "
        "`json.dumps`, `html.escape`: the framework-less floor",
    ),
)
IMPLEMENTATIONS = "\n".join(
    [
        "| framework | how the six tests are written |",
        "| --- | --- |",
        *(f"| {name} | {how} |" for name, how in _IMPLEMENTATIONS),
    ]
)


def _rate(value: float) -> str:
    """Format requests/s: whole numbers, one decimal below 100."""
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def _busy_note(data: dict[str, Any]) -> list[str]:
    """Warn when other work competed for the CPUs during the run."""
    environment = data["environment"]
    cores = environment.get("cores") or 1
    loads = [*environment.get("load_average", [])[:1], *data.get("load_after", [])[:1]]
    if not loads or max(loads) <= cores:
        return []
    return [
        f"**Caution: the machine was busy.** The 1-minute load average was "
        f"{' and '.join(f'{load:g}' for load in loads)} (start and end of the "
        f"HTTP runs) on {cores} cores, so other processes competed with the "
        "servers and wrk for the CPUs. Absolute figures are depressed and noisy "
        "(see the min-max spreads); the ratios compare rounds that ran "
        "interleaved, one framework after another, and are the figures to "
        "read.",
        "",
    ]


def _label(data: dict[str, Any], key: str) -> str:
    return next(f["label"] for f in data["frameworks"] if f["key"] == key)


def _results_tables(data: dict[str, Any]) -> list[str]:
    tests = list(data["tests"])
    header = "| framework | " + " | ".join(tests) + " |"
    rule = "| --- | " + " | ".join("---:" for _ in tests) + " |"
    rates = [header, rule]
    latency = [header, rule]
    errors = []
    for framework in data["frameworks"]:
        cells = data["results"].get(framework["key"])
        if cells is None:
            continue
        rate_row, latency_row = [], []
        for test in tests:
            cell = cells.get(test)
            if cell is None:
                rate_row.append("-")
                latency_row.append("-")
                continue
            rate_row.append(
                f"**{_rate(cell['rps'])}** "
                f"({_rate(cell['rps_min'])}\N{EN DASH}{_rate(cell['rps_max'])})"
            )
            latency_row.append(f"{cell['p99_ms']:,.1f}")
            if cell["errors"]:
                errors.append(f"{framework['label']} {test}: {cell['errors']} errors")
        rates.append(f"| {framework['label']} | " + " | ".join(rate_row) + " |")
        latency.append(f"| {framework['label']} | " + " | ".join(latency_row) + " |")
    lines = [
        "## Requests per second",
        "",
        "Median of the runs, with the minimum and maximum in brackets.",
        "",
        *rates,
        "",
        "## p99 latency (ms, median of the runs)",
        "",
        *latency,
        "",
    ]
    if errors:
        lines += ["Errors (non-2xx responses or socket errors) seen by wrk:", ""]
        lines += [f"- {error}" for error in errors] + [""]
    else:
        lines += ["wrk saw no errors (non-2xx responses or socket errors).", ""]
    return lines


def _ratio_table(data: dict[str, Any]) -> list[str]:
    tests = list(data["tests"])
    lines = [
        "## manouche ÷ each other framework",
        "",
        "manouche's median requests/s divided by the other framework's (its "
        "fastest deployment per test when it has two). Above 1: manouche is "
        "faster.",
        "",
        "| manouche ÷ | " + " | ".join(tests) + " |",
        "| --- | " + " | ".join("---:" for _ in tests) + " |",
    ]
    manouche = data["results"].get("manouche", {})
    for family, name in FAMILY_NAMES.items():
        row = []
        for test in tests:
            other = best(data, family, test)
            if other is None or test not in manouche or other[1] <= 0:
                row.append("-")
                continue
            note = f" ({_label(data, other[0])})" if family == "django" else ""
            row.append(f"{manouche[test]['rps'] / other[1]:.2f}x{note}")
        lines.append(f"| {name} | " + " | ".join(row) + " |")
    return [*lines, ""]


def _targets(data: dict[str, Any]) -> list[str]:
    rows = evaluate(data)
    met = sum(row["met"] for row in rows)
    lines = [
        "## Targets",
        "",
        f"**{met} of {len(rows)} targets met.** The targets (issue 6): on db, "
        "queries, fortunes and updates at least 3x Django's fastest deployment, "
        "at least FastAPI and at least 0.8x the raw ASGI reference; on json and "
        "plaintext at least 0.8x the raw ASGI reference.",
        "",
        "| test | target | measured | verdict |",
        "| --- | --- | ---: | --- |",
    ]
    for row in rows:
        verdict = "met" if row["met"] else "**MISSED**"
        target = f"≥ {row['goal']:g}x {FAMILY_NAMES[row['family']]}"
        lines.append(f"| {row['test']} | {target} | {row['ratio']:.2f}x | {verdict} |")
    return [*lines, ""]


def _profiles(data: dict[str, Any]) -> list[str]:
    profiles = data.get("profiles") or {}
    if not profiles:
        return []
    lines = [
        "## Where manouche's time goes (py-spy, on the tests with a missed target)",
        "",
        "py-spy sampled both manouche workers (250 Hz, idle time excluded) while "
        "wrk drove the test with the same connections. *Self*: samples whose "
        "innermost frame is the function. *Inclusive*: samples with the "
        "function anywhere on the stack (manouche functions only).",
        "",
    ]
    for test, profile in profiles.items():
        lines += [f"### {test}", ""]
        if "error" in profile:
            lines += [f"Profile failed: {profile['error']}", ""]
            continue
        errors = profile.get("wrk_errors", 0)
        lines += [
            f"{profile['samples']:,} samples; wrk saw {errors} errors meanwhile.",
            "",
            "| share of samples % | where |",
            "| ---: | --- |",
            *(f"| {share} | {name} |" for name, share in profile.get("categories", [])),
            "",
            "| self % | function |",
        ]
        lines += ["| ---: | --- |"]
        lines += [f"| {share} | `{name}` |" for name, share in profile["self"]]
        lines += ["", "| inclusive % | manouche function |", "| ---: | --- |"]
        lines += [
            f"| {share} | `{name}` |" for name, share in profile["inclusive_manouche"]
        ]
        lines.append("")
    return lines


def _micro(data: dict[str, Any]) -> list[str]:
    micro = data.get("micro") or []
    if not micro:
        return []
    lines = [
        "## Micro-benchmarks (`benchmarks/micro`)",
        "",
        "Run by the same command after the HTTP runs, each in one process; "
        "their ratios compare figures of that one process run.",
        "",
    ]
    for entry in micro:
        lines += [
            f"### {entry['title']}",
            "",
            f"`{entry['command']}` ({entry['seconds']} s)",
            "",
            "```",
            entry["output"],
            "```",
            "",
        ]
    return lines


def _header(data: dict[str, Any], chart: str) -> list[str]:
    environment = data["environment"]
    options = data["options"]
    versions = ", ".join(f"{name} {v}" for name, v in environment["versions"].items())
    deployments = [f"| {f['label']} | {f['deployment']} |" for f in data["frameworks"]]
    return [
        "# Benchmarks",
        "",
        "Written by `python -m benchmarks.techempower` (see `benchmarks/README.md`) "
        f"on {data['date']}. Every figure below comes from that run; rerun the "
        "command rather than editing this file.",
        "",
        "## Machine",
        "",
        f"- {environment['cores']} cores, {environment['cpu']}, "
        f"{environment['system']}, shared with the load generator",
        f"- Python {environment['python']}; {environment['database']} on loopback",
        f"- load average (1, 5, 15 min) when the run started: "
        f"{', '.join(str(x) for x in environment['load_average'])}; when it "
        f"ended: {', '.join(str(x) for x in data.get('load_after', []))}",
        f"- wrk {environment['wrk']}; {versions}",
        "",
        "## Method",
        "",
        "TechEmpower's six test types on one PostgreSQL database "
        f"(`{options['database_name']}`: 10,000 `world` rows, the 12 `fortune` "
        "rows). Every "
        f"implementation is validated first (`validate.py`), then, in each of "
        f"{options['runs']} rounds, every server is started on 127.0.0.1, each "
        f"test is warmed up for {options['warmup']} s and driven by wrk for "
        f"{options['duration']} s ({options['wrk_threads']} thread, "
        f"{options['connections']} keep-alive connections), and the server is "
        f"stopped. queries and updates use `?queries={options['queries']}`. "
        f"{options['workers']} worker processes everywhere; the async apps keep "
        f"a pool of {options['pool']} connections per worker, Django one "
        "persistent connection per thread.",
        "",
        "| framework | deployment |",
        "| --- | --- |",
        *deployments,
        "",
        IMPLEMENTATIONS,
        "",
        f"![manouche's requests/s divided by each other framework's]({chart})",
        "",
        *_busy_note(data),
    ]


def write_chart(data: dict[str, Any], path: Path) -> None:
    """Draw manouche's ratio to each family per test, with the goals marked."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    tests = list(data["tests"])
    manouche = data["results"].get("manouche", {})
    figure, axes = plt.subplots(figsize=(10, 4.8), dpi=110)
    width = 0.26
    every: list[float] = []
    for index, (family, name) in enumerate(FAMILY_NAMES.items()):
        xs, ys, goals = [], [], []
        for position, test in enumerate(tests):
            other = best(data, family, test)
            if other is None or test not in manouche or other[1] <= 0:
                continue
            x = position + (index - 1) * width
            xs.append(x)
            ys.append(manouche[test]["rps"] / other[1])
            goal, applies = TARGETS[family]
            if test in applies:
                goals.append((x, goal))
        every += ys
        ys = [max(y, 1e-3) for y in ys]
        bars = axes.bar(xs, ys, width, label=f"manouche ÷ {name}")
        axes.bar_label(bars, fmt="%.2f", fontsize=7, padding=2)
        for x, goal in goals:
            axes.hlines(goal, x - width / 2, x + width / 2, colors="black", lw=2)
    axes.axhline(1.0, color="grey", linestyle="--", linewidth=1)
    axes.set_yscale("log")
    # A cell where manouche completed no request has ratio 0: no log height.
    low = max(min([*(y for y in every if y > 0), 0.5]) * 0.7, 0.005)
    high = max([*every, 3.0]) * 1.6
    ticks = [t for t in _TICKS if low <= t <= high]
    axes.set_yticks(ticks, [f"{tick:g}" for tick in ticks])
    axes.set_ylim(low, high)
    axes.minorticks_off()
    axes.set_xticks(range(len(tests)), tests)
    axes.set_ylabel("ratio of requests/s (log scale)")
    axes.set_title(
        "manouche ÷ other frameworks (above 1: manouche faster; black ticks: targets)"
    )
    axes.legend(fontsize=8)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path)
    plt.close(figure)


def write_report(data: dict[str, Any], output: Path, chart: Path = CHART) -> None:
    """Write the markdown report to ``output`` and the chart beside the suite."""
    write_chart(data, chart)
    relative = Path(os.path.relpath(chart, output.resolve().parent)).as_posix()
    lines = [
        *_header(data, relative),
        *_results_tables(data),
        *_ratio_table(data),
        *_targets(data),
        *_profiles(data),
        *_micro(data),
    ]
    if data.get("invalid"):
        lines += ["## Not measured: invalid responses", ""]
        for key, problems in data["invalid"].items():
            lines += [f"- {key}: " + "; ".join(problems)]
        lines.append("")
    output.write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")
