"""parse_cookie: tolerant of junk, never raising."""

from __future__ import annotations

import pytest

from manouche.http import SimpleCookie, parse_cookie


def test_parses_simple_pairs():
    assert parse_cookie("a=1; b=2;c=3") == {"a": "1", "b": "2", "c": "3"}


def test_piece_without_equals_gets_empty_name():
    assert parse_cookie("flag; a=1") == {"": "flag", "a": "1"}


def test_empty_pieces_are_skipped():
    assert parse_cookie(";;  ; a=1;") == {"a": "1"}
    assert parse_cookie("") == {}


def test_quoted_values_are_unquoted():
    assert parse_cookie('a="x y"; b="\\"q\\""; c="\\344"') == {
        "a": "x y",
        "b": '"q"',
        "c": "ä",
    }


def test_values_with_equals_and_odd_characters_are_kept():
    assert parse_cookie("a=b=c; d=,:[]{}") == {"a": "b=c", "d": ",:[]{}"}


@pytest.mark.parametrize(
    "header",
    [
        b"a=\xff\xfe; b=1",
        "a=\udcff; b=1",
        "\x00=\x00; b=1",
        'a="unterminated; b=1',
        "a=1\r\nSet-Cookie: evil=1; b=1",
    ],
)
def test_hostile_headers_never_raise(header):
    result = parse_cookie(header)
    assert result["b"] == "1"


def test_invalid_utf8_bytes_become_replacement_characters():
    assert parse_cookie(b"a=\xff")["a"] == "\ufffd"


def test_last_duplicate_wins():
    assert parse_cookie("a=1; a=2") == {"a": "2"}


def test_simple_cookie_is_the_stdlib_class():
    cookie = SimpleCookie()
    cookie["x"] = "a;b"
    assert cookie.output() == 'Set-Cookie: x="a\\073b"'
