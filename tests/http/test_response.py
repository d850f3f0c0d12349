"""HttpResponse and subclasses: content, headers, cookies, redirects, JSON."""

from __future__ import annotations

import datetime
import decimal
import pickle
import time
import uuid

import pytest

from manouche.core.exceptions import DisallowedRedirect
from manouche.http import (
    BadHeaderError,
    Http404,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseGone,
    HttpResponseNotAllowed,
    HttpResponseNotFound,
    HttpResponseNotModified,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
    HttpResponseServerError,
    JsonResponse,
    ResponseHeaders,
)
from manouche.utils.functional import lazystr
from manouche.utils.http import http_date


def test_str_content_is_encoded_with_charset():
    response = HttpResponse("héllo")
    assert response.content == "héllo".encode()
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response.charset == "utf-8"
    assert response.text == "héllo"


def test_charset_from_content_type():
    response = HttpResponse("é", content_type="text/plain; charset=latin-1")
    assert response.charset == "latin-1"
    assert response.content == b"\xe9"
    response = HttpResponse("é", charset="latin-1")
    assert response["Content-Type"] == "text/html; charset=latin-1"


def test_bytes_content_is_kept_as_is():
    body = b"\x00\xff"
    assert HttpResponse(body).content is body


def test_iterable_content_is_consumed_and_closed():
    closed = []

    class Chunks:
        def __iter__(self):
            return iter(["a", b"b", 3])

        def close(self):
            closed.append(True)

    response = HttpResponse(Chunks())
    assert response.content == b"ab3"
    assert closed == [True]
    assert response.content == b"ab3"


def test_write_tell_getvalue_writelines():
    response = HttpResponse()
    response.write("a")
    response.writelines([b"b", "c"])
    assert response.tell() == 3
    assert response.getvalue() == b"abc"
    assert response.writable()
    assert list(response) == [b"", b"a", b"b", b"c"]


def test_text_cache_is_reset_on_content_change():
    response = HttpResponse("a")
    assert response.text == "a"
    response.content = "b"
    assert response.text == "b"


def test_status_and_reason_phrase():
    assert HttpResponse(status=201).reason_phrase == "Created"
    assert HttpResponse(status=599).reason_phrase == "Unknown Status Code"
    assert HttpResponse(status=200, reason="Fine").reason_phrase == "Fine"
    with pytest.raises(TypeError, match="must be an integer"):
        HttpResponse(status="abc")
    with pytest.raises(ValueError, match="from 100 to 599"):
        HttpResponse(status=600)


def test_dict_style_header_access():
    response = HttpResponse()
    response["X-Thing"] = "1"
    assert response["x-thing"] == "1"
    assert "X-THING" in response
    assert response.has_header("x-thing")
    assert response.get("missing", "d") == "d"
    response.setdefault("X-Thing", "2")
    assert response["X-Thing"] == "1"
    del response["x-thing"]
    assert "X-Thing" not in response
    del response["not-there"]


def test_headers_argument_and_content_type_conflict():
    response = HttpResponse(headers={"Content-Type": "text/plain", "X-A": "b"})
    assert response["content-type"] == "text/plain"
    with pytest.raises(ValueError, match="must not contain 'Content-Type'"):
        HttpResponse(content_type="text/html", headers={"Content-Type": "text/plain"})


@pytest.mark.parametrize("value", ["a\nb", "a\rb", "a\r\nSet-Cookie: x=1", b"a\nb"])
def test_headers_refuse_newlines(value):
    response = HttpResponse()
    with pytest.raises(BadHeaderError, match="can't contain newlines"):
        response["X-Bad"] = value
    with pytest.raises(BadHeaderError):
        response["X-Bad\r\nInjected"] = "x"


def test_header_values_outside_latin1_are_mime_encoded():
    response = HttpResponse()
    response["X-Unicode"] = "€"
    assert response["X-Unicode"] == "=?utf-8?b?4oKs?="
    with pytest.raises(UnicodeError, match="must be in ascii format"):
        response["X-É"] = "x"


def test_non_str_header_values_are_converted():
    response = HttpResponse()
    response["Content-Length"] = 3
    assert response["Content-Length"] == "3"


def test_serialize_headers_and_bytes():
    response = HttpResponse(b"body", headers={"X-A": "1"})
    assert response.serialize_headers() == (
        b"X-A: 1\r\nContent-Type: text/html; charset=utf-8"
    )
    assert bytes(response).endswith(b"\r\n\r\nbody")


def test_response_headers_mapping_is_case_insensitive():
    headers = ResponseHeaders({"X-A": "1"})
    assert headers["x-a"] == "1"
    assert headers.pop("X-A") == ("X-A", "1")


def test_set_cookie_basic_attributes():
    response = HttpResponse()
    response.set_cookie(
        "name",
        "value",
        path="/p",
        domain=".example.com",
        secure=True,
        httponly=True,
        samesite="Strict",
    )
    morsel = response.cookies["name"]
    assert morsel.value == "value"
    assert morsel["path"] == "/p"
    assert morsel["domain"] == ".example.com"
    assert morsel["secure"] is True
    assert morsel["httponly"] is True
    assert morsel["samesite"] == "Strict"
    assert morsel["expires"] == ""


def test_set_cookie_max_age_int_and_timedelta():
    response = HttpResponse()
    response.set_cookie("a", max_age=10)
    assert response.cookies["a"]["max-age"] == 10
    assert response.cookies["a"]["expires"] == http_date(time.time() + 10)
    response.set_cookie("b", max_age=datetime.timedelta(hours=1))
    assert response.cookies["b"]["max-age"] == 3600


def test_set_cookie_expires_datetime_becomes_max_age():
    response = HttpResponse()
    expires = datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(seconds=60)
    response.set_cookie("a", expires=expires)
    assert 59 <= response.cookies["a"]["max-age"] <= 61
    naive = datetime.datetime.now(tz=datetime.UTC).replace(tzinfo=None)
    response.set_cookie("b", expires=naive - datetime.timedelta(days=1))
    assert response.cookies["b"]["max-age"] == 0


def test_set_cookie_expires_string():
    response = HttpResponse()
    response.set_cookie("a", expires="Fri, 01 Jan 2038 00:00:00 GMT")
    assert response.cookies["a"]["expires"] == "Fri, 01 Jan 2038 00:00:00 GMT"


def test_set_cookie_refuses_expires_and_max_age_together():
    response = HttpResponse()
    with pytest.raises(ValueError, match="can't be used together"):
        response.set_cookie(
            "a", expires=datetime.datetime.now(tz=datetime.UTC), max_age=1
        )


def test_set_cookie_samesite_is_validated():
    response = HttpResponse()
    for value in ("Lax", "strict", "None"):
        response.set_cookie("a", samesite=value)
    with pytest.raises(ValueError, match='samesite must be "lax", "none", or "strict"'):
        response.set_cookie("a", samesite="invalid")


def test_cookie_values_with_crlf_are_quoted_not_injected():
    response = HttpResponse()
    response.set_cookie("a", "x\r\nSet-Cookie: evil=1")
    output = response.cookies.output()
    assert "\r\nSet-Cookie: evil" not in output
    assert "\\015\\012" in output


@pytest.mark.parametrize(
    "kwargs",
    [
        {"path": "/\r\nX: y"},
        {"domain": "a.com; Secure"},
        {"expires": "Fri\n, 01"},
    ],
)
def test_cookie_attributes_with_control_chars_are_refused(kwargs):
    with pytest.raises(BadHeaderError, match="can't contain control characters"):
        HttpResponse().set_cookie("a", "b", **kwargs)


def test_delete_cookie():
    response = HttpResponse()
    response.delete_cookie("c", path="/p", domain="example.com", samesite="Lax")
    morsel = response.cookies["c"]
    assert morsel.value == ""
    assert morsel["max-age"] == 0
    assert morsel["expires"] == "Thu, 01 Jan 1970 00:00:00 GMT"
    assert morsel["path"] == "/p"
    assert morsel["samesite"] == "Lax"
    assert morsel["secure"] == ""


@pytest.mark.parametrize("name", ["__Secure-c", "__Host-c"])
def test_delete_cookie_with_secure_prefix_stays_secure(name):
    response = HttpResponse()
    response.delete_cookie(name)
    assert response.cookies[name]["secure"] is True


def test_delete_cookie_samesite_none_is_secure():
    response = HttpResponse()
    response.delete_cookie("c", samesite="none")
    assert response.cookies["c"]["secure"] is True
    assert response.cookies["c"]["samesite"] == "none"


def test_close_runs_closers_and_sends_request_finished():
    from manouche.core.signals import request_finished

    calls = []
    response = HttpResponse()
    response._resource_closers.append(lambda: calls.append("closer"))
    response._resource_closers.append(lambda: 1 / 0)

    def receiver(sender, **kwargs):
        calls.append("signal")

    request_finished.connect(receiver)
    try:
        response.close()
    finally:
        request_finished.disconnect(receiver)
    assert calls == ["closer", "signal"]
    assert response.closed


def test_pickle_drops_non_picklable_attributes():
    response = HttpResponse("x")
    response.request = object()
    response.set_cookie("a", "b")
    clone = pickle.loads(pickle.dumps(response))
    assert clone.content == b"x"
    assert not hasattr(clone, "request")
    assert clone.cookies["a"].value == "b"


def test_repr():
    assert repr(HttpResponse()) == (
        '<HttpResponse status_code=200, "text/html; charset=utf-8">'
    )


@pytest.mark.parametrize(
    ("cls", "status"),
    [
        (HttpResponseBadRequest, 400),
        (HttpResponseForbidden, 403),
        (HttpResponseNotFound, 404),
        (HttpResponseGone, 410),
        (HttpResponseServerError, 500),
    ],
)
def test_status_subclasses(cls, status):
    assert cls().status_code == status


def test_not_allowed_sets_allow():
    response = HttpResponseNotAllowed(["GET", "POST"])
    assert response.status_code == 405
    assert response["Allow"] == "GET, POST"
    assert repr(response).startswith("<HttpResponseNotAllowed [GET, POST] status_code")


def test_not_modified_has_no_content_type_or_content():
    response = HttpResponseNotModified()
    assert response.status_code == 304
    assert "Content-Type" not in response
    assert response.content == b""
    with pytest.raises(AttributeError, match="304"):
        response.content = "x"


def test_redirects():
    response = HttpResponseRedirect("/é?a=1")
    assert response.status_code == 302
    assert response.url == "/%C3%A9?a=1"
    assert response["Location"] == "/%C3%A9?a=1"
    assert HttpResponsePermanentRedirect("/x").status_code == 301
    assert HttpResponseRedirect("/x", preserve_request=True).status_code == 307
    assert HttpResponsePermanentRedirect("/x", preserve_request=True).status_code == 308
    assert HttpResponseRedirect(lazystr("/lazy")).url == "/lazy"
    assert 'url="/x"' in repr(HttpResponseRedirect("/x"))


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "data:text/html,x", "file:///etc"]
)
def test_redirect_refuses_unsafe_schemes(url):
    with pytest.raises(
        DisallowedRedirect, match="Unsafe redirect to URL with protocol"
    ):
        HttpResponseRedirect(url)


def test_redirect_with_crlf_is_percent_encoded():
    response = HttpResponseRedirect("/a\r\nSet-Cookie: x=1")
    assert "\r" not in response["Location"]
    assert "%0D%0A" in response["Location"]


def test_redirect_refuses_overlong_urls():
    with pytest.raises(DisallowedRedirect, match="exceeding 16384 characters"):
        HttpResponseRedirect("/" + "a" * 16384)
    # Long SSO/OAuth return URLs below the limit are fine.
    assert HttpResponseRedirect("/" + "a" * 16383).url == "/" + "a" * 16383


def test_json_response():
    response = JsonResponse({"a": [1, 2], "b": "é"})
    assert response["Content-Type"] == "application/json"
    assert response.content == b'{"a": [1, 2], "b": "\\u00e9"}'


def test_json_response_refuses_non_dict_unless_unsafe():
    with pytest.raises(TypeError, match="set the safe parameter to False"):
        JsonResponse([1, 2])
    assert JsonResponse([1, 2], safe=False).content == b"[1, 2]"


def test_json_response_dumps_params_and_encoder():
    value = {
        "d": decimal.Decimal("1.10"),
        "u": uuid.UUID(int=1),
        "t": datetime.datetime(2024, 1, 2, 3, 4, 5, 123456, tzinfo=datetime.UTC),
    }
    response = JsonResponse(value, json_dumps_params={"sort_keys": True})
    assert response.content == (
        b'{"d": "1.10", "t": "2024-01-02T03:04:05.123Z", '
        b'"u": "00000000-0000-0000-0000-000000000001"}'
    )


def test_http404_is_an_exception():
    assert issubclass(Http404, Exception)


def test_remembered_content_type_is_stored_as_first_checked() -> None:
    first = HttpResponse(b"", content_type="application/x-remembered")
    second = HttpResponse(b"", content_type="application/x-remembered")
    assert first["Content-Type"] == second["Content-Type"]
    assert second["Content-Type"] == "application/x-remembered"


def test_content_type_with_a_newline_is_refused_every_time() -> None:
    for _ in range(2):
        with pytest.raises(BadHeaderError):
            HttpResponse(b"", content_type="text/plain\r\nX-Evil: 1")


def test_mime_encoded_content_type_is_not_remembered() -> None:
    from manouche.http import response as response_module

    value = "text/plain; name=žluť"
    encoded = HttpResponse(b"", content_type=value)["Content-Type"]
    assert encoded != value
    assert value not in response_module._CHECKED_CONTENT_TYPES
    assert HttpResponse(b"", content_type=value)["Content-Type"] == encoded


def test_content_type_memo_stops_at_its_bound(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from manouche.http import response as response_module

    monkeypatch.setattr(response_module, "_CHECKED_CONTENT_TYPES", {})
    monkeypatch.setattr(response_module, "_CHECKED_CONTENT_TYPES_MAX", 1)
    HttpResponse(b"", content_type="text/a")
    assert HttpResponse(b"", content_type="text/b")["Content-Type"] == "text/b"
    assert list(response_module._CHECKED_CONTENT_TYPES) == ["text/a"]
