"""testserver: serve the project against a fresh test database loaded with fixtures.

``manouche testserver fixture [fixture ...] [--addrport PORT] [--ipv6] [--noinput]``
creates the test database (as the test runner would), loads the given fixtures
into it and hands over to ``runserver`` without the auto-reloader: a reload
would start a second process that knows nothing of the test database. The
test database is left in place afterwards so that it can be inspected.
"""

from __future__ import annotations

from typing import Any, ClassVar

from manouche.core.management import call_command
from manouche.core.management.base import BaseCommand, CommandParser
from manouche.db import connection

__all__ = ["Command"]


class Command(BaseCommand):
    """Run the development server on a test database built from fixtures."""

    help = "Runs a development server with data from the given fixture(s)."
    requires_system_checks: ClassVar[Any] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "args",
            metavar="fixture",
            nargs="*",
            help="Path(s) to fixtures to load before running the server.",
        )
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do NOT prompt the user for input of any kind.",
        )
        parser.add_argument(
            "--addrport",
            default="",
            help="Port number or ipaddr:port to run the server on.",
        )
        parser.add_argument(
            "--ipv6",
            "-6",
            action="store_true",
            dest="use_ipv6",
            help="Tells manouche to use an IPv6 address.",
        )

    def handle(self, *fixture_labels: str, **options: Any) -> None:
        verbosity = int(options["verbosity"])
        interactive = bool(options["interactive"])
        db_name = connection.creation.create_test_db(
            verbosity=verbosity, autoclobber=not interactive, serialize=False
        )
        if fixture_labels:
            call_command("loaddata", *fixture_labels, verbosity=verbosity)
        shutdown_message = (
            f"\nServer stopped.\nNote that the test database, {db_name!r}, has not "
            "been deleted. You can explore it on your own."
        )
        call_command(
            "runserver",
            addrport=options["addrport"],
            shutdown_message=shutdown_message,
            use_reloader=False,
            use_ipv6=bool(options["use_ipv6"]),
            use_threading=connection.features.test_db_allows_multiple_connections,
        )
