"""Hello-world request through each framework's full stack, in-process.

    .venv-bench/bin/python benchmarks/micro/hello_world.py [--requests N] [--rounds R]

Every app answers GET / with a small text body. manouche and Django run the
same middleware (Security, Common, XFrameOptions: what manouche's startproject
generates today). Competitors that are not installed are skipped. Ratios are
measured in this one process run.

Rounds are interleaved (every app once per round), so a busy spell of the
machine falls on all of them. Two figures per app: the median wall-clock time
of a request, and the lowest process CPU time (every thread, so the thread
hops of sync views count), which other processes on the machine disturb less.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from typing import Any

sys.path.insert(0, os.path.dirname(__file__))

from _asgi_driver import ASGIApp, call_once, http_scope

MIDDLEWARE = ["SecurityMiddleware", "CommonMiddleware", "XFrameOptionsMiddleware"]
_PATHS = {
    "SecurityMiddleware": "middleware.security",
    "CommonMiddleware": "middleware.common",
    "XFrameOptionsMiddleware": "middleware.clickjacking",
}


def raw_asgi() -> ASGIApp:
    """A framework-less ASGI callable: the floor."""

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", b"text/plain"),
                    (b"content-length", b"13"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": b"Hello, world!"})

    return app


def _urlconf_module(name: str, patterns: list[Any]) -> str:
    import types

    module = types.ModuleType(name)
    module.urlpatterns = patterns  # type: ignore[attr-defined]
    sys.modules[name] = module
    return name


def manouche_app(sync_view: bool) -> ASGIApp:
    """manouche's ASGI handler with the default middleware."""
    from manouche.conf import settings

    if not settings.configured:
        settings.configure(
            SECRET_KEY="bench" * 10,
            DEBUG=False,
            ALLOWED_HOSTS=["localhost"],
            ROOT_URLCONF="bench_manouche_urls",
            MIDDLEWARE=[f"manouche.{_PATHS[name]}.{name}" for name in MIDDLEWARE],
        )
        import manouche

        manouche.setup()
    from manouche.core.handlers.asgi import ASGIHandler
    from manouche.http import HttpResponse
    from manouche.urls import path

    def sync_hello(request: Any) -> Any:
        return HttpResponse(b"Hello, world!", content_type="text/plain")

    async def async_hello(request: Any) -> Any:
        return HttpResponse(b"Hello, world!", content_type="text/plain")

    _urlconf_module(
        "bench_manouche_urls", [path("", sync_hello), path("async", async_hello)]
    )
    return ASGIHandler()


def _django_setup() -> None:
    from django.conf import settings

    if not settings.configured:
        settings.configure(
            SECRET_KEY="bench" * 10,
            DEBUG=False,
            ALLOWED_HOSTS=["localhost"],
            ROOT_URLCONF="bench_django_urls",
            MIDDLEWARE=[f"django.{_PATHS[name]}.{name}" for name in MIDDLEWARE],
        )
        import django

        django.setup()
        from django.http import HttpResponse
        from django.urls import path

        def hello(request: Any) -> Any:
            return HttpResponse(b"Hello, world!", content_type="text/plain")

        async def async_hello(request: Any) -> Any:
            return HttpResponse(b"Hello, world!", content_type="text/plain")

        _urlconf_module(
            "bench_django_urls", [path("", hello), path("async", async_hello)]
        )


def django_asgi() -> ASGIApp:
    """Django's ASGI handler, same middleware."""
    _django_setup()
    from django.core.handlers.asgi import ASGIHandler

    return ASGIHandler()


def fastapi_app() -> ASGIApp:
    """FastAPI with a plain-text route."""
    from fastapi import FastAPI
    from fastapi.responses import PlainTextResponse

    app = FastAPI()

    @app.get("/", response_class=PlainTextResponse)
    async def hello() -> str:
        return "Hello, world!"

    @app.get("/sync", response_class=PlainTextResponse)
    def sync_hello() -> str:  # FastAPI runs plain functions on a thread pool
        return "Hello, world!"

    return app  # type: ignore[return-value]


def django_wsgi_once() -> Callable[[], None]:
    """Return a callable running one request through Django's WSGI handler."""
    import io

    _django_setup()
    from django.core.handlers.wsgi import WSGIHandler

    handler = WSGIHandler()
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/",
        "QUERY_STRING": "",
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "localhost",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "SERVER_PROTOCOL": "HTTP/1.1",
    }

    def start_response(status: str, headers: Any) -> None:
        return None

    def once() -> None:
        response = handler(dict(environ), start_response)
        b"".join(response)
        response.close()

    return once


class Case:
    """One row: how to run a batch of requests, and the samples taken."""

    def __init__(
        self, name: str, batch: Callable[[int], Awaitable[None]], requests: int
    ) -> None:
        self.name = name
        self.batch = batch
        self.requests = requests
        self.wall: list[float] = []
        self.cpu: list[float] = []

    async def sample(self) -> None:
        wall, cpu = time.perf_counter(), time.process_time()
        await self.batch(self.requests)
        self.wall.append((time.perf_counter() - wall) / self.requests * 1e6)
        self.cpu.append((time.process_time() - cpu) / self.requests * 1e6)


def asgi_batch(app: ASGIApp, path: str) -> Callable[[int], Awaitable[None]]:
    scope = http_scope(path)

    async def batch(count: int) -> None:
        for _ in range(count):
            status = await call_once(app, scope)
        if status != 200:
            raise RuntimeError(f"{path} answered {status}")

    return batch


def sync_batch(once: Callable[[], None]) -> Callable[[int], Awaitable[None]]:
    async def batch(count: int) -> None:
        for _ in range(count):
            once()

    return batch


async def main(requests: int, rounds: int) -> None:
    few = max(requests // 10, 50)  # Django's ASGI handler is much slower
    cases = [Case("raw ASGI callable", asgi_batch(raw_asgi(), "/"), requests)]
    app = manouche_app(sync_view=False)
    cases.append(Case("manouche (async view)", asgi_batch(app, "/async"), requests))
    cases.append(Case("manouche (sync view)", asgi_batch(app, "/"), requests))
    try:
        fastapi = fastapi_app()
        cases.append(Case("FastAPI (async route)", asgi_batch(fastapi, "/"), requests))
        cases.append(
            Case("FastAPI (sync route)", asgi_batch(fastapi, "/sync"), requests)
        )
    except ImportError:
        print("FastAPI not installed: skipped")
    try:
        django = django_asgi()
        wsgi = sync_batch(django_wsgi_once())
        cases.append(
            Case("Django ASGI (async view)", asgi_batch(django, "/async"), few)
        )
        cases.append(Case("Django ASGI (sync view)", asgi_batch(django, "/"), few))
        cases.append(Case("Django WSGI handler", wsgi, requests))
    except ImportError:
        print("Django not installed: skipped")

    for case in cases:  # warm-up, and a check that every app answers
        await case.batch(min(200, case.requests))
    # Rounds are interleaved, so a busy spell of the machine hits every app.
    for _ in range(rounds):
        for case in cases:
            await case.sample()

    reference = cases[1]
    wall_reference = statistics.median(reference.wall)
    cpu_reference = min(reference.cpu)
    print(
        f"{'app':<26}{'wall µs':>9}{'ratio':>8}{'CPU µs':>9}{'ratio':>8}"
        "   (ratio: this app / manouche async)"
    )
    for case in cases:
        wall = statistics.median(case.wall)
        cpu = min(case.cpu)
        print(
            f"{case.name:<26}{wall:>9.1f}{wall / wall_reference:>7.2f}x"
            f"{cpu:>9.1f}{cpu / cpu_reference:>7.2f}x"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=5)
    options = parser.parse_args()
    asyncio.run(main(options.requests, options.rounds))
