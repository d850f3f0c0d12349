"""Helpers shared by management commands: processes, executables, secret keys."""

from __future__ import annotations

import fnmatch
import os
import secrets
import shutil
import subprocess
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TextIO

from manouche.core.management.base import CommandError

__all__ = [
    "find_command",
    "get_command_line_option",
    "get_random_secret_key",
    "handle_extensions",
    "is_ignored_path",
    "normalize_path_patterns",
    "popen_wrapper",
    "run_formatters",
]

_SECRET_KEY_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)"


def popen_wrapper(
    args: Sequence[str], stdout_encoding: str = "utf-8"
) -> tuple[str, str, int]:
    """Run ``args``; return (stdout, stderr, returncode), CommandError on OSError."""
    try:
        process = subprocess.run(
            list(args), capture_output=True, close_fds=os.name != "nt", check=False
        )
    except OSError as error:
        raise CommandError(f"Error executing {args[0]}") from error
    return (
        process.stdout.decode(stdout_encoding),
        process.stderr.decode(stdout_encoding, errors="replace"),
        process.returncode,
    )


def find_command(
    cmd: str, path: str | Iterable[str] | None = None, pathext: str | None = None
) -> str | None:
    """Return the full path of the executable ``cmd`` on ``path`` (PATH by default)."""
    if path is not None and not isinstance(path, str):
        path = os.pathsep.join(path)
    return shutil.which(cmd, path=path)


def get_random_secret_key() -> str:
    """Return a 50-character random string fit for SECRET_KEY."""
    return "".join(secrets.choice(_SECRET_KEY_CHARS) for _ in range(50))


def handle_extensions(extensions: Iterable[str]) -> set[str]:
    """Normalise ``-e`` values (``"py,txt"``, ``"html"``) into ``{".py", ...}``."""
    names: list[str] = []
    for extension in extensions:
        names.extend(extension.replace(" ", "").split(","))
    return {name if name.startswith(".") else f".{name}" for name in names if name}


def get_command_line_option(argv: list[str], option: str) -> str | None:
    """Return the value of ``option`` in ``argv`` (program, command, args), or None."""
    from manouche.core.management.base import CommandParser

    parser = CommandParser(add_help=False)
    parser.add_argument(option, dest="value")
    try:
        options, _ = parser.parse_known_args(argv[2:])
    except CommandError:
        return None
    value = options.value
    return None if value is None else str(value)


def normalize_path_patterns(patterns: Iterable[str]) -> list[str]:
    """Case-normalise ignore patterns; ``dir/*`` becomes ``dir`` (the folder itself).

    Ignoring everything inside a folder means ignoring the folder: walkers
    can then prune it instead of visiting every file below it.
    """
    normalized = []
    for pattern in patterns:
        for suffix in ("/*", os.sep + "*"):
            if pattern.endswith(suffix):
                pattern = pattern.removesuffix(suffix)
                break
        normalized.append(os.path.normcase(pattern))
    return normalized


def is_ignored_path(
    path: str | os.PathLike[str], ignore_patterns: Iterable[str]
) -> bool:
    """Whether ``path``, or its last component, matches one of the glob patterns."""
    candidate = Path(path)
    whole, name = str(candidate), candidate.name
    return any(
        fnmatch.fnmatchcase(name, pattern) or fnmatch.fnmatchcase(whole, pattern)
        for pattern in normalize_path_patterns(ignore_patterns)
    )


def run_formatters(
    written_files: Iterable[str | os.PathLike[str]],
    black_path: str | None = None,
    stderr: TextIO | None = None,
) -> None:
    """Format generated Python files with black when it is installed.

    Formatting is a courtesy: a formatter that cannot be launched is reported
    on ``stderr`` and the command that wrote the files still succeeds.
    """
    stderr = sys.stderr if stderr is None else stderr
    black_path = black_path or shutil.which("black")
    if not black_path:
        return
    try:
        subprocess.run(
            [black_path, "--fast", "--", *map(str, written_files)],
            capture_output=True,
            check=False,
        )
    except OSError as exc:
        stderr.write(f"Formatters failed to launch: {type(exc).__qualname__}: {exc}\n")
