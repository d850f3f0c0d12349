"""HttpRequest: lazy parsing, hosts, schemes, body limits and content negotiation."""

from __future__ import annotations

import io
import pickle

import pytest

from manouche.core import signing
from manouche.core.exceptions import (
    DisallowedHost,
    ImproperlyConfigured,
    RequestDataTooBig,
    TooManyFieldsSent,
)
from manouche.http import HttpHeaders, HttpRequest, QueryDict, RawPostDataException
from manouche.http.request import split_domain_port, validate_host
from manouche.http.response import HttpResponse
from manouche.test.utils import override_settings
from tests.http.helpers import make_request


def test_bare_request_has_django_empty_defaults():
    request = HttpRequest()
    assert request.GET == {}
    assert request.GET._mutable
    assert request.POST == {}
    assert request.POST._mutable
    assert request.COOKIES == {}
    assert request.FILES == {}
    assert request.META == {}
    assert request.method is None
    assert request.content_type is None
    assert request.content_params is None
    assert repr(request) == "<HttpRequest>"


def test_request_construction_parses_nothing_until_used():
    request = make_request(query_string="a=1", HTTP_COOKIE="c=2")
    assert "_get" not in request.__dict__
    assert "_cookies" not in request.__dict__
    assert "headers" not in request.__dict__
    assert request.GET["a"] == "1"
    assert request.COOKIES == {"c": "2"}
    assert "_get" in request.__dict__


def test_get_and_cookies_can_be_replaced_and_get_forgotten():
    from manouche.http import QueryDict

    request = make_request(query_string="a=1", HTTP_COOKIE="c=2")
    request.GET = QueryDict("a=9")
    request.COOKIES = {"c": "9"}
    assert request.GET["a"] == "9"
    assert request.COOKIES == {"c": "9"}
    del request.GET
    assert request.GET["a"] == "1"  # parsed again from the query string


def test_get_is_immutable_querydict_from_query_string():
    request = make_request(query_string="a=1&a=2&b=x+y")
    assert request.GET.getlist("a") == ["1", "2"]
    assert request.GET["b"] == "x y"
    with pytest.raises(AttributeError, match="This QueryDict instance is immutable"):
        request.GET["c"] = "3"


def test_get_with_invalid_utf8_does_not_raise():
    request = make_request(query_string="q=%FF%FE&ok=%C3%A9")
    assert request.GET["q"] == "\ufffd\ufffd"
    assert request.GET["ok"] == "é"


def test_get_with_too_many_fields_raises():
    request = make_request(query_string="&".join(f"f{i}=1" for i in range(1001)))
    with pytest.raises(TooManyFieldsSent, match="DATA_UPLOAD_MAX_NUMBER_FIELDS"):
        request.GET  # noqa: B018


def test_repr_shows_method_and_path():
    request = make_request(path="/a b/", query_string="x=1")
    assert repr(request) == "<HttpRequest: GET '/a%20b/?x=1'>"


def test_headers_are_case_insensitive_and_accept_underscores():
    request = make_request(
        content_type="text/plain", HTTP_X_CUSTOM="v", HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert request.headers["x-custom"] == "v"
    assert request.headers["X_CUSTOM"] == "v"
    assert request.headers["Content-Type"] == "text/plain"
    assert request.headers["Accept-Language"] == "fr"
    assert "Server-Name" not in request.headers


def test_http_headers_name_conversions():
    assert HttpHeaders.parse_header_name("HTTP_X_A") == "X-A"
    assert HttpHeaders.parse_header_name("CONTENT_LENGTH") == "Content-Length"
    assert HttpHeaders.parse_header_name("SERVER_NAME") is None
    assert HttpHeaders.to_wsgi_name("content-type") == "CONTENT_TYPE"
    assert HttpHeaders.to_wsgi_name("X-Forwarded-For") == "HTTP_X_FORWARDED_FOR"
    assert HttpHeaders.to_asgi_name("X-A") == "X_A"
    assert HttpHeaders.to_wsgi_names({"X-A": 1}) == {"HTTP_X_A": 1}
    assert HttpHeaders.to_asgi_names({"X-A": 1}) == {"X_A": 1}


def test_content_type_and_params_and_charset():
    request = make_request(content_type="text/plain; charset=latin-1; x=y")
    assert request.content_type == "text/plain"
    assert request.content_params == {"charset": "latin-1", "x": "y"}
    assert request.encoding == "latin-1"


def test_unknown_charset_is_ignored():
    request = make_request(content_type="text/plain; charset=nope-42")
    assert request.encoding is None


def test_encoding_setter_reparses_get():
    request = make_request(query_string="a=%E9")
    assert request.GET["a"] == "\ufffd"
    request.encoding = "latin-1"
    assert request.GET["a"] == "é"


def test_body_is_read_once_and_rewound_for_read():
    request = make_request("POST", body=b"hello", content_type="text/plain")
    assert request.body == b"hello"
    assert request.read() == b"hello"


def test_body_after_read_raises():
    request = make_request("POST", body=b"hello", content_type="text/plain")
    assert request.read(2) == b"he"
    with pytest.raises(RawPostDataException, match="after reading"):
        request.body  # noqa: B018


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=10)
def test_body_over_limit_by_content_length():
    request = make_request("POST", body=b"x" * 11, content_type="text/plain")
    with pytest.raises(RequestDataTooBig, match="DATA_UPLOAD_MAX_MEMORY_SIZE"):
        request.body  # noqa: B018


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=10)
def test_body_over_limit_with_lying_content_length():
    request = make_request("POST", body=b"x" * 1000, content_type="text/plain")
    request.META["CONTENT_LENGTH"] = "3"
    with pytest.raises(RequestDataTooBig):
        request.body  # noqa: B018


def test_invalid_content_length_is_treated_as_zero():
    request = make_request("POST", body=b"abc", content_type="text/plain")
    request.META["CONTENT_LENGTH"] = "nope"
    assert request.body == b"abc"


def test_readline_and_iteration():
    request = make_request("POST", body=b"a\nb\nc")
    assert request.readline() == b"a\n"
    assert list(request) == [b"b\n", b"c"]
    request = make_request("POST", body=b"x\ny\n")
    assert request.readlines() == [b"x\n", b"y\n"]


def test_urlencoded_post():
    request = make_request(
        "POST",
        body=b"a=1&b=%C3%A9&b=2",
        content_type="application/x-www-form-urlencoded",
    )
    assert request.POST.getlist("b") == ["é", "2"]
    assert request.FILES == {}
    with pytest.raises(AttributeError):
        request.POST["c"] = "x"


def test_urlencoded_post_with_invalid_utf8_body():
    request = make_request(
        "POST", body=b"a=\xff\xfe", content_type="application/x-www-form-urlencoded"
    )
    assert request.POST["a"] == "ÿþ"


def test_urlencoded_post_with_100k_fields_stops_early():
    body = b"&".join(b"f=1" for _ in range(100_000))
    request = make_request(
        "POST", body=body, content_type="application/x-www-form-urlencoded"
    )
    with (
        override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=None),
        pytest.raises(TooManyFieldsSent, match="exceeded"),
    ):
        request.POST  # noqa: B018


def test_post_for_get_request_is_empty_immutable():
    request = make_request("GET", body=b"a=1")
    assert request.POST == {}
    assert not request.POST._mutable


def test_other_content_types_give_empty_post():
    request = make_request("POST", body=b'{"a": 1}', content_type="application/json")
    assert request.POST == {}
    assert request.body == b'{"a": 1}'


def test_get_host_checks_allowed_hosts():
    assert make_request().get_host() == "testserver"
    request = make_request(HTTP_HOST="evil.com")
    with pytest.raises(DisallowedHost, match=r"You may need to add 'evil\.com'"):
        request.get_host()


@pytest.mark.parametrize(
    "host",
    [
        "testserver:80:81",
        "testserver/evil",
        "test server",
        "testserver\r\nX: y",
        "[::1",
        "",
        "testserver@evil.com",
    ],
)
def test_get_host_refuses_malformed_hosts(host):
    request = make_request(HTTP_HOST=host)
    with pytest.raises(DisallowedHost, match="not valid according to RFC 1034/1035"):
        request.get_host()


@override_settings(DEBUG=True, ALLOWED_HOSTS=[])
@pytest.mark.parametrize("host", ["localhost", "sub.localhost", "127.0.0.1", "[::1]"])
def test_debug_with_empty_allowed_hosts_allows_local_hosts(host):
    assert make_request(HTTP_HOST=host).get_host() == host


@override_settings(DEBUG=True, ALLOWED_HOSTS=[])
def test_debug_with_empty_allowed_hosts_refuses_other_hosts():
    with pytest.raises(DisallowedHost):
        make_request(HTTP_HOST="example.com").get_host()


@override_settings(ALLOWED_HOSTS=[".example.com", "exact.org"])
def test_allowed_hosts_subdomain_patterns():
    assert make_request(HTTP_HOST="a.example.com:8000").get_host() == (
        "a.example.com:8000"
    )
    assert make_request(HTTP_HOST="example.com").get_host() == "example.com"
    with pytest.raises(DisallowedHost):
        make_request(HTTP_HOST="sub.exact.org").get_host()


def test_allowed_hosts_changed_in_place_is_read_again():
    """Hosts found valid are remembered per ALLOWED_HOSTS, not past a change."""
    allowed = ["one.example"]
    with override_settings(ALLOWED_HOSTS=allowed):
        assert make_request(HTTP_HOST="one.example").get_host() == "one.example"
        allowed[0] = "two.example"
        with pytest.raises(DisallowedHost):
            make_request(HTTP_HOST="one.example").get_host()
        assert make_request(HTTP_HOST="two.example").get_host() == "two.example"


@pytest.mark.parametrize("allowed", [("a.example",), {"a.example"}])
def test_allowed_hosts_as_tuple_or_set(allowed):
    with override_settings(ALLOWED_HOSTS=allowed):
        for _ in range(2):  # checked, then remembered (or checked again)
            assert make_request(HTTP_HOST="a.example").get_host() == "a.example"
            with pytest.raises(DisallowedHost):
                make_request(HTTP_HOST="b.example").get_host()


def test_get_host_falls_back_to_server_name_and_port():
    request = make_request()
    del request.META["HTTP_HOST"]
    request.META["SERVER_PORT"] = "8000"
    with override_settings(ALLOWED_HOSTS=["testserver"]):
        assert request.get_host() == "testserver:8000"


@override_settings(USE_X_FORWARDED_HOST=True, ALLOWED_HOSTS=["proxied.com"])
def test_x_forwarded_host_used_only_when_enabled():
    request = make_request(HTTP_X_FORWARDED_HOST="proxied.com")
    assert request.get_host() == "proxied.com"


def test_x_forwarded_host_ignored_by_default():
    request = make_request(HTTP_X_FORWARDED_HOST="evil.com")
    assert request.get_host() == "testserver"


def test_get_port_and_forwarded_port():
    request = make_request(HTTP_X_FORWARDED_PORT="8443")
    assert request.get_port() == "80"
    with override_settings(USE_X_FORWARDED_PORT=True):
        assert request.get_port() == "8443"


def test_split_domain_port_and_validate_host():
    assert split_domain_port("Example.COM.:8000") == ("example.com", "8000")
    assert split_domain_port("[::1]:80") == ("[::1]", "80")
    assert split_domain_port("bad host") == ("", "")
    assert validate_host("a.b.com", [".b.com"])
    assert validate_host("anything", ["*"])
    assert not validate_host("b.com.evil", [".b.com"])


def test_scheme_defaults_to_http():
    request = make_request()
    assert request.scheme == "http"
    assert not request.is_secure()


@override_settings(SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"))
def test_secure_proxy_ssl_header():
    assert make_request(HTTP_X_FORWARDED_PROTO="https").is_secure()
    assert make_request(HTTP_X_FORWARDED_PROTO="https, http").scheme == "https"
    assert make_request(HTTP_X_FORWARDED_PROTO="http").scheme == "http"
    assert make_request().scheme == "http"


@override_settings(SECURE_PROXY_SSL_HEADER=("ONLY_ONE",))
def test_secure_proxy_ssl_header_must_be_a_pair():
    with pytest.raises(ImproperlyConfigured, match="two values"):
        make_request().scheme  # noqa: B018


def test_full_path_and_full_path_info():
    request = make_request(path="/p/é", query_string="a=%20b&c=é")
    request.path_info = "/é"
    assert request.get_full_path() == "/p/%C3%A9?a=%20b&c=%C3%A9"
    assert request.get_full_path(force_append_slash=True) == (
        "/p/%C3%A9/?a=%20b&c=%C3%A9"
    )
    assert request.get_full_path_info() == "/%C3%A9?a=%20b&c=%C3%A9"


def test_build_absolute_uri():
    request = make_request(path="/dir/page", query_string="x=1")
    assert request.build_absolute_uri() == "http://testserver/dir/page?x=1"
    assert request.build_absolute_uri("/other") == "http://testserver/other"
    assert request.build_absolute_uri("rel") == "http://testserver/dir/rel"
    assert request.build_absolute_uri("../up") == "http://testserver/up"
    assert request.build_absolute_uri("https://x.org/a") == "https://x.org/a"
    assert request.build_absolute_uri("//x.org/a") == "http://x.org/a"


def test_signed_cookie_round_trip_and_tampering():
    response = HttpResponse()
    response.set_signed_cookie("c", "value", salt="s")
    signed = response.cookies["c"].value
    request = make_request(HTTP_COOKIE=f"c={signed}")
    assert request.get_signed_cookie("c", salt="s") == "value"
    assert request.get_signed_cookie("c", default="d", salt="other") == "d"
    with pytest.raises(signing.BadSignature):
        request.get_signed_cookie("c", salt="other")
    with pytest.raises(KeyError):
        request.get_signed_cookie("missing")
    assert request.get_signed_cookie("missing", default=None) is None


def test_signed_cookie_max_age():
    response = HttpResponse()
    response.set_signed_cookie("c", "v")
    request = make_request(HTTP_COOKIE=f"c={response.cookies['c'].value}")
    with pytest.raises(signing.SignatureExpired):
        request.get_signed_cookie("c", max_age=-1)
    assert request.get_signed_cookie("c", default="old", max_age=-1) == "old"


def test_accepts_and_preferred_type():
    request = make_request(
        HTTP_ACCEPT="text/html, application/xhtml+xml, application/xml;q=0.9, */*;q=0.8"
    )
    assert request.accepts("text/html")
    assert request.accepts("application/json")
    assert request.get_preferred_type(["application/json", "text/html"]) == (
        "text/html"
    )
    assert request.get_preferred_type(["application/xml", "image/png"]) == (
        "application/xml"
    )
    assert request.get_preferred_type([]) is None


def test_accepts_with_quality_zero_and_no_header():
    request = make_request(HTTP_ACCEPT="text/html, application/json;q=0")
    assert not request.accepts("application/json")
    assert request.get_preferred_type(["application/json"]) is None
    assert make_request().accepts("anything/at-all")
    assert [str(t) for t in make_request().accepted_types] == ["*/*"]


def test_is_ajax_is_absent_like_django_5():
    assert not hasattr(HttpRequest(), "is_ajax")


def test_upload_handlers_cannot_change_after_parsing():
    request = make_request("POST", body=b"", content_type="text/plain")
    request.FILES  # noqa: B018
    with pytest.raises(AttributeError, match="after the upload has been processed"):
        request.upload_handlers = []


def test_request_pickles_without_stream():
    request = make_request(query_string="a=1")
    request.GET  # noqa: B018
    clone = pickle.loads(pickle.dumps(request))
    assert clone.GET["a"] == "1"
    assert not hasattr(clone, "_stream")


def test_unreadable_stream_raises_unreadable_post_error():
    from manouche.http import UnreadablePostError

    class Broken(io.BytesIO):
        def read(self, *args):
            raise OSError("connection reset")

    request = make_request("POST", content_type="text/plain")
    request._stream = Broken()
    with pytest.raises(UnreadablePostError, match="connection reset"):
        request.body  # noqa: B018


def test_querydict_is_exported():
    assert isinstance(make_request().GET, QueryDict)


def test_copy_shares_the_resolver_match_and_deepcopy_copies_the_rest():
    import copy

    from manouche.test import RequestFactory

    request = RequestFactory().get("/")
    request.resolver_match = object()
    request.session = {}
    assert copy.copy(request).resolver_match is request.resolver_match
    deep = copy.deepcopy(request)
    request.session["key"] = "value"
    assert deep.session == {}
    assert deep.resolver_match is request.resolver_match


def test_urlencoded_body_must_be_utf8():
    from manouche.core.exceptions import BadRequest
    from manouche.test import RequestFactory

    request = RequestFactory().post(
        "/",
        "key=Espa%F1a",
        content_type="application/x-www-form-urlencoded; charset=iso-8859-1",
    )
    with pytest.raises(BadRequest, match="must be UTF-8 encoded"):
        request.POST  # noqa: B018
