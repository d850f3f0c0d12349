"""The database's own command-line client, as run by ``dbshell``.

Each backend's ``client.py`` turns the connection settings into the client's
arguments and environment (passwords travel in the environment, never on
the command line where other users could read them).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from typing import Any, ClassVar

__all__ = ["BaseDatabaseClient", "client_for"]


class BaseDatabaseClient:
    """Run the backend's command-line client with the connection's settings."""

    executable_name: ClassVar[str | None] = None

    def __init__(self, connection: Any) -> None:
        self.connection = connection

    @classmethod
    def settings_to_cmd_args_env(
        cls, settings_dict: dict[str, Any], parameters: Sequence[str]
    ) -> tuple[list[str], dict[str, str] | None]:
        """Return (argv, extra environment) for ``settings_dict``."""
        raise NotImplementedError(
            "subclasses of BaseDatabaseClient must provide a "
            "settings_to_cmd_args_env() method or override a runshell()."
        )

    def runshell(self, parameters: Sequence[str]) -> None:
        """Run the client in the foreground; raise CalledProcessError on failure."""
        args, env = self.settings_to_cmd_args_env(
            self.connection.settings_dict, parameters
        )
        self.run_client(args, env)

    def run_client(self, args: list[str], env: dict[str, str] | None) -> None:
        """Run ``args`` (no shell) with ``env`` added to this environment."""
        environment = {**os.environ, **env} if env else None
        subprocess.run(args, env=environment, check=True)


def client_for(connection: Any) -> BaseDatabaseClient:
    """Return the ``DatabaseClient`` of ``connection``'s backend package."""
    import importlib

    package = type(connection).__module__.rpartition(".")[0]
    try:
        module = importlib.import_module(f"{package}.client")
    except ImportError:
        return BaseDatabaseClient(connection)
    client: BaseDatabaseClient = module.DatabaseClient(connection)
    return client
