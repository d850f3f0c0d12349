"""manouche.utils.http: dates, ETags, base36/64, header parameters, safe URLs."""

from __future__ import annotations

import pytest

from manouche.utils.datastructures import MultiValueDict
from manouche.utils.http import (
    base36_to_int,
    content_disposition_header,
    escape_leading_slashes,
    http_date,
    int_to_base36,
    is_same_domain,
    parse_etags,
    parse_header_parameters,
    parse_http_date,
    parse_http_date_safe,
    quote_etag,
    url_has_allowed_host_and_scheme,
    urlencode,
    urlsafe_base64_decode,
    urlsafe_base64_encode,
)


def test_urlencode():
    assert urlencode({"a": 1, "b": "x y"}) == "a=1&b=x+y"
    assert urlencode([("a", ["1", "2"])], doseq=True) == "a=1&a=2"
    assert urlencode(MultiValueDict({"a": ["1", "2"]}), doseq=True) == "a=1&a=2"
    assert urlencode({"a": b"bytes"}) == "a=bytes"


def test_urlencode_refuses_none():
    with pytest.raises(TypeError, match="Cannot encode None for key 'a'"):
        urlencode({"a": None})
    with pytest.raises(TypeError, match="Cannot encode None"):
        urlencode({"a": [None]}, doseq=True)


def test_http_dates():
    assert http_date(0) == "Thu, 01 Jan 1970 00:00:00 GMT"
    assert parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT") == 784111777
    assert parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT") == 784111777
    assert parse_http_date("Sun Nov  6 08:49:37 1994") == 784111777
    with pytest.raises(ValueError, match="not in a valid HTTP date format"):
        parse_http_date("yesterday")
    with pytest.raises(ValueError, match="not a valid date"):
        parse_http_date("Sun, 06 Foo 1994 08:49:37 GMT")
    assert parse_http_date_safe("garbage") is None


def test_base36():
    assert int_to_base36(0) == "0"
    assert int_to_base36(12345) == "9ix"
    assert base36_to_int("9ix") == 12345
    with pytest.raises(ValueError, match="too large"):
        base36_to_int("1" * 14)
    with pytest.raises(ValueError, match="Negative"):
        int_to_base36(-1)


def test_urlsafe_base64():
    assert urlsafe_base64_encode(b"\xff\xfe") == "__4"
    assert urlsafe_base64_decode("__4") == b"\xff\xfe"
    with pytest.raises(ValueError):
        urlsafe_base64_decode("a")


def test_etags():
    assert parse_etags('"a", W/"b", bad, "c"') == ['"a"', 'W/"b"', '"c"']
    assert parse_etags(" * ") == ["*"]
    assert quote_etag("x") == '"x"'
    assert quote_etag('W/"x"') == 'W/"x"'


def test_is_same_domain():
    assert is_same_domain("example.com", "example.com")
    assert is_same_domain("sub.example.com", ".example.com")
    assert is_same_domain("example.com", ".example.com")
    assert not is_same_domain("example.com.evil", ".example.com")
    assert not is_same_domain("example.com", "")


@pytest.mark.parametrize(
    "url",
    [
        "/path",
        "path",
        "?q=1",
        "http://testserver/x",
        "https://testserver/x",
        "//testserver/x",
    ],
)
def test_safe_urls(url):
    assert url_has_allowed_host_and_scheme(url, {"testserver"})


@pytest.mark.parametrize(
    "url",
    [
        None,
        "",
        "   ",
        "//evil.com",
        "///evil.com",
        "\\\\evil.com",
        "\\/evil.com",
        "/\\evil.com",
        "http://evil.com",
        "http:///evil.com",
        "javascript:alert(1)",
        "ftp://testserver/x",
        "\x08//evil.com",
        "\x00http://evil.com",
        "http:\\\\evil.com",
        "/" + "a" * 2048,
        "http://[::1",
    ],
)
def test_unsafe_urls(url):
    assert not url_has_allowed_host_and_scheme(url, {"testserver"})


def test_require_https_and_string_allowed_hosts():
    assert not url_has_allowed_host_and_scheme(
        "http://testserver/", "testserver", require_https=True
    )
    assert url_has_allowed_host_and_scheme(
        "https://testserver/", "testserver", require_https=True
    )
    assert not url_has_allowed_host_and_scheme("http://a.com/", None)


def test_escape_leading_slashes():
    assert escape_leading_slashes("//evil.com") == "/%2Fevil.com"
    assert escape_leading_slashes("/ok") == "/ok"


def test_parse_header_parameters():
    assert parse_header_parameters('Text/HTML; Charset="utf-8"; a="b;c"') == (
        "text/html",
        {"charset": "utf-8", "a": "b;c"},
    )
    assert parse_header_parameters("attachment; filename*=UTF-8''%E2%82%AC.txt") == (
        "attachment",
        {"filename": "€.txt"},
    )
    assert parse_header_parameters('form-data; name="a\\"b"')[1] == {"name": 'a"b'}
    with pytest.raises(ValueError, match="too long"):
        parse_header_parameters("x" * 10_001)


def test_content_disposition_header():
    assert content_disposition_header(False, "") is None
    assert content_disposition_header(True, "") == "attachment"
    assert content_disposition_header(False, "a.txt") == 'inline; filename="a.txt"'
    assert content_disposition_header(True, 'a"b\\.txt') == (
        'attachment; filename="a\\"b\\\\.txt"'
    )
    assert content_disposition_header(True, "€ x.txt") == (
        "attachment; filename*=utf-8''%E2%82%AC%20x.txt"
    )
    assert "\r" not in content_disposition_header(True, "a\r\nb.txt")
