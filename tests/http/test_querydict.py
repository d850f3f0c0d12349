"""QueryDict: parsing, immutability, copies, encoding and the field limit."""

from __future__ import annotations

import copy
import pickle

import pytest

from manouche.core.exceptions import TooManyFieldsSent
from manouche.http import QueryDict
from manouche.test.utils import override_settings


def test_parses_repeated_and_blank_values():
    q = QueryDict("a=1&a=2&b=&c")
    assert q.getlist("a") == ["1", "2"]
    assert q["a"] == "2"
    assert q["b"] == ""
    assert q["c"] == ""


def test_empty_and_none_query_strings():
    assert QueryDict() == {}
    assert QueryDict(None) == {}
    assert QueryDict("&&") == {}


def test_plus_and_percent_decoding():
    q = QueryDict("name=J%C3%BCrgen+M&x=%2B")
    assert q["name"] == "Jürgen M"
    assert q["x"] == "+"


def test_bytes_query_string_with_invalid_utf8_falls_back_to_latin1():
    assert QueryDict(b"a=\xe9")["a"] == "é"


def test_invalid_percent_escapes_are_replaced_not_raised():
    q = QueryDict("a=%ZZ&b=%FF&%FF=c")
    assert q["a"] == "%ZZ"
    assert q["b"] == "\ufffd"
    assert q["\ufffd"] == "c"


def test_encoding_argument():
    q = QueryDict("a=%E9", encoding="latin-1")
    assert q["a"] == "é"
    assert q.encoding == "latin-1"


def test_immutable_by_default():
    q = QueryDict("a=1")
    for action in (
        lambda: q.__setitem__("a", "2"),
        lambda: q.__delitem__("a"),
        lambda: q.setlist("a", ["1"]),
        lambda: q.appendlist("a", "1"),
        lambda: q.pop("a"),
        lambda: q.popitem(),
        q.clear,
        lambda: q.setdefault("z", "1"),
        lambda: q.setlistdefault("z"),
    ):
        with pytest.raises(
            AttributeError, match="This QueryDict instance is immutable"
        ):
            action()


def test_copy_is_mutable_deep_copy():
    q = QueryDict("a=1&a=2")
    c = q.copy()
    assert c._mutable
    c.appendlist("a", "3")
    assert q.getlist("a") == ["1", "2"]
    assert copy.copy(q)._mutable
    assert copy.deepcopy(q).getlist("a") == ["1", "2"]


def test_mutable_querydict_converts_bytes():
    q = QueryDict(mutable=True)
    q[b"k"] = b"\xc3\xa9"
    assert q["k"] == "é"
    q.setlist("l", [b"a", "b"])
    assert q.getlist("l") == ["a", "b"]
    assert q.setdefault("d", b"x") == "x"


def test_urlencode_and_safe():
    q = QueryDict(mutable=True)
    q["next"] = "/a&b/"
    q.setlist("x", ["1 2", "é"])
    assert q.urlencode() == "next=%2Fa%26b%2F&x=1+2&x=%C3%A9"
    assert q.urlencode(safe="/") == "next=/a%26b/&x=1%202&x=%C3%A9"


def test_fromkeys():
    q = QueryDict.fromkeys(["a", "a", "b"], value="v")
    assert q.getlist("a") == ["v", "v"]
    assert not q._mutable
    assert QueryDict.fromkeys(["a"], mutable=True)._mutable


def test_pickle_round_trip():
    q = QueryDict("a=1&a=2")
    clone = pickle.loads(pickle.dumps(q))
    assert clone == q
    assert clone.getlist("a") == ["1", "2"]


@override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=2)
def test_field_limit_counts_non_empty_fields_only():
    assert QueryDict("a=1&&b=2&").getlist("b") == ["2"]
    with pytest.raises(TooManyFieldsSent, match="DATA_UPLOAD_MAX_NUMBER_FIELDS"):
        QueryDict("a=1&b=2&c=3")


@override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=None)
def test_field_limit_can_be_disabled():
    assert len(QueryDict("&".join(f"f{i}=1" for i in range(2000)))) == 2000


def test_100k_fields_stop_at_first_over_limit(monkeypatch):
    from manouche.http import request as request_module

    parsed = []
    original = request_module._parse_query_string

    def recording(*args):
        for pair in original(*args):
            parsed.append(pair)
            yield pair

    monkeypatch.setattr(request_module, "_parse_query_string", recording)
    with pytest.raises(TooManyFieldsSent):
        QueryDict("&".join(f"f{i}=1" for i in range(100_000)))
    assert len(parsed) == 1000
