"""manouche.utils.text helpers."""

from __future__ import annotations

import gzip
from unittest import mock

import pytest

from manouche.core.exceptions import SuspiciousFileOperation
from manouche.utils.text import (
    Truncator,
    camel_case_to_spaces,
    capfirst,
    compress_sequence,
    compress_string,
    get_text_list,
    get_valid_filename,
    normalize_newlines,
    phone2numeric,
    slugify,
    wrap,
)


def test_get_valid_filename():
    assert get_valid_filename("john's portrait in 2004.jpg") == (
        "johns_portrait_in_2004.jpg"
    )
    assert get_valid_filename("../etc/passwd") == "..etcpasswd"
    for bad in ("", "..", "$.$", "???"):
        with pytest.raises(SuspiciousFileOperation, match="Could not derive"):
            get_valid_filename(bad)


def test_compress_string_and_sequence():
    data = b"hello " * 100
    assert gzip.decompress(compress_string(data)) == data
    assert compress_string(data) == compress_string(data)
    assert gzip.decompress(b"".join(compress_sequence([b"a", b"b"]))) == b"ab"


def test_compress_pads_the_header_with_a_random_file_name():
    with mock.patch("manouche.utils.text.secrets.randbelow", return_value=3) as rnd:
        whole = compress_string(b"secret", max_random_bytes=100)
        streamed = b"".join(compress_sequence([b"sec", b"ret"], max_random_bytes=100))
    assert rnd.call_args_list == [mock.call(100), mock.call(100)]
    for out in (whole, streamed):
        assert out[3] == gzip.FNAME
        assert out[10:14] == b"aaa\x00"
        assert gzip.decompress(out) == b"secret"
    assert compress_string(b"secret")[3] == 0


def test_slugify():
    assert slugify(" Joel is a slug ") == "joel-is-a-slug"
    assert slugify("Héllo Wörld!") == "hello-world"
    assert slugify("你好 World", allow_unicode=True) == "你好-world"
    assert slugify("--a__b--") == "a__b"


def test_small_helpers():
    assert capfirst("hello") == "Hello"
    assert capfirst("") == ""
    assert get_text_list(["a", "b", "c"]) == "a, b or c"
    assert get_text_list(["a", "b"], "and") == "a and b"
    assert get_text_list(["a"]) == "a"
    assert get_text_list([]) == ""
    assert phone2numeric("0800 FLOWERS") == "0800 3569377"
    assert normalize_newlines("a\r\nb\rc") == "a\nb\nc"
    assert camel_case_to_spaces("CamelCaseName") == "camel case name"
    assert wrap("a b c d", 3) == "a b\nc d"


def test_truncator():
    assert Truncator("Hello world").chars(5) == "Hell…"
    assert Truncator("Hello").chars(10) == "Hello"
    assert Truncator("one two three").words(2) == "one two…"
    assert Truncator("one two").words(2, truncate="...") == "one two"
    assert Truncator("x").chars(0) == ""
