"""dbshell: open the database's command-line client with the project settings."""

from __future__ import annotations

import subprocess
from typing import Any, ClassVar

from manouche.core.management.base import BaseCommand, CommandError, CommandParser
from manouche.db import DEFAULT_DB_ALIAS, connections

__all__ = ["Command"]


class Command(BaseCommand):
    """Run sqlite3, psql or mariadb/mysql for a configured database."""

    help = (
        "Runs the command-line client for specified database, or the default "
        "database if none is provided."
    )
    requires_system_checks: ClassVar[Any] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help="Nominates a database onto which to open a shell. Defaults to "
            'the "default" database.',
        )
        parameters = parser.add_argument_group("parameters", prefix_chars="--")
        parameters.add_argument("parameters", nargs="*")

    def handle(self, **options: Any) -> None:
        database = options["database"]
        if database not in connections:
            raise CommandError(f"The database '{database}' is not configured.")
        client = connections[database].client
        try:
            client.runshell(options["parameters"])
        except FileNotFoundError:
            raise CommandError(
                f"You appear not to have the {client.executable_name!r} program "
                "installed or on your path."
            ) from None
        except subprocess.CalledProcessError as exc:
            raise CommandError(
                f'"{" ".join(exc.cmd)}" returned non-zero exit status '
                f"{exc.returncode}.",
                returncode=exc.returncode,
            ) from exc
        except NotImplementedError as exc:
            raise CommandError(str(exc)) from exc
