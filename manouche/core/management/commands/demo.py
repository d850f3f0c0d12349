"""demo: copy the demo project to a folder of yours and serve it.

``manouche demo [directory]`` copies the project shipped in ``manouche.demo``
(once; ``--refresh`` replaces it) and runs ``runserver`` on it in a child
process, so the demo's settings never mix with a project loaded here.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import webbrowser
from pathlib import Path
from typing import Any, ClassVar

import manouche
from manouche.core.management.base import BaseCommand, CommandError, CommandParser
from manouche.demo import PROJECT_DIR

__all__ = ["Command", "default_directory"]

VERSION_MARKER = ".manouche-version"


def default_directory() -> Path:
    """Return the per-user folder the demo is copied to by default."""
    if os.name == "nt":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "manouche" / "demo"


def copy_demo(target: Path) -> None:
    """Copy the demo project into ``target`` and record manouche's version."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copytree(
        PROJECT_DIR,
        target,
        dirs_exist_ok=True,
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
    )
    # project/__init__.py only marks package data; the copy is a plain folder.
    (target / "__init__.py").unlink(missing_ok=True)
    (target / VERSION_MARKER).write_text(
        manouche.get_version() + "\n", encoding="utf-8"
    )


def _wait_then_open(host: str, port: int, url: str, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, port), timeout=0.5):
                break
        except OSError:
            time.sleep(0.2)
    else:
        return
    webbrowser.open(url)


class Command(BaseCommand):
    """Create the demo project if needed, then serve it."""

    help = (
        "Copies manouche's demo project to a folder (once) and serves it on "
        "http://127.0.0.1:8000/."
    )
    requires_system_checks: ClassVar[Any] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "directory",
            nargs="?",
            help=f"Where the demo lives (default: {default_directory()}).",
        )
        parser.add_argument("--host", default="127.0.0.1", help="Default: 127.0.0.1.")
        parser.add_argument("--port", type=int, default=8000, help="Default: 8000.")
        parser.add_argument(
            "--noreload",
            action="store_false",
            dest="use_reloader",
            help="Don't restart the server when the demo's code changes.",
        )
        parser.add_argument(
            "--no-browser",
            action="store_false",
            dest="open_browser",
            help="Don't open the demo in a web browser.",
        )
        parser.add_argument(
            "--refresh",
            action="store_true",
            help="Replace an existing copy with this manouche's demo.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        target = Path(options.get("directory") or default_directory()).expanduser()
        target = target.resolve()
        self.prepare(target, refresh=bool(options.get("refresh")))
        host, port = (
            str(options.get("host", "127.0.0.1")),
            int(options.get("port", 8000)),
        )
        if not 0 < port < 65536:
            raise CommandError(f"{port!r} is not a valid port number.")
        shown_host = f"[{host}]" if ":" in host else host
        url = f"http://{shown_host}:{port}/"
        self.stdout.write(f"The manouche demo will be at {url}", self.style.SUCCESS)
        if options.get("open_browser", True):
            threading.Thread(
                target=_wait_then_open, args=(host, port, url), daemon=True
            ).start()
        self.run_server(
            target, f"{shown_host}:{port}", bool(options.get("use_reloader", True))
        )

    def prepare(self, target: Path, refresh: bool) -> None:
        """Copy the demo unless a copy is there; say so when it is out of date."""
        manage = target / "manage.py"
        if manage.exists() and not refresh:
            marker = target / VERSION_MARKER
            made_by = (
                marker.read_text(encoding="utf-8").strip() if marker.exists() else "?"
            )
            if made_by != manouche.get_version():
                self.stdout.write(
                    f"The demo in {target} was made by manouche {made_by}; run "
                    "'manouche demo --refresh' to replace it with this version's.",
                    self.style.NOTICE,
                )
            return
        if target.exists() and any(target.iterdir()) and not manage.exists():
            raise CommandError(
                f"{target} exists and is not a manouche demo; choose another directory."
            )
        copy_demo(target)
        self.stdout.write(f"Created the demo project in {target}")

    def run_server(self, target: Path, addrport: str, use_reloader: bool) -> None:
        """Migrate the copy's database, then run its ``runserver`` in a child."""
        manage = str(target / "manage.py")
        environment = {**os.environ, "MANOUCHE_SETTINGS_MODULE": "demo.settings"}
        migrated = subprocess.run(
            [sys.executable, manage, "migrate", "--noinput"],
            cwd=target,
            env=environment,
        )
        if migrated.returncode != 0:
            raise CommandError(
                "The demo's database could not be migrated.",
                returncode=migrated.returncode,
            )
        command = [sys.executable, manage, "runserver", addrport]
        if not use_reloader:
            command.append("--noreload")
        process = subprocess.Popen(command, cwd=target, env=environment)
        try:
            returncode = process.wait()
        except KeyboardInterrupt:
            # The child got the same CONTROL-C; give it a moment to stop cleanly.
            try:
                returncode = process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                returncode = process.wait()
        if returncode not in (0, -2, 130):
            raise CommandError(
                "The demo server stopped with an error.", returncode=returncode
            )
