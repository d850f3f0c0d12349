"""never_cache and cache_control."""

from __future__ import annotations

from typing import Any

import pytest

from manouche.http import HttpResponse
from manouche.views.decorators.cache import cache_control, never_cache
from tests.middleware.helpers import make_request


def view(request: Any) -> HttpResponse:
    return HttpResponse()


async def async_view(request: Any) -> HttpResponse:
    return HttpResponse()


def directives(response: HttpResponse) -> set[str]:
    return set(response["Cache-Control"].split(", "))


NEVER = {"max-age=0", "no-cache", "no-store", "must-revalidate", "private"}


async def test_never_cache() -> None:
    assert directives(never_cache(view)(make_request())) == NEVER
    assert never_cache(view)(make_request()).has_header("Expires")
    assert directives(await never_cache(async_view)(make_request())) == NEVER


async def test_cache_control() -> None:
    decorator = cache_control(private=True, max_age=60)
    assert directives(decorator(view)(make_request())) == {"private", "max-age=60"}
    assert directives(await decorator(async_view)(make_request())) == {
        "private",
        "max-age=60",
    }


@pytest.mark.parametrize(
    ("decorator", "name"),
    [(never_cache, "never_cache"), (cache_control(), "cache_control")],
)
async def test_decorating_a_method_without_method_decorator_is_explained(
    decorator: Any, name: str
) -> None:
    class Thing:
        @decorator  # type: ignore[untyped-decorator]
        def get(self, request: Any) -> HttpResponse:
            return HttpResponse()

        @decorator  # type: ignore[untyped-decorator]
        async def aget(self, request: Any) -> HttpResponse:
            return HttpResponse()

    message = (
        f"{name} didn't receive an HttpRequest. If you are decorating a classmethod, "
        "be sure to use @method_decorator."
    )
    with pytest.raises(TypeError) as excinfo:
        Thing().get(make_request())
    assert str(excinfo.value) == message
    with pytest.raises(TypeError, match="didn't receive an HttpRequest"):
        await Thing().aget(make_request())
