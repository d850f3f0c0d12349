"""dbshell for MariaDB/MySQL: the mariadb (or mysql) client, MYSQL_PWD set."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from typing import Any, ClassVar

from manouche.db.backends.base.client import BaseDatabaseClient

__all__ = ["DatabaseClient"]


class DatabaseClient(BaseDatabaseClient):
    """Run ``mysql [--user ...] [--host ...] [dbname] [parameters]``.

    The argv names ``mysql`` as Django's does; at run time the ``mariadb``
    program is used instead when only it is installed.
    """

    executable_name: ClassVar[str | None] = "mysql"

    @classmethod
    def settings_to_cmd_args_env(
        cls, settings_dict: dict[str, Any], parameters: Sequence[str]
    ) -> tuple[list[str], dict[str, str] | None]:
        """Return the client's argv and MYSQL_PWD (the password)."""
        options = settings_dict.get("OPTIONS") or {}
        database = options.get("database", options.get("db", settings_dict["NAME"]))
        user = options.get("user", settings_dict.get("USER"))
        password = options.get(
            "password", options.get("passwd", settings_dict.get("PASSWORD"))
        )
        host = options.get("host", settings_dict.get("HOST"))
        port = options.get("port", settings_dict.get("PORT"))
        ssl = options.get("ssl") or {}
        defaults_file = options.get("read_default_file")
        charset = options.get("charset")
        args = ["mysql"]
        if defaults_file:
            args.append(f"--defaults-file={defaults_file}")
        if user:
            args.append(f"--user={user}")
        if host:
            if "/" in str(host):
                args.append(f"--socket={host}")
            else:
                args.append(f"--host={host}")
        if port:
            args.append(f"--port={port}")
        for key in ("ca", "cert", "key"):
            if ssl.get(key):
                flag = f"--ssl-{key}"
                args.append(f"{flag}={ssl[key]}")
        if charset:
            args.append(f"--default-character-set={charset}")
        if database:
            args.append(str(database))
        args.extend(parameters)
        env = {"MYSQL_PWD": str(password)} if password else None
        return args, env

    def run_client(self, args: list[str], env: dict[str, str] | None) -> None:
        """Prefer ``mysql``; fall back to ``mariadb`` when only it exists."""
        if shutil.which(args[0]) is None and shutil.which("mariadb") is not None:
            args = ["mariadb", *args[1:]]
        super().run_client(args, env)
