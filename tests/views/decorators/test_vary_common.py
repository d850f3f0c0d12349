"""vary_on_headers, vary_on_cookie and no_append_slash."""

from __future__ import annotations

from typing import Any

from manouche.http import HttpResponse
from manouche.utils.asyncio import iscoroutinefunction
from manouche.views.decorators.common import no_append_slash
from manouche.views.decorators.vary import vary_on_cookie, vary_on_headers
from tests.middleware.helpers import make_request


def view(request: Any) -> HttpResponse:
    return HttpResponse()


async def async_view(request: Any) -> HttpResponse:
    return HttpResponse()


async def test_vary_on_headers() -> None:
    decorator = vary_on_headers("Accept-Language", "Cookie")
    assert decorator(view)(make_request())["Vary"] == "Accept-Language, Cookie"
    assert (await decorator(async_view)(make_request()))[
        "Vary"
    ] == "Accept-Language, Cookie"


async def test_vary_on_cookie_extends_existing_vary() -> None:
    def own(request: Any) -> HttpResponse:
        response = HttpResponse()
        response["Vary"] = "Accept-Encoding"
        return response

    assert vary_on_cookie(own)(make_request())["Vary"] == "Accept-Encoding, Cookie"
    assert (await vary_on_cookie(async_view)(make_request()))["Vary"] == "Cookie"
    assert vary_on_cookie(view).__name__ == "view"


async def test_no_append_slash_marks_the_view() -> None:
    decorated = no_append_slash(view)
    assert decorated.should_append_slash is False  # type: ignore[attr-defined]
    assert decorated(make_request()).status_code == 200
    decorated_async = no_append_slash(async_view)
    assert iscoroutinefunction(decorated_async)
    assert decorated_async.should_append_slash is False  # type: ignore[attr-defined]
    assert (await decorated_async(make_request())).status_code == 200
