"""SecurityMiddleware: HSTS, HTTPS redirect, nosniff, Referrer-Policy, COOP."""

from __future__ import annotations

from typing import Any

import pytest

from manouche.http import HttpResponse
from manouche.middleware.security import SecurityMiddleware
from manouche.test.utils import override_settings
from tests.middleware.helpers import make_request, ok_response


def run(request: Any, response: HttpResponse | None = None) -> Any:
    middleware = SecurityMiddleware(lambda request: response or ok_response())
    return middleware(request)


@override_settings(SECURE_HSTS_SECONDS=3600)
def test_hsts_header_over_https() -> None:
    response = run(make_request(secure=True))
    assert response["Strict-Transport-Security"] == "max-age=3600"


@override_settings(SECURE_HSTS_SECONDS=3600)
def test_no_hsts_header_over_http() -> None:
    assert "Strict-Transport-Security" not in run(make_request())


@override_settings(SECURE_HSTS_SECONDS=0)
def test_no_hsts_header_when_seconds_is_zero() -> None:
    assert "Strict-Transport-Security" not in run(make_request(secure=True))


@override_settings(
    SECURE_HSTS_SECONDS=600,
    SECURE_HSTS_INCLUDE_SUBDOMAINS=True,
    SECURE_HSTS_PRELOAD=True,
)
def test_hsts_include_subdomains_and_preload() -> None:
    response = run(make_request(secure=True))
    assert response["Strict-Transport-Security"] == (
        "max-age=600; includeSubDomains; preload"
    )


@override_settings(SECURE_HSTS_SECONDS=600)
def test_hsts_header_set_by_view_is_kept() -> None:
    own = ok_response()
    own["Strict-Transport-Security"] = "max-age=1"
    assert run(make_request(secure=True), own)["Strict-Transport-Security"] == (
        "max-age=1"
    )


def test_default_headers_are_the_secure_defaults() -> None:
    response = run(make_request())
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@override_settings(
    SECURE_CONTENT_TYPE_NOSNIFF=False,
    SECURE_REFERRER_POLICY=None,
    SECURE_CROSS_ORIGIN_OPENER_POLICY=None,
)
def test_headers_can_be_disabled() -> None:
    response = run(make_request())
    for header in (
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Cross-Origin-Opener-Policy",
    ):
        assert header not in response


def test_headers_set_by_the_view_win() -> None:
    own = ok_response()
    own["X-Content-Type-Options"] = "custom"
    own["Referrer-Policy"] = "no-referrer"
    own["Cross-Origin-Opener-Policy"] = "unsafe-none"
    response = run(make_request(), own)
    assert response["X-Content-Type-Options"] == "custom"
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["Cross-Origin-Opener-Policy"] == "unsafe-none"


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        ("strict-origin", "strict-origin"),
        ("no-referrer, strict-origin", "no-referrer,strict-origin"),
        (["no-referrer", "strict-origin"], "no-referrer,strict-origin"),
        (("origin", " same-origin "), "origin,same-origin"),
    ],
)
def test_referrer_policy_string_or_list(setting: Any, expected: str) -> None:
    with override_settings(SECURE_REFERRER_POLICY=setting):
        assert run(make_request())["Referrer-Policy"] == expected


@override_settings(SECURE_SSL_REDIRECT=True)
def test_ssl_redirect_to_https_keeps_path_and_query() -> None:
    request = make_request(path="/some/url", query_string="a=1&b=2")
    response = run(request)
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/some/url?a=1&b=2"


@override_settings(SECURE_SSL_REDIRECT=True)
def test_no_ssl_redirect_when_already_secure() -> None:
    assert run(make_request(secure=True)).status_code == 200


@override_settings(SECURE_SSL_REDIRECT=True, SECURE_SSL_HOST="secure.example.com")
def test_ssl_redirect_host() -> None:
    response = run(make_request(path="/page"))
    assert response["Location"] == "https://secure.example.com/page"


@override_settings(SECURE_SSL_REDIRECT=True, SECURE_REDIRECT_EXEMPT=[r"^insecure/"])
def test_ssl_redirect_exempt_patterns_match_without_leading_slash() -> None:
    assert run(make_request(path="/insecure/page")).status_code == 200
    assert run(make_request(path="/secure/page")).status_code == 301


@override_settings(SECURE_SSL_REDIRECT=False)
def test_no_ssl_redirect_when_disabled() -> None:
    assert run(make_request()).status_code == 200


@override_settings(SECURE_HSTS_SECONDS=60, SECURE_SSL_REDIRECT=True)
async def test_async_path_adds_headers_and_redirects() -> None:
    async def view(request: Any) -> HttpResponse:
        return ok_response()

    middleware = SecurityMiddleware(view)
    response = await middleware(make_request(secure=True))
    assert response["Strict-Transport-Security"] == "max-age=60"
    assert response["X-Content-Type-Options"] == "nosniff"
    redirect = await middleware(make_request(path="/x"))
    assert redirect.status_code == 301
    assert redirect["Location"] == "https://testserver/x"


def test_settings_are_read_once_at_construction() -> None:
    with override_settings(SECURE_HSTS_SECONDS=10):
        middleware = SecurityMiddleware(lambda request: ok_response())
    response = middleware(make_request(secure=True))
    assert response["Strict-Transport-Security"] == "max-age=10"


@override_settings(SECURE_SSL_REDIRECT=True)
def test_ssl_redirect_never_uses_a_disallowed_host() -> None:
    from manouche.core.exceptions import DisallowedHost

    request = make_request(path="/x", HTTP_HOST="evil.example")
    with pytest.raises(DisallowedHost):
        run(request)


@override_settings(SECURE_SSL_REDIRECT=True)
def test_ssl_redirect_keeps_hostile_paths_on_the_same_host() -> None:
    response = run(make_request(path="//evil.example/x"))
    assert response["Location"].startswith("https://testserver/")


def test_request_hook_is_left_out_of_the_chain_without_the_redirect() -> None:
    middleware = SecurityMiddleware(lambda request: ok_response())
    assert middleware._process_request is None
    assert middleware.process_request(make_request()) is None
    assert run(make_request())["X-Content-Type-Options"] == "nosniff"


@override_settings(SECURE_SSL_REDIRECT=True)
def test_request_hook_stays_in_the_chain_with_the_redirect() -> None:
    middleware = SecurityMiddleware(lambda request: ok_response())
    assert middleware._process_request is not None
    assert run(make_request()).status_code == 301
