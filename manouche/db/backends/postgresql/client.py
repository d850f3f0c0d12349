"""dbshell for PostgreSQL: psql, with the password in PGPASSWORD."""

from __future__ import annotations

import signal
from collections.abc import Sequence
from typing import Any, ClassVar

from manouche.db.backends.base.client import BaseDatabaseClient

__all__ = ["DatabaseClient"]

# OPTIONS keys that libpq reads from the environment.
_OPTION_ENVIRONMENT = {
    "service": "PGSERVICE",
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "passfile": "PGPASSFILE",
}


class DatabaseClient(BaseDatabaseClient):
    """Run ``psql [-U user] [-h host] [-p port] [parameters] [dbname]``."""

    executable_name: ClassVar[str | None] = "psql"

    @classmethod
    def settings_to_cmd_args_env(
        cls, settings_dict: dict[str, Any], parameters: Sequence[str]
    ) -> tuple[list[str], dict[str, str] | None]:
        """Return psql's argv and the PG* variables it needs."""
        options = settings_dict.get("OPTIONS") or {}
        host = settings_dict.get("HOST")
        port = settings_dict.get("PORT")
        dbname = settings_dict.get("NAME")
        user = settings_dict.get("USER")
        password = settings_dict.get("PASSWORD")
        service = options.get("service")
        if not dbname and not service:
            # Connect to the default 'postgres' database.
            dbname = "postgres"
        args = ["psql"]
        if user:
            args += ["-U", str(user)]
        if host:
            args += ["-h", str(host)]
        if port:
            args += ["-p", str(port)]
        args.extend(parameters)
        if dbname:
            args.append(str(dbname))
        env: dict[str, str] = {}
        if password:
            env["PGPASSWORD"] = str(password)
        for key, variable in _OPTION_ENVIRONMENT.items():
            if options.get(key):
                env[variable] = str(options[key])
        return args, env or None

    def runshell(self, parameters: Sequence[str]) -> None:
        """Let psql handle Ctrl-C (it cancels the query, not the shell)."""
        handler = signal.getsignal(signal.SIGINT)
        try:
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            super().runshell(parameters)
        finally:
            signal.signal(signal.SIGINT, handler)
