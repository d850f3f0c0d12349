"""dbshell: the client's argv and environment, and running the real clients."""

from __future__ import annotations

import pytest

from manouche.core.management import call_command
from manouche.core.management.base import CommandError
from manouche.db.backends.mysql.client import DatabaseClient as MySQLClient
from manouche.db.backends.postgresql.client import DatabaseClient as PostgreSQLClient
from manouche.db.backends.sqlite3.client import DatabaseClient as SQLiteClient
from tests.db.conftest import DatabaseFixture


def test_sqlite_arguments() -> None:
    assert SQLiteClient.settings_to_cmd_args_env({"NAME": "/tmp/db.sqlite3"}, []) == (
        ["sqlite3", "/tmp/db.sqlite3"],
        None,
    )
    assert SQLiteClient.settings_to_cmd_args_env({"NAME": "x"}, ["-json"]) == (
        ["sqlite3", "x", "-json"],
        None,
    )


def test_postgresql_arguments_and_environment() -> None:
    settings = {
        "NAME": "shop",
        "USER": "me",
        "PASSWORD": "s3cret",
        "HOST": "db.local",
        "PORT": 5433,
        "OPTIONS": {"sslmode": "require", "passfile": "~/.pgpass"},
    }
    args, env = PostgreSQLClient.settings_to_cmd_args_env(settings, ["-c", "select"])
    assert args == ["psql", "-U", "me", "-h", "db.local", "-p", "5433", "-c",
                    "select", "shop"]  # fmt: skip
    assert env == {
        "PGPASSWORD": "s3cret",
        "PGSSLMODE": "require",
        "PGPASSFILE": "~/.pgpass",
    }
    assert "s3cret" not in args


def test_postgresql_defaults_to_the_postgres_database() -> None:
    assert PostgreSQLClient.settings_to_cmd_args_env({"NAME": ""}, []) == (
        ["psql", "postgres"],
        None,
    )
    args, env = PostgreSQLClient.settings_to_cmd_args_env(
        {"NAME": "", "OPTIONS": {"service": "main"}}, []
    )
    assert (args, env) == (["psql"], {"PGSERVICE": "main"})


def test_mysql_arguments_and_environment() -> None:
    settings = {
        "NAME": "shop",
        "USER": "me",
        "PASSWORD": "s3cret",
        "HOST": "db.local",
        "PORT": "3307",
        "OPTIONS": {"charset": "utf8mb4", "ssl": {"ca": "/ca.pem"}},
    }
    args, env = MySQLClient.settings_to_cmd_args_env(settings, ["-e", "select 1"])
    assert args == [
        "mysql",
        "--user=me",
        "--host=db.local",
        "--port=3307",
        "--ssl-ca=/ca.pem",
        "--default-character-set=utf8mb4",
        "shop",
        "-e",
        "select 1",
    ]
    assert env == {"MYSQL_PWD": "s3cret"}
    socket, _ = MySQLClient.settings_to_cmd_args_env(
        {"NAME": "x", "HOST": "/run/mysqld.sock", "OPTIONS": {"database": "y"}}, []
    )
    assert socket == ["mysql", "--socket=/run/mysqld.sock", "y"]


QUERY = {"sqlite": [], "postgresql": ["-At", "-c"], "mariadb": ["-N", "-e"]}


def test_runs_the_real_client(
    database: DatabaseFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    query = "select 40 + 2;"
    call_command("dbshell", "--", *QUERY[database.name], query)
    assert capfd.readouterr().out.strip() == "42"


def test_client_failure_is_a_command_error(database: DatabaseFixture) -> None:
    with pytest.raises(CommandError, match="returned non-zero exit status"):
        call_command("dbshell", "--", *QUERY[database.name], "bogus statement;")


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_missing_client_is_a_command_error(
    database: DatabaseFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", "")
    with pytest.raises(
        CommandError, match="You appear not to have the 'sqlite3' program installed"
    ):
        call_command("dbshell")


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_unknown_alias(database: DatabaseFixture) -> None:
    with pytest.raises(CommandError, match="The database 'nope' is not configured"):
        call_command("dbshell", database="nope")
