"""normalize(): turning URL regexes into format strings for reverse()."""

from __future__ import annotations

import re

import pytest

from manouche.utils.regex_helper import _lazy_re_compile, normalize


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("", [("", [])]),
        (r"^articles/(?P<year>[0-9]+)/\Z", [("articles/%(year)s/", ["year"])]),
        (r"^people/(\w+)/(\d+)/$", [("people/%(_0)s/%(_1)s/", ["_0", "_1"])]),
        (r"^a|b", [("", [])]),
        (r"^price/\$([0-9]+)/$", [("price/$%(_0)s/", ["_0"])]),
        (r"^100%/$", [("100%%/", [])]),
        (r"^x{2}y?z*/$", [("xx/", [])]),
        (r"^(?P<x>a)/(?P=x)/$", [("%(x)s/%(x)s/", ["x"])]),
        (r"^(?:opt/)?end/$", [("end/", [])]),
        (
            r"^(?:(?P<page>[0-9]+)/)?$",
            [("", []), ("%(page)s/", ["page"])],
        ),
        (r"^a(?=b)c/$", [("ac/", [])]),
        (r"^[abc]/\.$", [("a/.", [])]),
        ("trailing\\", [("trailing", [])]),
    ],
)
def test_normalize(pattern, expected):
    assert normalize(pattern) == expected


def test_normalize_rejects_unknown_group_syntax():
    with pytest.raises(ValueError, match=r"Non-reversible reg-exp portion: '\(\?P>'"):
        normalize(r"^(?P>x)")


def test_lazy_re_compile_compiles_on_first_use():
    regex = _lazy_re_compile(r"^a+$")
    assert regex.match("aaa")
    compiled = re.compile("b")
    assert _lazy_re_compile(compiled).pattern == "b"
    with pytest.raises(AssertionError):
        _lazy_re_compile(compiled, re.I).match("b")
