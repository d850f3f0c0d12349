"""Run the management utility: ``python -m manouche <command>``."""

from __future__ import annotations

from manouche.core import management

if __name__ == "__main__":
    management.execute_from_command_line()
