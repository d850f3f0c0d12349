"""Content negotiation on HttpRequest: Accept ranges, precedence, preference."""

from __future__ import annotations

from manouche.http import HttpRequest


def request_accepting(header: str) -> HttpRequest:
    request = HttpRequest()
    request.META["HTTP_ACCEPT"] = header
    return request


def test_precedence_orders_by_specificity_then_quality():
    request = request_accepting("text/*, text/plain;q=0.9, text/plain;format=x, */*")
    assert [str(t) for t in request.accepted_types_by_precedence] == [
        "text/plain; format=x",
        "text/plain; q=0.9",
        "text/*",
        "*/*",
    ]


def test_the_most_specific_range_gives_the_quality():
    request = request_accepting(
        "text/*;q=0.3,text/html;q=0.7,text/html;level=1,*/*;q=0.5"
    )
    assert request.accepted_type("text/html;level=1").quality == 1
    assert request.accepted_type("text/html").quality == 0.7
    assert request.accepted_type("text/html;level=3").quality == 0.7
    assert request.accepted_type("text/plain").quality == 0.3
    assert request.accepted_type("image/png").quality == 0.5


def test_preferred_type_needs_matching_parameters():
    request = request_accepting("text/vcard; version=3.0, text/html;q=0.5")
    assert request.get_preferred_type(["text/vcard", "text/html"]) == "text/html"
    assert request.get_preferred_type(["text/vcard; version=3.0"]) == (
        "text/vcard; version=3.0"
    )
    assert request.get_preferred_type(["text/vcard; version=4.0"]) is None
    assert request.accepts("text/html") is True
    assert request.accepts("text/vcard") is False
