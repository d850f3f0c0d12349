"""Read settings from environment variables: secrets, flags, lists, database URLs.

from manouche.conf.env import env, env_bool, env_list, database_url

SECRET_KEY = env("MANOUCHE_SECRET_KEY")
DEBUG = env_bool("MANOUCHE_DEBUG", default=False)
ALLOWED_HOSTS = env_list("MANOUCHE_ALLOWED_HOSTS", default=["localhost"])
DATABASES = {"default": database_url(env("DATABASE_URL", "sqlite:///db.sqlite3"))}
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from manouche.core.exceptions import ImproperlyConfigured

__all__ = ["database_url", "env", "env_bool", "env_int", "env_list"]

_MISSING: Any = object()

_ENGINES = {
    "sqlite": "manouche.db.backends.sqlite3",
    "sqlite3": "manouche.db.backends.sqlite3",
    "postgres": "manouche.db.backends.postgresql",
    "postgresql": "manouche.db.backends.postgresql",
    "pgsql": "manouche.db.backends.postgresql",
    "mysql": "manouche.db.backends.mysql",
    "mariadb": "manouche.db.backends.mysql",
}
_TRUE = {"1", "true", "yes", "on", "y", "t"}
_FALSE = {"0", "false", "no", "off", "n", "f", ""}


def env(name: str, default: Any = _MISSING) -> Any:
    """Return the environment variable ``name``; without a default it is required."""
    value = os.environ.get(name)
    if value is None:
        if default is _MISSING:
            raise ImproperlyConfigured(f"Set the {name} environment variable.")
        return default
    return value


def env_bool(name: str, default: Any = _MISSING) -> bool:
    """Read a boolean: 1/true/yes/on or 0/false/no/off, case-insensitive."""
    value = env(name, default)
    if isinstance(value, bool):
        return value
    lowered = str(value).strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"The {name} environment variable must be a boolean, not {value!r}."
    )


def env_int(name: str, default: Any = _MISSING) -> int:
    """Read an integer."""
    value = env(name, default)
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ImproperlyConfigured(
            f"The {name} environment variable must be an integer, not {value!r}."
        ) from None


def env_list(name: str, default: Any = _MISSING, separator: str = ",") -> list[str]:
    """Read a list of strings separated by ``separator`` (blank items dropped)."""
    value = env(name, default)
    if isinstance(value, list | tuple):
        return list(value)
    return [item.strip() for item in str(value).split(separator) if item.strip()]


def database_url(url: str, **overrides: Any) -> dict[str, Any]:
    """Turn a database URL into a ``DATABASES`` entry.

    ``sqlite:///relative.db``, ``sqlite:////absolute.db``, ``sqlite://:memory:``,
    ``postgresql://user:pass@host:5432/name?sslmode=require``,
    ``mysql://root@127.0.0.1:3306/name``; query parameters become OPTIONS.
    """
    parts = urlsplit(url)
    scheme = parts.scheme.split("+", 1)[0].lower()
    if scheme not in _ENGINES:
        raise ImproperlyConfigured(
            f"Unsupported database URL scheme {parts.scheme!r}; "
            f"use one of {', '.join(sorted(_ENGINES))}."
        )
    engine = _ENGINES[scheme]
    options: dict[str, Any] = dict(parse_qsl(parts.query))
    if engine.endswith("sqlite3"):
        if parts.netloc == ":memory:" or parts.path in ("", "/", "/:memory:"):
            name = ":memory:"
        else:
            name = unquote(parts.path[1:] if parts.path.startswith("/") else parts.path)
        config: dict[str, Any] = {"ENGINE": engine, "NAME": name}
    else:
        config = {
            "ENGINE": engine,
            "NAME": unquote(parts.path.lstrip("/")),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
        }
    conn_max_age = options.pop("conn_max_age", None)
    if conn_max_age is not None:
        config["CONN_MAX_AGE"] = int(conn_max_age)
    if options:
        config["OPTIONS"] = options
    config.update(overrides)
    return config
