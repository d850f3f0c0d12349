"""Micro-benchmark: URL resolution and reversal with a 500-pattern URLconf.

Run: ``python benchmarks/micro/url_resolution.py [iterations]``.

Each framework gets one ``bench_<framework>()`` function returning rows of
``(label, microseconds per call)``; add competitors (Django, once a benchmark
environment provides it) as new functions in ``FRAMEWORKS``. The linear-scan
baseline tries every pattern in order with one regex each, as Django does,
to show what the prefix index saves.
"""

from __future__ import annotations

import os
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

APPS = ("top", "shop", "api-v1", "api-v2", "tail")
PER_APP = 25  # 4 patterns each: static, int, slug, regex -> 100 per app

# first, middle, last, inside nested namespaced includes, and a 404
PATHS = {
    "first": "/top0/",
    "middle (shop int)": "/shop/item12/42/",
    "nested ns (api v2 slug)": "/api/v2/res24/some-slug/",
    "last (tail regex)": "/tail24/re/abc/",
    "404": "/no/such/page/",
}
REVERSES = {
    "static": ("static-0", (), None),
    "int in namespace": ("shop:int-12", (42,), None),
    "nested ns, current_app": ("api:slug-24", ("s",), "v2"),
}


def view(request: Any, *args: Any, **kwargs: Any) -> None:
    """The view every pattern points to."""


def timeit(func: Callable[[], Any], iterations: int) -> float:
    """Return microseconds per call of ``func``."""
    func()
    start = time.perf_counter()
    for _ in range(iterations):
        func()
    return (time.perf_counter() - start) / iterations * 1e6


# --- manouche ---------------------------------------------------------------


def build_urlconf(framework: str) -> list[Any]:
    """The same 500-pattern URLconf, built with ``manouche.urls`` or Django's."""
    urls = __import__(f"{framework}.urls", fromlist=["include", "path", "re_path"])
    include, path, re_path = urls.include, urls.path, urls.re_path

    def app(prefix: str) -> list[Any]:
        patterns: list[Any] = []
        for number in range(PER_APP):
            patterns += [
                path(f"{prefix}{number}/", view, name=f"static-{number}"),
                path(f"{prefix}{number}/<int:pk>/", view, name=f"int-{number}"),
                path(f"{prefix}{number}/<slug:slug>/", view, name=f"slug-{number}"),
                re_path(
                    rf"^{prefix}{number}/re/(?P<code>[a-z]{{3}})/$",
                    view,
                    name=f"re-{number}",
                ),
            ]
        return patterns

    api = [
        path("v1/", include((app("res"), "api"), namespace="v1")),
        path("v2/", include((app("res"), "api"), namespace="v2")),
    ]
    return [
        *app("top"),
        path("shop/", include((app("item"), "shop"), namespace="shop")),
        path("api/", include(api)),
        *app("tail"),
    ]


def bench_manouche(iterations: int) -> list[tuple[str, float]]:
    """Resolve and reverse with manouche's indexed resolver."""
    os.environ.setdefault("MANOUCHE_SETTINGS_MODULE", "tests.settings")
    import manouche

    manouche.setup(set_prefix=False)
    from manouche.urls import Resolver404, get_resolver, reverse

    return _bench_resolver(
        build_urlconf("manouche"), get_resolver, reverse, Resolver404, iterations
    )


def _bench_resolver(
    urlconf: list[Any],
    get_resolver: Any,
    reverse: Any,
    not_found: type[Exception],
    iterations: int,
) -> list[tuple[str, float]]:
    module = tuple_module(urlconf)
    resolver = get_resolver(module)
    rows = []
    for label, path_text in PATHS.items():

        def resolve_once(path_text: str = path_text) -> None:
            try:
                resolver.resolve(path_text)
            except not_found:
                pass

        rows.append((f"resolve {label}", timeit(resolve_once, iterations)))
    for label, (name, args, app) in REVERSES.items():

        def reverse_once(name: str = name, args: Any = args, app: Any = app) -> None:
            reverse(name, urlconf=module, args=args, current_app=app)

        rows.append((f"reverse {label}", timeit(reverse_once, iterations)))
    return rows


def bench_django(iterations: int) -> list[tuple[str, float]]:
    """Resolve and reverse with Django's resolver (bench-only dependency)."""
    from django.conf import settings

    if not settings.configured:
        settings.configure(SECRET_KEY="bench" * 10, ROOT_URLCONF=None)
        import django

        django.setup()
    from django.urls import Resolver404, get_resolver, reverse

    return _bench_resolver(
        build_urlconf("django"), get_resolver, reverse, Resolver404, iterations
    )


def tuple_module(urlpatterns: list[Any]) -> Any:
    """Wrap patterns in a module object, as a URLconf."""
    import types

    module = types.ModuleType("bench_urls")
    module.urlpatterns = urlpatterns  # type: ignore[attr-defined]
    return module


# --- linear-scan baseline ----------------------------------------------------


def build_linear_table() -> list[tuple[re.Pattern[str], Any]]:
    """A flat list of (compiled anchored regex, view): Django-style scanning."""
    table: list[tuple[re.Pattern[str], Any]] = []
    for app in APPS:
        prefix = {
            "top": "top",
            "shop": "shop/item",
            "api-v1": "api/v1/res",
            "api-v2": "api/v2/res",
            "tail": "tail",
        }[app]
        for number in range(PER_APP):
            base = re.escape(f"{prefix}{number}/")
            for suffix in ("", "(?P<pk>[0-9]+)/", "(?P<slug>[-a-zA-Z0-9_]+)/"):
                table.append((re.compile(f"^{base}{suffix}\\Z"), view))
            table.append((re.compile(f"^{base}re/(?P<code>[a-z]{{3}})/\\Z"), view))
    return table


def bench_linear(iterations: int) -> list[tuple[str, float]]:
    """Try every pattern in order, one regex each (no index)."""
    table = build_linear_table()

    def resolve(path_text: str) -> Any:
        path_text = path_text[1:]
        for regex, func in table:
            match = regex.match(path_text)
            if match:
                return func, match.groupdict()
        return None

    return [
        (f"resolve {label}", timeit(lambda p=path_text: resolve(p), iterations))
        for label, path_text in PATHS.items()
    ]


FRAMEWORKS: dict[str, Callable[[int], list[tuple[str, float]]]] = {
    "manouche": bench_manouche,
    "Django": bench_django,
    "linear-scan baseline": bench_linear,
}


def main() -> None:
    iterations = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    print(f"URL resolution, 500 patterns, {iterations} iterations (us per call)")
    results: dict[str, dict[str, float]] = {}
    for framework, bench in FRAMEWORKS.items():
        try:
            results[framework] = dict(bench(iterations))
        except ImportError:
            print(f"{framework} is not installed: skipped")
    names = list(results)
    header = "".join(f"{name:>22}" for name in names)
    print(f"{'case':<36}{header}{'Django / manouche':>20}")
    for label in results["manouche"]:
        cells = "".join(
            f"{results[name].get(label, float('nan')):>22.2f}" for name in names
        )
        ratio = ""
        if "Django" in results:
            ratio = f"{results['Django'][label] / results['manouche'][label]:>19.1f}x"
        print(f"{label:<36}{cells}{ratio}")


if __name__ == "__main__":
    main()
