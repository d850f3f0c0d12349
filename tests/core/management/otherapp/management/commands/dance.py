"""Shadowed by testapp's dance when testapp is listed first."""

from __future__ import annotations

from typing import Any

from manouche.core.management.base import BaseCommand


class Command(BaseCommand):
    requires_system_checks: Any = []

    def handle(self, *args: Any, **options: Any) -> str:
        return "otherapp dance"
