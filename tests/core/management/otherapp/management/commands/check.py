"""An app command overriding a core one."""

from __future__ import annotations

from typing import Any

from manouche.core.management.base import BaseCommand


class Command(BaseCommand):
    requires_system_checks: Any = []

    def handle(self, *args: Any, **options: Any) -> str:
        return "overridden check"
