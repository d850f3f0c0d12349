"""The system check framework: find configuration mistakes before serving.

Importing this package registers manouche's built-in checks.
"""

from __future__ import annotations

import manouche.core.checks.files
import manouche.core.checks.model_checks
import manouche.core.checks.security.base
import manouche.core.checks.urls  # noqa: F401 - registers the checks
from manouche.core.checks.messages import (
    CRITICAL,
    DEBUG,
    ERROR,
    INFO,
    WARNING,
    CheckMessage,
    Critical,
    Debug,
    Error,
    Info,
    Warning,
)
from manouche.core.checks.registry import (
    CheckRegistry,
    Tags,
    register,
    run_checks,
    tag_exists,
)

__all__ = [
    "CRITICAL",
    "DEBUG",
    "ERROR",
    "INFO",
    "WARNING",
    "CheckMessage",
    "CheckRegistry",
    "Critical",
    "Debug",
    "Error",
    "Info",
    "Tags",
    "Warning",
    "register",
    "run_checks",
    "tag_exists",
]
