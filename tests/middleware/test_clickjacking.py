"""XFrameOptionsMiddleware and the clickjacking view decorators."""

from __future__ import annotations

from typing import Any

from manouche.http import HttpResponse
from manouche.middleware.clickjacking import XFrameOptionsMiddleware
from manouche.test.utils import override_settings
from manouche.views.decorators.clickjacking import (
    xframe_options_deny,
    xframe_options_exempt,
    xframe_options_sameorigin,
)
from tests.middleware.helpers import make_request, ok_response


def test_default_is_deny() -> None:
    response = XFrameOptionsMiddleware(lambda r: ok_response())(make_request())
    assert response["X-Frame-Options"] == "DENY"


@override_settings(X_FRAME_OPTIONS="sameorigin")
def test_setting_value_is_upper_cased() -> None:
    response = XFrameOptionsMiddleware(lambda r: ok_response())(make_request())
    assert response["X-Frame-Options"] == "SAMEORIGIN"


def test_header_set_by_the_view_is_kept() -> None:
    own = ok_response()
    own["X-Frame-Options"] = "SAMEORIGIN"
    response = XFrameOptionsMiddleware(lambda r: own)(make_request())
    assert response["X-Frame-Options"] == "SAMEORIGIN"


def test_exempt_response_gets_no_header() -> None:
    own = ok_response()
    own.xframe_options_exempt = True  # type: ignore[attr-defined]
    response = XFrameOptionsMiddleware(lambda r: own)(make_request())
    assert "X-Frame-Options" not in response


def test_get_xframe_options_value_can_be_overridden() -> None:
    class PerPath(XFrameOptionsMiddleware):
        def get_xframe_options_value(self, request: Any, response: Any) -> str:
            return "SAMEORIGIN" if request.path == "/embed" else "DENY"

    middleware = PerPath(lambda r: ok_response())
    assert middleware(make_request(path="/embed"))["X-Frame-Options"] == "SAMEORIGIN"
    assert middleware(make_request(path="/"))["X-Frame-Options"] == "DENY"


def test_repeated_value_is_stored_like_the_first() -> None:
    middleware = XFrameOptionsMiddleware(lambda r: ok_response())
    first = middleware(make_request())
    second = middleware(make_request())
    assert first.headers._store["x-frame-options"] == ("X-Frame-Options", "DENY")
    assert second.headers._store == first.headers._store


def test_value_needing_encoding_is_encoded_every_time() -> None:
    class Unusual(XFrameOptionsMiddleware):
        def get_xframe_options_value(self, request: Any, response: Any) -> str:
            return "ŝ"

    middleware = Unusual(lambda r: ok_response())
    values = [middleware(make_request())["X-Frame-Options"] for _ in range(2)]
    assert values[0] == values[1] != "ŝ"
    values[1].encode("latin-1")


async def test_async_path() -> None:
    async def view(request: Any) -> HttpResponse:
        return ok_response()

    response = await XFrameOptionsMiddleware(view)(make_request())
    assert response["X-Frame-Options"] == "DENY"


def plain_view(request: Any) -> HttpResponse:
    return ok_response()


def test_deny_and_sameorigin_decorators() -> None:
    deny = xframe_options_deny(plain_view)
    same = xframe_options_sameorigin(plain_view)
    assert deny(make_request())["X-Frame-Options"] == "DENY"
    assert same(make_request())["X-Frame-Options"] == "SAMEORIGIN"


def test_decorators_keep_a_header_the_view_set() -> None:
    def view(request: Any) -> HttpResponse:
        response = ok_response()
        response["X-Frame-Options"] = "SAMEORIGIN"
        return response

    assert xframe_options_deny(view)(make_request())["X-Frame-Options"] == "SAMEORIGIN"


async def test_decorators_on_async_views() -> None:
    async def view(request: Any) -> HttpResponse:
        return ok_response()

    assert (await xframe_options_deny(view)(make_request()))["X-Frame-Options"] == (
        "DENY"
    )
    assert (await xframe_options_sameorigin(view)(make_request()))[
        "X-Frame-Options"
    ] == "SAMEORIGIN"
    exempt = await xframe_options_exempt(view)(make_request())
    assert exempt.xframe_options_exempt is True  # type: ignore[attr-defined]


def test_exempt_decorator_makes_middleware_skip_the_header() -> None:
    view = xframe_options_exempt(lambda request: ok_response())
    response = XFrameOptionsMiddleware(view)(make_request())
    assert "X-Frame-Options" not in response
