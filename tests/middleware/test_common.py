"""CommonMiddleware: APPEND_SLASH, PREPEND_WWW, user-agent bans, Content-Length."""

from __future__ import annotations

import re
from typing import Any

import pytest

from manouche.core.exceptions import PermissionDenied
from manouche.http import HttpResponse, HttpResponseNotFound, StreamingHttpResponse
from manouche.middleware.common import CommonMiddleware
from manouche.test.utils import override_settings
from tests.middleware.helpers import make_request, ok_response

pytestmark = pytest.mark.usefixtures("common_urlconf")


@pytest.fixture
def common_urlconf() -> Any:
    with override_settings(ROOT_URLCONF="tests.middleware.urls"):
        yield


def not_found(request: Any) -> HttpResponse:
    return HttpResponseNotFound()


def run(request: Any, get_response: Any = not_found) -> Any:
    return CommonMiddleware(get_response)(request)


def test_append_slash_redirects_when_slash_url_exists() -> None:
    response = run(make_request(path="/slash"))
    assert response.status_code == 301
    assert response["Location"] == "/slash/"


def test_append_slash_keeps_query_string() -> None:
    response = run(make_request(path="/slash", query_string="a=1"))
    assert response["Location"] == "/slash/?a=1"


def test_no_redirect_when_path_without_slash_is_valid() -> None:
    assert run(make_request(path="/noslash")).status_code == 404


def test_no_redirect_when_slash_url_does_not_exist() -> None:
    assert run(make_request(path="/unknown")).status_code == 404


def test_no_redirect_for_responses_other_than_404() -> None:
    assert run(make_request(path="/slash"), lambda r: ok_response()).status_code == 200


@override_settings(APPEND_SLASH=False)
def test_append_slash_disabled() -> None:
    assert run(make_request(path="/slash")).status_code == 404


def test_append_slash_with_regex_pattern() -> None:
    assert run(make_request(path="/abc/end"))["Location"] == "/abc/end/"


def test_append_slash_quotes_the_path() -> None:
    response = run(make_request(path="/needsquoting#"))
    assert response["Location"] == "/needsquoting%23/"


def test_no_append_slash_decorator_prevents_the_redirect() -> None:
    assert run(make_request(path="/sensitive_fbv")).status_code == 404


def test_leading_slashes_are_escaped_against_open_redirects() -> None:
    # "//evil.example/slash" must not become a scheme-relative redirect.
    middleware = CommonMiddleware(not_found)
    request = make_request(path="//evil.example/slash/")
    assert middleware.get_full_path_with_slash(request).startswith("/%2F")


@override_settings(DEBUG=True)
@pytest.mark.parametrize("method", ["DELETE", "PATCH", "POST", "PUT"])
def test_append_slash_refuses_to_drop_a_body_in_debug(method: str) -> None:
    message = (
        f"You called this URL via {method}, but the URL doesn't end in a slash "
        "and you have APPEND_SLASH set. manouche can't redirect to the slash URL "
        f"while maintaining {method} data. Change your form to point to "
        "testserver/slash/ (note the trailing slash), or set APPEND_SLASH=False "
        "in your manouche settings."
    )
    with pytest.raises(RuntimeError) as excinfo:
        run(make_request(method, path="/slash"))
    assert str(excinfo.value) == message


@override_settings(DEBUG=False)
def test_append_slash_redirects_post_when_not_debug() -> None:
    assert run(make_request("POST", path="/slash")).status_code == 301


@override_settings(PREPEND_WWW=True)
def test_prepend_www() -> None:
    response = run(make_request(path="/path/"), lambda r: ok_response())
    assert response.status_code == 301
    assert response["Location"] == "http://www.testserver/path/"


@override_settings(PREPEND_WWW=True)
def test_prepend_www_and_append_slash_in_one_redirect() -> None:
    response = run(make_request(path="/slash"), lambda r: ok_response())
    assert response["Location"] == "http://www.testserver/slash/"


@override_settings(PREPEND_WWW=True, ALLOWED_HOSTS=["www.testserver"])
def test_no_prepend_www_when_host_has_it() -> None:
    request = make_request(path="/path/", HTTP_HOST="www.testserver")
    assert run(request, lambda r: ok_response()).status_code == 200


@override_settings(DISALLOWED_USER_AGENTS=[re.compile(r"^BadBot")])
def test_disallowed_user_agent_is_refused() -> None:
    with pytest.raises(PermissionDenied, match="Forbidden user agent"):
        run(make_request(HTTP_USER_AGENT="BadBot/1.0"))
    assert run(make_request(HTTP_USER_AGENT="GoodBrowser")).status_code == 404
    assert run(make_request()).status_code == 404


def test_content_length_is_set_for_non_streaming_responses() -> None:
    response = run(make_request(path="/x"), lambda r: ok_response(b"hello"))
    assert response["Content-Length"] == "5"


def test_content_length_set_by_the_view_is_kept() -> None:
    own = ok_response(b"hello")
    own["Content-Length"] = "3"
    assert run(make_request(), lambda r: own)["Content-Length"] == "3"


def test_no_content_length_for_streaming_responses() -> None:
    response = run(make_request(), lambda r: StreamingHttpResponse(iter([b"a"])))
    assert not response.has_header("Content-Length")


async def test_async_path_redirects_and_sets_content_length() -> None:
    async def view(request: Any) -> HttpResponse:
        return HttpResponseNotFound(b"nope")

    middleware = CommonMiddleware(view)
    redirect = await middleware(make_request(path="/slash"))
    assert redirect["Location"] == "/slash/"
    missing = await middleware(make_request(path="/nothing"))
    assert missing["Content-Length"] == "4"
