"""The template backends: manouche's own (DjangoTemplates) and Jinja2."""

from __future__ import annotations

from pathlib import Path

import pytest

from manouche.template import TemplateDoesNotExist, TemplateSyntaxError, engines
from manouche.test.client import RequestFactory


@pytest.mark.usefixtures("app_templates")
def test_jinja2_backend_renders_and_escapes() -> None:
    t = engines["jinja2"].from_string(
        "{{ x }}{% for i in l %}{{ loop.index }}{% endfor %}"
    )
    assert t.render({"x": "<", "l": [1, 2]}) == "&lt;12"


@pytest.mark.usefixtures("app_templates")
def test_jinja2_backend_with_a_request_offers_request_and_csrf_names() -> None:
    request = RequestFactory().get("/p/")
    t = engines["jinja2"].from_string("{{ request.path }}|{{ csrf_input }}")
    assert t.render({}, request=request).startswith("/p/|")


@pytest.mark.usefixtures("app_templates")
def test_jinja2_missing_template_maps_to_ours() -> None:
    with pytest.raises(TemplateDoesNotExist, match="nope.html"):
        engines["jinja2"].get_template("nope.html")


def test_jinja2_syntax_error_maps_to_ours_with_debug_info(tmp_path: Path) -> None:
    from manouche.template.backends.jinja2 import Jinja2

    (tmp_path / "bad.html").write_text("ok\n{% for %}")
    backend = Jinja2(
        {"NAME": "j", "DIRS": [str(tmp_path)], "APP_DIRS": False, "OPTIONS": {}}
    )
    with pytest.raises(TemplateSyntaxError) as info:
        backend.get_template("bad.html")
    assert info.value.template_debug["line"] == 2


@pytest.mark.usefixtures("app_templates")
def test_manouche_backend_renders_dicts_with_the_request_processors() -> None:
    request = RequestFactory().get("/here/")
    t = engines["manouche"].from_string("{{ request.path }} {{ x }}")
    assert t.render({"x": "<"}, request=request) == "/here/ &lt;"


@pytest.mark.usefixtures("app_templates")
def test_manouche_backend_missing_template_names_the_backend() -> None:
    with pytest.raises(TemplateDoesNotExist) as info:
        engines["manouche"].get_template("nope.html")
    assert info.value.backend is engines["manouche"]
