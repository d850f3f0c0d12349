"""manouche.utils.cache: Cache-Control, Vary, ETags, preconditions."""

from __future__ import annotations

import logging
import time
from typing import Any

import pytest

from manouche.http import HttpResponse, StreamingHttpResponse
from manouche.test.utils import override_settings
from manouche.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    get_max_age,
    has_vary_header,
    patch_cache_control,
    patch_response_headers,
    patch_vary_headers,
    set_response_etag,
)
from manouche.utils.http import http_date, parse_http_date
from tests.middleware.helpers import make_request

DATE = "Sat, 12 Feb 2011 17:38:44 GMT"
TIMESTAMP = parse_http_date(DATE)


def directives(response: HttpResponse) -> set[str]:
    return set(response["Cache-Control"].split(", "))


@pytest.mark.parametrize(
    ("initial", "kwargs", "expected"),
    [
        (None, {"private": True}, {"private"}),
        ("", {"private": True}, {"private"}),
        ("no-cache=Set-Cookie", {"no_cache": True}, {"no-cache"}),
        (
            "no-cache=Set-Cookie",
            {"no_cache": "Foo"},
            {"no-cache=Set-Cookie", "no-cache=Foo"},
        ),
        (
            "no-cache=Set-Cookie, no-cache=Link",
            {"no_cache": "Foo"},
            {"no-cache=Set-Cookie", "no-cache=Link", "no-cache=Foo"},
        ),
        ("no-cache", {"no_cache": "Set-Cookie"}, {"no-cache"}),
        ("private", {"private": True}, {"private"}),
        ("private", {"public": True}, {"public"}),
        ("public", {"private": True}, {"private"}),
        (
            "must-revalidate,max-age=60,private",
            {"public": True},
            {"must-revalidate", "max-age=60", "public"},
        ),
        (
            "must-revalidate,max-age=60,public",
            {"private": True},
            {"must-revalidate", "max-age=60", "private"},
        ),
        (
            "must-revalidate,max-age=60",
            {"public": True},
            {"must-revalidate", "max-age=60", "public"},
        ),
        ("max-age=100", {"max_age": 50}, {"max-age=50"}),
        ("max-age=50", {"max_age": 100}, {"max-age=50"}),
        ("Max-Age=50", {"s_maxage": 10}, {"max-age=50", "s-maxage=10"}),
    ],
)
def test_patch_cache_control(
    initial: str | None, kwargs: dict[str, Any], expected: set[str]
) -> None:
    response = HttpResponse()
    if initial is not None:
        response["Cache-Control"] = initial
    patch_cache_control(response, **kwargs)
    assert directives(response) == expected


def test_patch_cache_control_keeps_order_of_existing_directives() -> None:
    response = HttpResponse()
    response["Cache-Control"] = "private, max-age=10"
    patch_cache_control(response, must_revalidate=True)
    assert response["Cache-Control"] == "private, max-age=10, must-revalidate"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("max-age=10", 10),
        ("public, Max-Age=3600", 3600),
        ("max-age=x", None),
        ("max-age", None),
        ("private", None),
    ],
)
def test_get_max_age(header: str | None, expected: int | None) -> None:
    response = HttpResponse()
    if header is not None:
        response["Cache-Control"] = header
    assert get_max_age(response) == expected


def test_set_response_etag() -> None:
    response = set_response_etag(HttpResponse(b"content"))
    assert response["ETag"] == '"9a0364b9e99bb480dd25e1f0284c8555"'
    assert not set_response_etag(HttpResponse(b"")).has_header("ETag")
    assert not set_response_etag(StreamingHttpResponse(iter([b"x"]))).has_header("ETag")


@override_settings(CACHE_MIDDLEWARE_SECONDS=30)
def test_patch_response_headers_uses_the_default_timeout() -> None:
    response = HttpResponse()
    before = time.time()
    patch_response_headers(response)
    assert response["Cache-Control"] == "max-age=30"
    assert parse_http_date(response["Expires"]) >= int(before) + 29


def test_patch_response_headers_keeps_existing_expires() -> None:
    response = HttpResponse()
    response["Expires"] = DATE
    patch_response_headers(response, cache_timeout=5)
    assert response["Expires"] == DATE
    assert response["Cache-Control"] == "max-age=5"


def test_add_never_cache_headers() -> None:
    response = HttpResponse()
    add_never_cache_headers(response)
    assert directives(response) == {
        "max-age=0",
        "no-cache",
        "no-store",
        "must-revalidate",
        "private",
    }
    assert parse_http_date(response["Expires"]) <= time.time() + 1


@pytest.mark.parametrize(
    ("initial", "new", "expected"),
    [
        (None, ("Accept-Encoding",), "Accept-Encoding"),
        ("Accept-Encoding", ("accept-encoding",), "Accept-Encoding"),
        ("Accept-Encoding", ("ACCEPT-ENCODING",), "Accept-Encoding"),
        ("Cookie", ("Accept-Encoding",), "Cookie, Accept-Encoding"),
        ("Cookie, Accept-Encoding", ("Accept-Encoding",), "Cookie, Accept-Encoding"),
        (
            "Cookie, Accept-Encoding",
            ("Accept-Encoding", "cookie"),
            "Cookie, Accept-Encoding",
        ),
        (None, ("Accept-Encoding", "COOKIE"), "Accept-Encoding, COOKIE"),
        (
            "Cookie,     Accept-Encoding",
            ("Accept-Encoding", "cookie"),
            "Cookie, Accept-Encoding",
        ),
        (
            "Cookie    ,     Accept-Encoding",
            ("Accept-Encoding", "cookie"),
            "Cookie, Accept-Encoding",
        ),
        ("*", ("Accept-Language", "Cookie"), "*"),
        ("Accept-Language, Cookie", ("*",), "*"),
        (None, ("Cookie", "Cookie"), "Cookie"),
    ],
)
def test_patch_vary_headers(
    initial: str | None, new: tuple[str, ...], expected: str
) -> None:
    response = HttpResponse()
    if initial is not None:
        response["Vary"] = initial
    patch_vary_headers(response, new)
    assert response["Vary"] == expected


def test_has_vary_header() -> None:
    response = HttpResponse()
    assert not has_vary_header(response, "Cookie")
    response["Vary"] = "Accept-Encoding, COOKIE"
    assert has_vary_header(response, "cookie")
    assert not has_vary_header(response, "Accept-Language")


def conditional(
    method: str = "GET",
    *,
    etag: str | None = None,
    last_modified: int | None = None,
    response: Any = None,
    **meta: Any,
) -> Any:
    return get_conditional_response(
        make_request(method, **meta),
        etag=etag,
        last_modified=last_modified,
        response=response,
    )


def test_no_preconditions_returns_the_response() -> None:
    response = HttpResponse()
    assert conditional(etag='"a"', response=response) is response
    assert conditional(etag='"a"') is None


@pytest.mark.parametrize(
    ("etag", "if_match", "status"),
    [
        ('"a"', '"a"', None),
        ('"a"', '"b", "a"', None),
        ('"a"', '"b"', 412),
        ('"a"', "*", None),
        (None, "*", 412),
        ('W/"a"', '"a"', 412),
        ('W/"a"', 'W/"a"', 412),
    ],
)
def test_if_match_uses_strong_comparison(
    etag: str | None, if_match: str, status: int | None
) -> None:
    response = conditional("PUT", etag=etag, HTTP_IF_MATCH=if_match)
    assert (response.status_code if response else None) == status


@pytest.mark.parametrize(
    ("last_modified", "status"),
    [(TIMESTAMP, None), (TIMESTAMP - 10, None), (TIMESTAMP + 10, 412), (None, 412)],
)
def test_if_unmodified_since(last_modified: int | None, status: int | None) -> None:
    response = conditional(
        "PUT", last_modified=last_modified, HTTP_IF_UNMODIFIED_SINCE=DATE
    )
    assert (response.status_code if response else None) == status


def test_if_unmodified_since_is_ignored_with_if_match() -> None:
    response = conditional(
        "PUT",
        etag='"a"',
        last_modified=TIMESTAMP + 10,
        HTTP_IF_MATCH='"a"',
        HTTP_IF_UNMODIFIED_SINCE=DATE,
    )
    assert response is None


def test_invalid_if_unmodified_since_is_ignored() -> None:
    assert (
        conditional(
            "PUT", last_modified=TIMESTAMP, HTTP_IF_UNMODIFIED_SINCE="not a date"
        )
        is None
    )


@pytest.mark.parametrize(
    ("method", "etag", "if_none_match", "status"),
    [
        ("GET", '"a"', '"a"', 304),
        ("HEAD", '"a"', '"a"', 304),
        ("GET", 'W/"a"', '"a"', 304),
        ("GET", '"a"', 'W/"a"', 304),
        ("GET", '"a"', '"b"', None),
        ("GET", '"a"', "*", 304),
        ("GET", None, "*", None),
        ("POST", '"a"', '"a"', 412),
        ("PUT", '"a"', "*", 412),
        ("DELETE", None, "*", None),
    ],
)
def test_if_none_match(
    method: str, etag: str | None, if_none_match: str, status: int | None
) -> None:
    response = conditional(method, etag=etag, HTTP_IF_NONE_MATCH=if_none_match)
    assert (response.status_code if response else None) == status


@pytest.mark.parametrize(
    ("method", "last_modified", "status"),
    [
        ("GET", TIMESTAMP, 304),
        ("GET", TIMESTAMP - 10, 304),
        ("GET", TIMESTAMP + 10, None),
        ("GET", None, None),
        ("HEAD", TIMESTAMP, 304),
        ("POST", TIMESTAMP, None),
    ],
)
def test_if_modified_since(
    method: str, last_modified: int | None, status: int | None
) -> None:
    response = conditional(
        method, last_modified=last_modified, HTTP_IF_MODIFIED_SINCE=DATE
    )
    assert (response.status_code if response else None) == status


def test_if_modified_since_is_ignored_with_if_none_match() -> None:
    response = conditional(
        etag='"a"',
        last_modified=TIMESTAMP,
        HTTP_IF_NONE_MATCH='"b"',
        HTTP_IF_MODIFIED_SINCE=DATE,
    )
    assert response is None


def test_not_modified_keeps_only_the_allowed_headers_and_cookies() -> None:
    full = HttpResponse(b"body", content_type="text/plain")
    for header, value in {
        "Cache-Control": "max-age=1",
        "Content-Location": "/x",
        "Date": DATE,
        "ETag": '"a"',
        "Expires": DATE,
        "Last-Modified": DATE,
        "Vary": "Cookie",
        "X-Other": "dropped",
    }.items():
        full[header] = value
    full.set_cookie("session", "abc")
    response = conditional(etag='"a"', response=full, HTTP_IF_NONE_MATCH='"a"')
    assert response.status_code == 304
    assert response["Vary"] == "Cookie"
    assert response["Content-Location"] == "/x"
    assert response["Last-Modified"] == DATE
    assert not response.has_header("X-Other")
    assert response.cookies["session"].value == "abc"


def test_non_2xx_response_is_returned_untouched() -> None:
    response = HttpResponse(status=500)
    assert (
        conditional(etag='"a"', response=response, HTTP_IF_NONE_MATCH='"a"') is response
    )


def test_precondition_failed_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="manouche.request"):
        conditional("PUT", path="/thing/", etag='"a"', HTTP_IF_MATCH='"b"')
    assert [r.getMessage() for r in caplog.records] == ["Precondition Failed: /thing/"]


def test_hostile_headers_do_not_break_evaluation() -> None:
    junk = "," * 1000 + '"' * 100 + "W/" * 100
    assert conditional(etag='"a"', HTTP_IF_NONE_MATCH=junk, HTTP_IF_MATCH=junk) is None
    assert (
        conditional(last_modified=TIMESTAMP, HTTP_IF_MODIFIED_SINCE="\x00" * 100)
        is None
    )
    assert http_date(TIMESTAMP) == DATE
