"""ConditionalGetMiddleware: ETag generation and 304 answers."""

from __future__ import annotations

from typing import Any

from manouche.http import HttpResponse, StreamingHttpResponse
from manouche.middleware.http import ConditionalGetMiddleware
from tests.middleware.helpers import make_request, ok_response

LAST_MODIFIED = "Sat, 12 Feb 2011 17:38:44 GMT"
EARLIER = "Sat, 12 Feb 2011 17:35:44 GMT"
LATER = "Sat, 12 Feb 2011 17:41:44 GMT"


def run(response: Any, request: Any = None) -> Any:
    return ConditionalGetMiddleware(lambda r: response)(request or make_request())


def test_etag_is_added_to_get_responses() -> None:
    response = run(ok_response(b"content"))
    assert response["ETag"] == '"9a0364b9e99bb480dd25e1f0284c8555"'


def test_no_etag_for_empty_content() -> None:
    assert not run(ok_response(b"")).has_header("ETag")


def test_no_etag_for_streaming_responses() -> None:
    assert not run(StreamingHttpResponse(iter([b"x"]))).has_header("ETag")


def test_no_etag_with_cache_control_no_store() -> None:
    own = ok_response(b"content")
    own["Cache-Control"] = "No-Cache, No-Store, max-age=0"
    assert not run(own).has_header("ETag")


def test_existing_etag_is_kept() -> None:
    own = ok_response(b"content")
    own["ETag"] = '"mine"'
    assert run(own)["ETag"] == '"mine"'


def test_if_none_match_matching_gives_304() -> None:
    own = ok_response(b"content")
    own["ETag"] = '"spam"'
    own["Cache-Control"] = "max-age=10"
    own.set_cookie("key", "value")
    response = run(own, make_request(HTTP_IF_NONE_MATCH='"spam"'))
    assert response.status_code == 304
    assert response["ETag"] == '"spam"'
    assert response["Cache-Control"] == "max-age=10"
    assert response.cookies["key"].value == "value"
    assert not response.content


def test_if_none_match_weak_comparison() -> None:
    own = ok_response(b"content")
    own["ETag"] = 'W/"spam"'
    assert run(own, make_request(HTTP_IF_NONE_MATCH='"spam"')).status_code == 304


def test_if_none_match_not_matching_gives_200() -> None:
    own = ok_response(b"content")
    own["ETag"] = '"spam"'
    assert run(own, make_request(HTTP_IF_NONE_MATCH='"eggs"')).status_code == 200


def test_generated_etag_is_used_for_304() -> None:
    etag = run(ok_response(b"content"))["ETag"]
    response = run(ok_response(b"content"), make_request(HTTP_IF_NONE_MATCH=etag))
    assert response.status_code == 304


def test_if_modified_since() -> None:
    def response() -> HttpResponse:
        own = ok_response(b"content")
        own["Cache-Control"] = "no-store"  # Keep ETags out of the way.
        own["Last-Modified"] = LAST_MODIFIED
        return own

    assert (
        run(response(), make_request(HTTP_IF_MODIFIED_SINCE=LAST_MODIFIED)).status_code
        == 304
    )
    assert (
        run(response(), make_request(HTTP_IF_MODIFIED_SINCE=LATER)).status_code == 304
    )
    assert (
        run(response(), make_request(HTTP_IF_MODIFIED_SINCE=EARLIER)).status_code == 200
    )
    assert (
        run(response(), make_request(HTTP_IF_MODIFIED_SINCE="garbage")).status_code
        == 200
    )


def test_only_get_is_handled() -> None:
    own = ok_response(b"content")
    own["ETag"] = '"spam"'
    for method in ("HEAD", "POST", "PUT"):
        request = make_request(method, HTTP_IF_NONE_MATCH='"spam"')
        response = run(own, request)
        assert response.status_code == 200


def test_non_2xx_responses_are_untouched() -> None:
    own = HttpResponse(b"content", status=404)
    own["ETag"] = '"spam"'
    assert run(own, make_request(HTTP_IF_NONE_MATCH='"spam"')).status_code == 404


def test_if_match_failure_gives_412() -> None:
    own = ok_response(b"content")
    own["ETag"] = '"spam"'
    assert run(own, make_request(HTTP_IF_MATCH='"eggs"')).status_code == 412


async def test_async_path() -> None:
    async def view(request: Any) -> HttpResponse:
        own = ok_response(b"content")
        own["ETag"] = '"spam"'
        return own

    middleware = ConditionalGetMiddleware(view)
    response = await middleware(make_request(HTTP_IF_NONE_MATCH='"spam"'))
    assert response.status_code == 304
