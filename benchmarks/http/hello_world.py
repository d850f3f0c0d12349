"""Hello-world through a real server on loopback, one framework at a time.

    .venv-bench/bin/python benchmarks/http/hello_world.py [--duration S]
        [--workers N] [--connections C] [--only TEXT] [--client auto|wrk|python]
        [--smoke]

Each case starts its app (``benchmarks/http/apps/``) on a free 127.0.0.1 port
with the same worker count, waits until it answers, warms it up, drives it
with a load generator for a bounded time, then stops the whole process group.
ASGI apps run under ``uvicorn --http httptools``; Django's WSGI handler runs
under gunicorn with gthread workers. The load generator is ``wrk`` when it is
on PATH, else a small asyncio HTTP/1.1 keep-alive client in this file (which
is itself CPU-bound, so it caps the fastest servers). Competitors that are not
installed are skipped. Ratios compare runs of this one invocation.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import http.client
import importlib.util
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
HOST = "127.0.0.1"
BODY = b"Hello, world!"
STARTUP_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0
REFERENCE = "manouche (async view)"


@dataclass(frozen=True)
class Case:
    """One app behind one server, and the path the load generator requests."""

    name: str
    server: str  # "uvicorn" or "gunicorn"
    target: str  # "module:attribute" under benchmarks/http/
    path: str
    requires: tuple[str, ...]


CASES = [
    Case("raw ASGI callable", "uvicorn", "apps.raw_asgi:app", "/", ()),
    Case(REFERENCE, "uvicorn", "apps.manouche_app:app", "/async", ("manouche",)),
    Case(
        "manouche (sync view)", "uvicorn", "apps.manouche_app:app", "/", ("manouche",)
    ),
    Case("FastAPI", "uvicorn", "apps.fastapi_app:app", "/", ("fastapi",)),
    Case(
        "Django ASGI (async view)",
        "uvicorn",
        "apps.django_app:app",
        "/async",
        ("django",),
    ),
    Case("Django ASGI (sync view)", "uvicorn", "apps.django_app:app", "/", ("django",)),
    Case(
        "Django WSGI (sync view)",
        "gunicorn",
        "apps.django_app:application",
        "/",
        ("django",),
    ),
]


@dataclass(frozen=True)
class Result:
    """What one load run measured."""

    requests_per_second: float
    p99_ms: float
    requests: int
    errors: int


@dataclass(frozen=True)
class Options:
    """Parsed command line."""

    duration: float
    warmup: float
    workers: int
    connections: int
    threads: int
    client: str
    only: str
    smoke: bool


def installed(name: str) -> bool:
    """Tell whether ``name`` is importable in this interpreter (the servers' too)."""
    return importlib.util.find_spec(name) is not None


def free_port() -> int:
    """Return a port that was free on 127.0.0.1 a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def server_command(case: Case, port: int, options: Options) -> list[str]:
    """Build the command line that serves ``case`` on ``port``."""
    if case.server == "gunicorn":
        return [
            sys.executable, "-m", "gunicorn", case.target,
            "--bind", f"{HOST}:{port}", "--workers", str(options.workers),
            "--worker-class", "gthread", "--threads", str(options.threads),
            "--log-level", "warning",
        ]  # fmt: skip
    http = "httptools" if installed("httptools") else "h11"
    return [
        sys.executable, "-m", "uvicorn", case.target,
        "--host", HOST, "--port", str(port), "--workers", str(options.workers),
        "--http", http, "--no-access-log", "--log-level", "warning",
    ]  # fmt: skip


def deployment(case: Case, options: Options) -> str:
    """Describe the server a case runs under, for the results table."""
    if case.server == "gunicorn":
        return f"gunicorn gthread x{options.threads}"
    return "uvicorn httptools" if installed("httptools") else "uvicorn h11"


def server_env() -> dict[str, str]:
    """Return the servers' environment: no settings module leaking in."""
    env = dict(os.environ)
    env.pop("MANOUCHE_SETTINGS_MODULE", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env["PYTHONPATH"] = str(HERE)
    return env


def answers(port: int, path: str) -> bool:
    """Tell whether the server on ``port`` serves the hello-world body."""
    connection = http.client.HTTPConnection(HOST, port, timeout=2)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status == 200 and response.read() == BODY
    except OSError:
        return False
    finally:
        connection.close()


def wait_until_ready(
    process: subprocess.Popen[bytes], port: int, path: str, log: Path
) -> None:
    """Poll with real requests until the app answers 200 with the right body."""
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited early:\n{log.read_text()[-2000:]}")
        if answers(port, path):
            return
        time.sleep(0.05)
    raise RuntimeError(
        f"server not ready in {STARTUP_TIMEOUT:.0f}s:\n{log.read_text()}"
    )


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop the server's whole process group: SIGTERM, then SIGKILL."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=STOP_TIMEOUT)
    # Workers left behind by a supervisor that exited first.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)


@contextlib.contextmanager
def serving(case: Case, options: Options) -> Iterator[int]:
    """Run ``case``'s server for the duration of the block; yield its port."""
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="manouche-bench-") as directory:
        log = Path(directory) / "server.log"
        with log.open("wb") as output:
            process = subprocess.Popen(
                server_command(case, port, options),
                cwd=HERE,
                env=server_env(),
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            wait_until_ready(process, port, case.path, log)
            yield port
        finally:
            stop(process)


# -- load generators ---------------------------------------------------------

_WRK_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}
# "Non-2xx or 3xx responses: N" and "Socket errors: connect N, read N, ...".
_WRK_ERRORS = re.compile(r"(?:responses:|connect|read|write|timeout) (\d+)")


def run_wrk(url: str, duration: float, connections: int) -> Result:
    """Drive ``url`` with wrk (one thread) and parse its report."""
    seconds = max(1, round(duration))
    command = [
        "wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency",
        "--timeout", "5s", url,
    ]  # fmt: skip
    completed = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + 30, check=False
    )
    report = completed.stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", report)
    p99 = re.search(r"^\s*99%\s+([\d.]+)(us|ms|s)\s*$", report, re.MULTILINE)
    total = re.search(r"(\d+) requests in", report)
    if completed.returncode != 0 or not (rate and p99 and total):
        raise RuntimeError(f"wrk failed:\n{report}{completed.stderr}")
    errors = sum(int(count) for count in _WRK_ERRORS.findall(report))
    return Result(
        requests_per_second=float(rate.group(1)),
        p99_ms=float(p99.group(1)) * _WRK_UNITS[p99.group(2)],
        requests=int(total.group(1)),
        errors=errors,
    )


def _parse_head(head: bytes) -> tuple[int, int, bool]:
    """Return (status, content length, server closes) from a response head."""
    lines = head.split(b"\r\n")
    status = int(lines[0].split(b" ", 2)[1])
    length = -1
    close = False
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"connection":
            close = value.strip().lower() == b"close"
    if length < 0:
        raise ValueError("response without Content-Length")
    return status, length, close


async def _one_connection(
    port: int, request: bytes, deadline: float, latencies: list[float]
) -> int:
    """Send requests back to back on one keep-alive connection; return errors."""
    errors = 0
    writer: asyncio.StreamWriter | None = None
    reader: asyncio.StreamReader | None = None
    while time.perf_counter() < deadline:
        try:
            async with asyncio.timeout(5):
                if writer is None or reader is None:
                    reader, writer = await asyncio.open_connection(HOST, port)
                start = time.perf_counter()
                writer.write(request)
                status, length, close = _parse_head(await reader.readuntil(b"\r\n\r\n"))
                await reader.readexactly(length)
            latencies.append(time.perf_counter() - start)
            errors += status != 200
        except (OSError, ValueError, TimeoutError, asyncio.IncompleteReadError):
            errors += 1
            close = True
        if close and writer is not None:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()
            reader = writer = None
    if writer is not None:
        writer.close()
        with contextlib.suppress(OSError):
            await writer.wait_closed()
    return errors


async def _python_load(
    port: int, path: str, duration: float, connections: int
) -> Result:
    request = (
        f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nUser-Agent: bench\r\n"
        "Accept: */*\r\n\r\n"
    ).encode()
    latencies: list[float] = []
    start = time.perf_counter()
    deadline = start + duration
    tasks = [
        _one_connection(port, request, deadline, latencies) for _ in range(connections)
    ]
    errors = sum(await asyncio.wait_for(asyncio.gather(*tasks), duration + 15))
    elapsed = time.perf_counter() - start
    latencies.sort()
    p99 = (
        latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
        if latencies
        else 0.0
    )
    return Result(len(latencies) / elapsed, p99 * 1000, len(latencies), errors)


def run_python_client(
    port: int, path: str, duration: float, connections: int
) -> Result:
    """Drive the server with the built-in asyncio keep-alive client."""
    return asyncio.run(_python_load(port, path, duration, connections))


# -- driver --------------------------------------------------------------------


def measure(case: Case, options: Options, use_wrk: bool) -> Result:
    """Serve ``case``, warm it up, load it, and stop it."""
    with serving(case, options) as port:
        url = f"http://{HOST}:{port}{case.path}"
        if options.warmup > 0:
            if use_wrk:
                run_wrk(url, options.warmup, options.connections)
            else:
                run_python_client(port, case.path, options.warmup, options.connections)
        if use_wrk:
            return run_wrk(url, options.duration, options.connections)
        return run_python_client(port, case.path, options.duration, options.connections)


def missing(case: Case) -> list[str]:
    """Name the packages ``case`` needs that this interpreter lacks."""
    needed = [case.server, *case.requires]
    return [name for name in needed if not installed(name)]


def print_table(results: dict[str, tuple[str, Result]]) -> None:
    """Print req/s, p99 and how manouche (async view) compares to each case."""
    reference = results.get(REFERENCE)
    header = (
        f"{'app':<26}{'server':<22}{'req/s':>10}{'p99 ms':>9}"
        f"{'errors':>8}{'manouche async ÷ app':>22}"
    )
    print(header)
    for name, (server, result) in results.items():
        ratio = ""
        if reference is not None and result.requests_per_second > 0:
            ratio = (
                f"{reference[1].requests_per_second / result.requests_per_second:.2f}x"
            )
        print(
            f"{name:<26}{server:<22}{result.requests_per_second:>10.0f}"
            f"{result.p99_ms:>9.2f}{result.errors:>8}{ratio:>22}"
        )
    print(
        "(ratio = manouche async req/s ÷ app req/s; above 1 means manouche is faster)"
    )


def parse_options(argv: list[str] | None = None) -> Options:
    """Read the command line; ``--smoke`` shortens every run to about 1 s."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per case")
    parser.add_argument("--warmup", type=float, default=1.0, help="seconds per case")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument(
        "--threads", type=int, default=4, help="gunicorn gthread threads"
    )
    parser.add_argument("--client", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument("--only", default="", help="run cases whose name has TEXT")
    parser.add_argument("--smoke", action="store_true", help="1 s per case, no warmup")
    args = parser.parse_args(argv)
    if args.smoke:
        args.duration, args.warmup = 1.0, 0.0
    return Options(
        duration=args.duration,
        warmup=args.warmup,
        workers=args.workers,
        connections=args.connections,
        threads=args.threads,
        client=args.client,
        only=args.only,
        smoke=args.smoke,
    )


def main(argv: list[str] | None = None) -> int:
    """Run every selected case; return 0 only if all that ran succeeded."""
    options = parse_options(argv)
    use_wrk = options.client == "wrk" or (
        options.client == "auto" and shutil.which("wrk") is not None
    )
    generator = "wrk, 1 thread" if use_wrk else "built-in asyncio client"
    print(
        f"hello world over HTTP/1.1 on {HOST}: Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, {options.workers} worker(s), "
        f"{options.connections} connections, {options.duration:g} s per case "
        f"(+{options.warmup:g} s warm-up), load: {generator}"
    )
    if options.workers > 1:
        # uvicorn issue #3149: the supervisor's pre-bound socket loses TCP_NODELAY.
        print(
            "note: uvicorn --workers >1 leaves Nagle on (uvicorn issue #3149), so "
            "keep-alive requests wait ~40 ms for delayed ACKs: ASGI figures are "
            "not comparable with gunicorn's"
        )
    results: dict[str, tuple[str, Result]] = {}
    failed = False
    for case in CASES:
        if options.only.lower() not in case.name.lower():
            continue
        absent = missing(case)
        if absent:
            print(f"{case.name}: skipped ({', '.join(absent)} not installed)")
            continue
        try:
            result = measure(case, options, use_wrk)
        except (RuntimeError, OSError, subprocess.SubprocessError) as error:
            print(f"{case.name}: FAILED: {error}")
            failed = True
            continue
        results[case.name] = (deployment(case, options), result)
        if result.errors:
            failed = True
    print_table(results)
    return 1 if failed or not results else 0


if __name__ == "__main__":
    sys.exit(main())
