"""The implementations under test, how each is served and what it needs.

``family`` groups deployments of one framework: the report compares
manouche with each family's fastest deployment per test type.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from dataclasses import dataclass

from servers import gunicorn, manouche_serve

__all__ = ["FRAMEWORKS", "TESTS", "Framework", "Settings", "missing"]

UVICORN_WORKER = "uvicorn_worker.UvicornWorker"


@dataclass(frozen=True)
class Settings:
    """What the server command lines depend on."""

    workers: int
    django_threads: int


@dataclass(frozen=True)
class Framework:
    """One implementation behind one server."""

    key: str
    family: str
    label: str
    deployment: Callable[[Settings], str]
    command: Callable[[Settings], list[str]]
    app: str  # "module:attribute" driven in-process in smoke mode
    requires: tuple[str, ...]
    smoke: bool = True  # False for a second deployment of the same app


def _uvicorn_worker(settings: Settings) -> str:
    return (
        f"gunicorn -k {UVICORN_WORKER}, {settings.workers} workers (uvloop, httptools)"
    )


FRAMEWORKS: tuple[Framework, ...] = (
    Framework(
        key="manouche",
        family="manouche",
        label="manouche",
        deployment=_uvicorn_worker,
        command=lambda s: gunicorn(
            "manouche_project.asgi:application", s.workers, UVICORN_WORKER
        ),
        app="manouche_project.asgi:application",
        requires=("manouche",),
    ),
    Framework(
        key="manouche-serve",
        family="manouche",
        label="manouche (serve)",
        deployment=lambda s: f"manouche serve --workers {s.workers} (uvicorn)",
        command=lambda s: manouche_serve(s.workers),
        app="manouche_project.asgi:application",
        requires=("manouche", "uvicorn"),
        smoke=False,
    ),
    Framework(
        key="django",
        family="django",
        label="Django (WSGI)",
        deployment=lambda s: (
            f"gunicorn gthread, {s.workers} workers x {s.django_threads} threads, "
            "persistent connections"
        ),
        command=lambda s: gunicorn(
            "django_project.wsgi:application",
            s.workers,
            "gthread",
            "--threads",
            str(s.django_threads),
        ),
        app="django_project.asgi:application",
        requires=("django",),
    ),
    Framework(
        key="django-asgi",
        family="django",
        label="Django (ASGI)",
        deployment=lambda s: f"{_uvicorn_worker(s)}, psycopg pool",
        command=lambda s: gunicorn(
            "django_project.asgi:application", s.workers, UVICORN_WORKER
        ),
        app="django_project.asgi:application",
        requires=("django", "psycopg_pool"),
        smoke=False,
    ),
    Framework(
        key="fastapi",
        family="fastapi",
        label="FastAPI",
        deployment=_uvicorn_worker,
        command=lambda s: gunicorn("fastapi_app:app", s.workers, UVICORN_WORKER),
        app="fastapi_app:app",
        requires=("fastapi", "jinja2", "asyncpg"),
    ),
    Framework(
        key="raw",
        family="raw",
        label="raw ASGI",
        deployment=_uvicorn_worker,
        command=lambda s: gunicorn("raw_asgi:app", s.workers, UVICORN_WORKER),
        app="raw_asgi:app",
        requires=(),
    ),
)

# Test type -> request target (queries/updates take ``{queries}``).
TESTS: dict[str, str] = {
    "plaintext": "/plaintext",
    "json": "/json",
    "db": "/db",
    "queries": "/queries?queries={queries}",
    "fortunes": "/fortunes",
    "updates": "/updates?queries={queries}",
}


def missing(framework: Framework, *, served: bool) -> list[str]:
    """Name the modules ``framework`` needs that this interpreter lacks."""
    needed = list(framework.requires)
    if served:
        needed += (
            ["gunicorn", "uvicorn_worker", "asyncpg"]
            if framework.family
            in {
                "raw",
                "fastapi",
            }
            else ["gunicorn", "uvicorn_worker"]
        )
    return [name for name in needed if importlib.util.find_spec(name) is None]
