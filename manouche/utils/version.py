"""Version helpers: PEP 440 strings from a version tuple, interpreter flags."""

from __future__ import annotations

import platform
import sys

__all__ = [
    "PY310",
    "PY311",
    "PY312",
    "PY313",
    "PY314",
    "PYPY",
    "get_complete_version",
    "get_docs_version",
    "get_main_version",
    "get_version",
    "get_version_tuple",
]

PYPY = platform.python_implementation() == "PyPy"
PY310 = sys.version_info >= (3, 10)
PY311 = sys.version_info >= (3, 11)
PY312 = sys.version_info >= (3, 12)
PY313 = sys.version_info >= (3, 13)
PY314 = sys.version_info >= (3, 14)

_Version = tuple[int, int, int, str, int]

_SUFFIXES = {"alpha": "a", "beta": "b", "rc": "rc"}


def get_complete_version(version: _Version | None = None) -> _Version:
    """Return ``version`` checked for shape, or manouche's own VERSION."""
    if version is None:
        from manouche import VERSION

        version = VERSION
    assert version is not None
    if len(version) != 5 or version[3] not in ("alpha", "beta", "rc", "final"):
        raise ValueError(f"Invalid version tuple: {version!r}")
    return version


def get_main_version(version: _Version | None = None) -> str:
    """Return "X.Y" or "X.Y.Z" (the micro part only when it is not zero)."""
    version = get_complete_version(version)
    parts = 2 if version[2] == 0 else 3
    return ".".join(str(part) for part in version[:parts])


def get_version(version: _Version | None = None) -> str:
    """Return a PEP 440 version string such as "1.2", "1.2.1" or "1.3a1"."""
    version = get_complete_version(version)
    main = get_main_version(version)
    if version[3] == "final":
        return main
    if version[3] == "alpha" and version[4] == 0:
        return f"{main}.dev0"
    return f"{main}{_SUFFIXES[version[3]]}{version[4]}"


def get_docs_version(version: _Version | None = None) -> str:
    """Return the documentation version: "X.Y" for releases, "dev" otherwise."""
    version = get_complete_version(version)
    if version[3] != "final":
        return "dev"
    return f"{version[0]}.{version[1]}"


def get_version_tuple(version: str) -> tuple[int, ...]:
    """Return the leading numeric components of a version string as a tuple."""
    numbers: list[int] = []
    for item in version.split("."):
        digits = ""
        for char in item:
            if not char.isdigit():
                break
            digits += char
        if not digits:
            break
        numbers.append(int(digits))
        if len(digits) != len(item):
            break
    return tuple(numbers)
