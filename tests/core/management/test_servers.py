"""runserver, serve and demo as real processes on a free loopback port."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from manouche.core.management import call_command
from manouche.core.management.base import CommandError
from manouche.core.management.commands.runserver import Command as RunserverCommand

from .conftest import free_port, start, wait_for_http


@pytest.mark.parametrize(
    ("addrport", "ipv6", "expected"),
    [
        (None, False, ("127.0.0.1", "8000", "http://127.0.0.1:8000/")),
        ("9000", False, ("127.0.0.1", "9000", "http://127.0.0.1:9000/")),
        ("0.0.0.0:80", False, ("0.0.0.0", "80", "http://0.0.0.0:80/")),
        ("0:8001", False, ("0.0.0.0", "8001", "http://0.0.0.0:8001/")),
        ("[::1]:8002", False, ("::1", "8002", "http://[::1]:8002/")),
        (None, True, ("::1", "8000", "http://[::1]:8000/")),
        ("localhost:8003", False, ("localhost", "8003", "http://localhost:8003/")),
    ],
)
def test_runserver_addrport(
    addrport: str | None, ipv6: bool, expected: tuple[str, str, str]
) -> None:
    command = RunserverCommand()
    command.parse_addrport(addrport, ipv6)
    assert (command.addr, command.port, command.display_url) == expected


@pytest.mark.parametrize(
    ("addrport", "message"),
    [
        ("abc:def", '"abc:def" is not a valid port number or address:port pair.'),
        ("70000", "'70000' is not a valid port number."),
        ("[::1:", '"[::1:" is not a valid port number or address:port pair.'),
    ],
)
def test_runserver_bad_addrport(addrport: str, message: str) -> None:
    with pytest.raises(CommandError) as excinfo:
        RunserverCommand().parse_addrport(addrport, False)
    assert str(excinfo.value) == message


def test_runserver_refuses_production_without_allowed_hosts() -> None:
    from manouche.test.utils import override_settings

    with (
        override_settings(DEBUG=False, ALLOWED_HOSTS=[]),
        pytest.raises(CommandError, match=r"You must set settings.ALLOWED_HOSTS"),
    ):
        call_command("runserver", "--noreload")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    old = Path.cwd()
    os.chdir(tmp_path)
    try:
        call_command("startproject", "site_e2e")
    finally:
        os.chdir(old)
    return tmp_path / "site_e2e"


def stop(process: subprocess.Popen[bytes]) -> str:
    os.killpg(process.pid, 2)
    try:
        output, _ = process.communicate(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, 9)
        output, _ = process.communicate(timeout=5)
    return output.decode()


@pytest.mark.e2e
@pytest.mark.parametrize("reload", [True, False])
def test_runserver_serves_the_generated_project(
    project: Path, spawn: list[subprocess.Popen[bytes]], reload: bool
) -> None:
    port = free_port()
    args = ["manage.py", "runserver", str(port)] + ([] if reload else ["--noreload"])
    process = start(spawn, args, project)
    status, _ = wait_for_http(port, "/missing/")
    assert status == 404
    output = stop(process)
    assert f"Starting ASGI server at http://127.0.0.1:{port}/" in output
    assert "Quit the server with CONTROL-C." in output
    assert "System check identified no issues (0 silenced)." in output
    assert '"GET /missing/ HTTP/1.1" 404' in output


@pytest.mark.e2e
def test_serve_runs_workers(
    project: Path, spawn: list[subprocess.Popen[bytes]]
) -> None:
    port = free_port()
    process = start(
        spawn,
        ["manage.py", "serve", "--port", str(port), "--workers", "2"],
        project,
        MANOUCHE_DEBUG="false",
        MANOUCHE_ALLOWED_HOSTS="127.0.0.1",
        MANOUCHE_SECRET_KEY="s" * 10 + "0123456789abcdefghijklmnopqrstuvwxyz",
    )
    status, _ = wait_for_http(port, "/nothing/")
    assert status == 404
    output = stop(process)
    assert f"at http://127.0.0.1:{port}/ with 2 worker(s)" in output
    assert '"GET /nothing/ HTTP/1.1" 404' in output


@pytest.mark.e2e
def test_demo_copies_and_serves(
    tmp_path: Path, spawn: list[subprocess.Popen[bytes]]
) -> None:
    port = free_port()
    target = tmp_path / "demo-copy"
    process = start(
        spawn,
        [
            "-m",
            "manouche",
            "demo",
            str(target),
            "--port",
            str(port),
            "--no-browser",
            "--noreload",
        ],
        tmp_path,
    )
    status, body = wait_for_http(port, "/api/status/")
    assert status == 200
    assert json.loads(body)["framework"] == "manouche"
    status, body = wait_for_http(port, "/")
    assert status == 200
    assert b"is running" in body
    output = stop(process)
    assert f"The manouche demo will be at http://127.0.0.1:{port}/" in output
    assert (target / "manage.py").exists()
    assert (target / "demo" / "views.py").exists()
    assert not (target / "__init__.py").exists()


def test_serve_builds_the_supervisor_of_old_and_new_uvicorn_releases() -> None:
    from manouche.core.management.commands.serve import _supervisor

    class Config:
        def load(self) -> None:
            pass

    class NewStyle:
        def __init__(self, config: object, sockets: list[object]) -> None:
            self.args = (config, sockets)

    class OldStyle:
        def __init__(
            self, config: object, target: object, sockets: list[object]
        ) -> None:
            self.args = (config, target, sockets)

    config = Config()
    assert _supervisor(NewStyle, config, "sock").args == (config, ["sock"])
    old = _supervisor(OldStyle, config, "sock").args
    assert old[0] is config
    assert callable(old[1])
    assert old[2] == ["sock"]
