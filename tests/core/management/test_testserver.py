"""testserver: a test database, its fixtures, then runserver without reloading."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest

from manouche.core.management import call_command
from manouche.core.management.commands.runserver import Command as RunserverCommand
from manouche.core.management.commands.testserver import Command as ServeFixturesCommand
from manouche.db import connection


@pytest.fixture
def calls() -> Any:
    """Record the test database creation, loaddata and runserver calls."""
    with (
        mock.patch.object(
            connection.creation, "create_test_db", return_value="test_db"
        ) as create,
        mock.patch(
            "manouche.core.management.commands.loaddata.Command.handle",
            return_value="",
        ) as loaddata,
        mock.patch.object(RunserverCommand, "handle", return_value="") as runserver,
    ):
        yield create, loaddata, runserver


def test_builds_the_database_loads_fixtures_and_serves(calls: Any) -> None:
    create, loaddata, runserver = calls
    call_command("testserver", "a.json", "b.json", "--addrport", "7000", "--noinput")
    create.assert_called_once_with(verbosity=1, autoclobber=True, serialize=False)
    assert loaddata.call_args.args == ("a.json", "b.json")
    options = runserver.call_args.kwargs
    assert options["addrport"] == "7000"
    assert options["use_reloader"] is False
    assert options["use_ipv6"] is False
    assert options["shutdown_message"] == (
        "\nServer stopped.\nNote that the test database, 'test_db', has not been "
        "deleted. You can explore it on your own."
    )


def test_interactive_by_default_and_no_fixtures_skips_loaddata(calls: Any) -> None:
    create, loaddata, runserver = calls
    call_command("testserver", "--ipv6")
    assert create.call_args.kwargs["autoclobber"] is False
    loaddata.assert_not_called()
    assert runserver.call_args.kwargs["use_ipv6"] is True
    assert runserver.call_args.kwargs["addrport"] == ""


def test_handle_receives_the_fixture_labels() -> None:
    with mock.patch.object(ServeFixturesCommand, "handle", return_value="") as handle:
        call_command("testserver", "blah.json")
    assert handle.call_args.args == ("blah.json",)
    assert handle.call_args.kwargs["interactive"] is True
