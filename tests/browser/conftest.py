"""Serve the demo project with uvicorn and drive it in headless Chromium.

Chromium comes from Debian's ``chromium`` package and Playwright drives it
through ``executable_path``: no browser download. Without either, the tests
skip with the reason, except under CI=true, where that fails the run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import free_port, wait_for_port

ROOT = Path(__file__).resolve().parents[2]
DEMO_PROJECT = ROOT / "manouche" / "demo" / "project"
CHROMIUM = os.environ.get("MANOUCHE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"browser tests cannot run under CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """A headless Chromium for one test module.

    Playwright's sync API keeps an event loop running in this thread while it
    is open, so it must close before other modules' async tests run.
    """
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install -e '.[dev]')")
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        _unavailable(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh page (own context: no cookies shared between tests)."""
    context = browser.new_context()
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Serve the demo with DEBUG on through uvicorn; yield its base URL."""
    port = free_port()
    log = tmp_path_factory.mktemp("demo") / "server.log"
    database = tmp_path_factory.mktemp("demo-db") / "db.sqlite3"
    env = {
        **os.environ,
        "PYTHONPATH": str(DEMO_PROJECT),
        "MANOUCHE_SETTINGS_MODULE": "demo.settings",
        "MANOUCHE_DEBUG": "true",
        "MANOUCHE_DATABASE_URL": f"sqlite:///{database}",
    }
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=DEMO_PROJECT,
        env=env,
        check=True,
        capture_output=True,
    )
    command = [
        sys.executable, "-m", "uvicorn", "demo.asgi:application",
        "--host", "127.0.0.1", "--port", str(port),
        "--log-level", "warning", "--no-access-log",
    ]  # fmt: skip
    with log.open("wb") as output:
        process = subprocess.Popen(
            command, cwd=DEMO_PROJECT, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        wait_for_port(port, process, log)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
