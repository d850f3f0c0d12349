"""Hello-world request through each framework's full stack, in-process.

    .venv-bench/bin/python benchmarks/micro/hello_world.py [--requests N] [--rounds R]

Every app answers GET / with a small text body. manouche and Django run the
same middleware (Security, Common, XFrameOptions: what manouche's startproject
generates today). Competitors that are not installed are skipped. Ratios are
measured in this one process run.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Callable
from typing import Any

sys.path.insert(0, os.path.dirname(__file__))

from _asgi_driver import ASGIApp, time_app

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


def django_wsgi_as_asgi() -> Callable[[], float]:
    """Django's WSGI handler timed directly (it is sync; no ASGI adapter cost)."""
    _django_setup()
    return lambda: 0.0


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


def time_django_wsgi(requests: int, rounds: int) -> float:
    """Median µs per request through Django's WSGI handler."""
    import io
    import statistics
    import time

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

    for _ in range(200):
        once()
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(requests):
            once()
        samples.append((time.perf_counter() - start) / requests * 1e6)
    return statistics.median(samples)


async def main(requests: int, rounds: int) -> None:
    results: dict[str, float] = {}
    results["raw ASGI callable"] = await time_app(raw_asgi(), "/", requests, rounds)
    app = manouche_app(sync_view=False)
    results["manouche (async view)"] = await time_app(app, "/async", requests, rounds)
    results["manouche (sync view)"] = await time_app(app, "/", requests, rounds)
    try:
        fastapi = fastapi_app()
        results["FastAPI (async route)"] = await time_app(
            fastapi, "/", requests, rounds
        )
        results["FastAPI (sync route)"] = await time_app(
            fastapi, "/sync", requests, rounds
        )
    except ImportError:
        print("FastAPI not installed: skipped")
    try:
        results["Django ASGI (async view)"] = await time_app(
            django_asgi(), "/async", max(requests // 10, 50), rounds
        )
        results["Django ASGI (sync view)"] = await time_app(
            django_asgi(), "/", max(requests // 10, 50), rounds
        )
        results["Django WSGI handler"] = time_django_wsgi(requests, rounds)
    except ImportError:
        print("Django not installed: skipped")

    best_manouche = results["manouche (async view)"]
    print(f"{'app':<28}{'µs/request':>12}{'manouche async is':>22}")
    for name, micros in results.items():
        ratio = micros / best_manouche
        print(f"{name:<28}{micros:>12.1f}{ratio:>20.2f}x")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=5)
    options = parser.parse_args()
    asyncio.run(main(options.requests, options.rounds))
