"""Start an implementation's server on loopback, wait for it, stop it; run wrk.

Every server gets the same number of worker processes. The ASGI apps run
under gunicorn with uvicorn's worker class (uvloop and httptools, as uvicorn
picks them when installed); Django's WSGI app under gunicorn's gthread
workers; manouche also under its own ``serve`` command when asked.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from common import DATABASE_ENV
from validate import Response

__all__ = [
    "HOST",
    "WRK_ERRORS",
    "WrkResult",
    "fetch_http",
    "free_port",
    "run_wrk",
    "serving",
]

HERE = Path(__file__).resolve().parent
HOST = "127.0.0.1"
STARTUP_TIMEOUT = 60.0
STOP_TIMEOUT = 15.0


def free_port() -> int:
    """Return a port that was free on 127.0.0.1 a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def server_env(database: str) -> dict[str, str]:
    """The servers' environment: this directory importable, the database URL."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"MANOUCHE_SETTINGS_MODULE", "DJANGO_SETTINGS_MODULE"}
    }
    env["PYTHONPATH"] = str(HERE)
    env[DATABASE_ENV] = database
    env["MANOUCHE_SETTINGS_MODULE"] = "manouche_project.settings"
    env["DJANGO_SETTINGS_MODULE"] = "django_project.settings"
    return env


def fetch_http(port: int, target: str, timeout: float = 10.0) -> Response:
    """GET ``target`` from the server on ``port``; raise OSError when down."""
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request("GET", target)
        response = connection.getresponse()
        headers = {name.lower(): value for name, value in response.getheaders()}
        return Response(response.status, headers, response.read())
    finally:
        connection.close()


def _wait_until_ready(process: subprocess.Popen[bytes], port: int, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited early:\n{log.read_text()[-3000:]}")
        with contextlib.suppress(OSError, http.client.HTTPException):
            if fetch_http(port, "/plaintext", timeout=2).status == 200:
                return
        time.sleep(0.1)
    raise RuntimeError(
        f"server not ready in {STARTUP_TIMEOUT:.0f}s:\n{log.read_text()}"
    )


def _stop(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=STOP_TIMEOUT)
    # Workers a supervisor left behind.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)


@contextlib.contextmanager
def serving(command: list[str], database: str) -> Iterator[tuple[int, int, Path]]:
    """Run ``command`` (``{port}`` filled in) for the block.

    Yield the port, the server's pid and the file that collects its output.
    """
    port = free_port()
    argv = [part.replace("{port}", str(port)) for part in command]
    with tempfile.TemporaryDirectory(prefix="manouche-tfb-") as directory:
        log = Path(directory) / "server.log"
        with log.open("wb") as output:
            process = subprocess.Popen(
                argv,
                cwd=HERE,
                env=server_env(database),
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            _wait_until_ready(process, port, log)
            yield port, process.pid, log
        finally:
            _stop(process)


def gunicorn(target: str, workers: int, worker_class: str, *extra: str) -> list[str]:
    """Return a gunicorn command line serving ``target`` on ``{port}``."""
    return [
        sys.executable, "-m", "gunicorn", target,
        "--bind", f"{HOST}:{{port}}", "--workers", str(workers),
        "--worker-class", worker_class, "--keep-alive", "5",
        "--log-level", "warning", *extra,
    ]  # fmt: skip


def manouche_serve(workers: int) -> list[str]:
    """Return ``manouche serve`` (uvicorn's own supervisor) on ``{port}``."""
    return [
        sys.executable, "-m", "manouche", "serve", "--host", HOST,
        "--port", "{port}", "--workers", str(workers), "--no-access-log",
        "--skip-checks",
    ]  # fmt: skip


@dataclass(frozen=True)
class WrkResult:
    """What one wrk run measured."""

    requests_per_second: float
    p99_ms: float
    requests: int
    errors: int


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}
# "Non-2xx or 3xx responses: N" and "Socket errors: connect N, read N, ...".
WRK_ERRORS = re.compile(r"(?:responses:|connect|read|write|timeout) (\d+)")


def run_wrk(url: str, seconds: int, connections: int, threads: int) -> WrkResult:
    """Drive ``url`` with wrk for ``seconds`` and parse its report."""
    command = [
        "wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency",
        "--timeout", "8s", url,
    ]  # fmt: skip
    completed = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + 60, check=False
    )
    report = completed.stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", report)
    p99 = re.search(r"^\s*99%\s+([\d.]+)(us|ms|s)\s*$", report, re.MULTILINE)
    total = re.search(r"(\d+) requests in", report)
    if completed.returncode != 0 or not (rate and p99 and total):
        raise RuntimeError(f"wrk failed:\n{report}{completed.stderr}")
    return WrkResult(
        requests_per_second=float(rate.group(1)),
        p99_ms=float(p99.group(1)) * _UNITS[p99.group(2)],
        requests=int(total.group(1)),
        errors=sum(int(count) for count in WRK_ERRORS.findall(report)),
    )
