"""Fixtures for the management tests: installed test apps, subprocess helpers."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from manouche.core.management import get_commands
from manouche.test.utils import override_settings

REPO_ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(autouse=True)
def _empty_urlconf() -> Iterator[None]:
    """Check against an empty URLconf of our own."""
    with override_settings(ROOT_URLCONF="tests.core.management.urls"):
        yield


@pytest.fixture
def test_apps() -> Iterator[None]:
    """Install the two test apps (testapp first, so its commands win)."""
    get_commands.cache_clear()
    with override_settings(
        INSTALLED_APPS=[
            "tests.core.management.testapp",
            "tests.core.management.otherapp",
        ]
    ):
        get_commands.cache_clear()
        yield
    get_commands.cache_clear()


def free_port() -> int:
    """Return a loopback port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def subprocess_env(**extra: str) -> dict[str, str]:
    """The environment for child processes: the repo importable, no settings."""
    env = {k: v for k, v in os.environ.items() if k != "MANOUCHE_SETTINGS_MODULE"}
    env["PYTHONPATH"] = os.pathsep.join(
        [str(REPO_ROOT), *filter(None, [env.get("PYTHONPATH")])]
    )
    env.update(extra)
    return env


def wait_for_http(
    port: int, path: str = "/", timeout: float = 20.0
) -> tuple[int, bytes]:
    """GET ``path`` on the loopback port once it answers; return (status, body)."""
    import http.client

    deadline = time.monotonic() + timeout
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", path, headers={"Host": "127.0.0.1"})
            response = connection.getresponse()
            body = response.read()
            connection.close()
            return response.status, body
        except OSError as error:
            last_error = error
            time.sleep(0.2)
    raise AssertionError(f"Nothing answered on port {port}: {last_error}")


@pytest.fixture
def spawn() -> Iterator[list[subprocess.Popen[bytes]]]:
    """Start server processes; always stop them (whole process group) at teardown."""
    processes: list[subprocess.Popen[bytes]] = []
    yield processes
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, 15)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, 9)
                process.wait(timeout=5)
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()


def start(
    processes: list[subprocess.Popen[bytes]], args: list[str], cwd: Path, **env: str
) -> subprocess.Popen[bytes]:
    """Start ``python args...`` in its own process group, output captured."""
    process = subprocess.Popen(
        [sys.executable, *args],
        cwd=cwd,
        env=subprocess_env(**env),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    processes.append(process)
    return process
