#!/usr/bin/env python
"""The command-line utility of the demo project: ``python manage.py runserver``."""

from __future__ import annotations

import os
import sys


def main() -> None:
    """Run a management command with the demo's settings."""
    os.environ.setdefault("MANOUCHE_SETTINGS_MODULE", "demo.settings")
    from manouche.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
