"""The HTML normaliser behind assertHTMLEqual, assertInHTML and html=True."""

from __future__ import annotations

import pytest

from manouche.test.html import Element, HTMLParseError, RootElement, parse_html


def test_attribute_order_and_class_order_do_not_matter() -> None:
    assert parse_html('<a href="/x" class="b a">t</a>') == parse_html(
        '<a class="a b" href="/x">t</a>'
    )


def test_boolean_attributes_and_empty_values() -> None:
    assert parse_html("<input disabled>") == parse_html('<input disabled="disabled">')
    assert parse_html('<input value="">') == parse_html("<input value>")
    assert parse_html("<input disabled>") != parse_html('<input disabled="false">')


def test_whitespace_is_normalised() -> None:
    assert parse_html("<p>\n  a \t b  </p>") == parse_html("<p>a b</p>")
    assert parse_html("<div> <p>x</p>\n</div>") == parse_html("<div><p>x</p></div>")


def test_text_and_children_differences_matter() -> None:
    assert parse_html("<p>a</p>") != parse_html("<p>b</p>")
    assert parse_html("<p><b>a</b></p>") != parse_html("<p>a</p>")


def test_single_element_is_returned_else_root() -> None:
    assert isinstance(parse_html("<p>x</p>"), Element)
    many = parse_html("<p>x</p><p>y</p>")
    assert isinstance(many, RootElement)
    assert isinstance(parse_html("just text"), RootElement)


def test_entities_are_decoded() -> None:
    assert parse_html("<p>&lt;&amp;</p>") == parse_html("<p>&#60;&#38;</p>")


def test_count_subtrees_text_and_sequences() -> None:
    dom = parse_html("<div><p>a</p><p>a</p><span>a b a</span></div>")
    assert dom.count(parse_html("<p>a</p>")) == 2
    assert dom.count("a") == 4
    assert dom.count(parse_html("<p>a</p><p>a</p>")) == 1
    assert parse_html("<p>a</p>") in dom
    assert parse_html("<p>z</p>") not in dom


def test_void_elements_and_self_closing_tags() -> None:
    assert parse_html("<br>") == parse_html("<br/>")
    assert parse_html("<div/>") == parse_html("<div></div>")
    assert str(parse_html('<p class="x">a<br>b</p>')) == '<p class="x">\na<br>b\n</p>'


def test_unexpected_end_tag_is_an_error_with_position() -> None:
    with pytest.raises(HTMLParseError, match=r"Unexpected end tag `div` \(Line 1"):
        parse_html("<p></div>")
    with pytest.raises(HTMLParseError) as excinfo:
        parse_html("< div></div>")
    assert excinfo.value.args == ("Unexpected end tag `div` (Line 1, Column 6)", (1, 6))


def test_elements_closed_only_by_an_outer_end_tag_print_unclosed() -> None:
    assert str(parse_html("<p><foo></p>")) == "<p>\n<foo>\n</p>"
    assert str(parse_html("<div><b>x</div>")) == "<div>\n<b>\nx\n</div>"
    assert str(parse_html("<p>")) == "<p>"
    # Closedness is about printing only: the trees still compare equal.
    assert parse_html("<p><foo></p>") == parse_html("<p><foo></foo></p>")
