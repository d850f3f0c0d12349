"""``{% load static %}``."""

from __future__ import annotations

import pytest

from manouche.test.utils import override_settings
from tests.template.helpers import render


@override_settings(STATIC_URL="/static/", MEDIA_URL="/media/")
@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{% static 'css/a b.css' %}", "/static/css/a%20b.css"),
        ("{% static 'x.js' as v %}[{{ v }}]", "[/static/x.js]"),
        ("{% static path %}", "/static/%3Cp%3E.js"),
        ("{% get_static_prefix %}", "/static/"),
        ("{% get_media_prefix as m %}{{ m }}", "/media/"),
    ],
)
def test_static_tags(source: str, expected: str) -> None:
    assert render("{% load static %}" + source, {"path": "<p>.js"}) == expected
