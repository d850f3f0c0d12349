"""version: print manouche's version."""

from __future__ import annotations

from typing import Any, ClassVar

import manouche
from manouche.core.management.base import BaseCommand

__all__ = ["Command"]


class Command(BaseCommand):
    """Print the version."""

    help = "Prints the manouche version."
    requires_system_checks: ClassVar[Any] = []

    def handle(self, *args: Any, **options: Any) -> str:
        return manouche.get_version()
