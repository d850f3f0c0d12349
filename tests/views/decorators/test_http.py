"""require_http_methods & co, and condition/etag/last_modified."""

from __future__ import annotations

import datetime
import logging
from typing import Any

import pytest

from manouche.http import HttpResponse
from manouche.utils.asyncio import iscoroutinefunction
from manouche.views.decorators.http import (
    condition,
    etag,
    last_modified,
    require_GET,
    require_http_methods,
    require_POST,
    require_safe,
)
from tests.middleware.helpers import make_request

FRESH = datetime.datetime(2011, 2, 12, 17, 38, 44, tzinfo=datetime.UTC)
FRESH_STR = "Sat, 12 Feb 2011 17:38:44 GMT"
EARLIER_STR = "Sat, 12 Feb 2011 17:35:44 GMT"


def view(request: Any) -> HttpResponse:
    return HttpResponse("ok")


async def async_view(request: Any) -> HttpResponse:
    return HttpResponse("ok")


def test_require_http_methods(caplog: pytest.LogCaptureFixture) -> None:
    decorated = require_http_methods(["GET", "PUT"])(view)
    assert decorated(make_request("GET")).status_code == 200
    assert decorated(make_request("PUT")).status_code == 200
    with caplog.at_level(logging.WARNING, logger="manouche.request"):
        response = decorated(make_request("POST", path="/p/"))
    assert response.status_code == 405
    assert response["Allow"] == "GET, PUT"
    assert [r.getMessage() for r in caplog.records] == [
        "Method Not Allowed (POST): /p/"
    ]


def test_method_names_are_case_sensitive() -> None:
    assert require_GET(view)(make_request("get")).status_code == 405


@pytest.mark.parametrize(
    ("decorator", "allowed", "refused"),
    [
        (require_GET, "GET", "HEAD"),
        (require_POST, "POST", "GET"),
        (require_safe, "HEAD", "POST"),
    ],
)
async def test_shortcuts_sync_and_async(
    decorator: Any, allowed: str, refused: str
) -> None:
    assert decorator(view)(make_request(allowed)).status_code == 200
    assert decorator(view)(make_request(refused)).status_code == 405
    decorated = decorator(async_view)
    assert iscoroutinefunction(decorated)
    assert (await decorated(make_request(allowed))).status_code == 200
    assert (await decorated(make_request(refused))).status_code == 405


def test_decorators_keep_the_view_name_and_docs() -> None:
    assert require_GET(view).__name__ == "view"
    assert (
        require_GET.__doc__
        == "Decorator to require that a view only accepts the GET method."
    )


def get_etag(request: Any, *args: Any, **kwargs: Any) -> str:
    return "spam"


def get_last_modified(request: Any, *args: Any, **kwargs: Any) -> datetime.datetime:
    return FRESH


def test_condition_sets_headers_on_get() -> None:
    decorated = condition(etag_func=get_etag, last_modified_func=get_last_modified)(
        view
    )
    response = decorated(make_request())
    assert response["ETag"] == '"spam"'
    assert response["Last-Modified"] == FRESH_STR


def test_condition_keeps_headers_set_by_the_view() -> None:
    def own(request: Any) -> HttpResponse:
        response = HttpResponse()
        response["ETag"] = '"own"'
        response["Last-Modified"] = EARLIER_STR
        return response

    response = condition(get_etag, get_last_modified)(own)(make_request())
    assert response["ETag"] == '"own"'
    assert response["Last-Modified"] == EARLIER_STR


def test_condition_no_headers_for_unsafe_methods() -> None:
    response = condition(get_etag, get_last_modified)(view)(make_request("POST"))
    assert not response.has_header("ETag")
    assert not response.has_header("Last-Modified")


def test_etag_match_gives_304_without_calling_the_view() -> None:
    def never(request: Any) -> HttpResponse:
        raise AssertionError("view called")

    response = etag(get_etag)(never)(make_request(HTTP_IF_NONE_MATCH='"spam"'))
    assert response.status_code == 304
    assert response["ETag"] == '"spam"'


def test_quoted_etag_is_not_quoted_twice() -> None:
    decorated = etag(lambda request: 'W/"weak"')(view)
    assert decorated(make_request())["ETag"] == 'W/"weak"'


def test_if_match_failure_gives_412() -> None:
    response = etag(get_etag)(view)(make_request("PUT", HTTP_IF_MATCH='"eggs"'))
    assert response.status_code == 412


def test_last_modified_gives_304() -> None:
    decorated = last_modified(get_last_modified)(view)
    assert decorated(make_request(HTTP_IF_MODIFIED_SINCE=FRESH_STR)).status_code == 304
    assert (
        decorated(make_request(HTTP_IF_MODIFIED_SINCE=EARLIER_STR)).status_code == 200
    )


def test_naive_last_modified_is_taken_as_utc() -> None:
    naive = FRESH.replace(tzinfo=None)
    decorated = last_modified(lambda request: naive)(view)
    assert decorated(make_request())["Last-Modified"] == FRESH_STR


def test_functions_returning_none_add_nothing() -> None:
    decorated = condition(lambda r: None, lambda r: None)(view)
    response = decorated(make_request(HTTP_IF_NONE_MATCH="*"))
    assert response.status_code == 200
    assert not response.has_header("ETag")
    assert not response.has_header("Last-Modified")


def test_funcs_receive_the_view_arguments() -> None:
    seen: list[Any] = []

    def record(request: Any, *args: Any, **kwargs: Any) -> str:
        seen.append((args, kwargs))
        return "x"

    etag(record)(lambda request, *a, **k: HttpResponse())(make_request(), 1, key="v")
    assert seen == [((1,), {"key": "v"})]


async def test_condition_on_async_views() -> None:
    decorated = condition(get_etag, get_last_modified)(async_view)
    assert iscoroutinefunction(decorated)
    response = await decorated(make_request())
    assert response["ETag"] == '"spam"'
    not_modified = await decorated(make_request(HTTP_IF_NONE_MATCH='"spam"'))
    assert not_modified.status_code == 304
