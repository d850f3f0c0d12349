"""The built-in context processors, each through a rendered template."""

from __future__ import annotations

from typing import Any

import pytest

from manouche.template import Context, Engine, RequestContext
from manouche.template import context_processors as cp
from manouche.test.client import RequestFactory
from manouche.test.utils import override_settings
from manouche.utils import timezone, translation


def render_with(processor: str, source: str, **request: Any) -> str:
    engine = Engine(
        context_processors=[f"manouche.template.context_processors.{processor}"]
    )
    http_request = RequestFactory().get("/", **request)
    return str(engine.from_string(source).render(RequestContext(http_request)))


@override_settings(DEBUG=True, INTERNAL_IPS=["10.0.0.1"])
def test_debug_processor_flags_internal_ips_only() -> None:
    source = "{{ debug }}|{% if sql_queries is None %}no queries{% endif %}"
    assert render_with("debug", source, REMOTE_ADDR="10.0.0.1") == "True|"
    assert render_with("debug", source, REMOTE_ADDR="10.0.0.2") == "|no queries"


@override_settings(DEBUG=False, INTERNAL_IPS=["10.0.0.1"])
def test_debug_processor_is_off_without_debug() -> None:
    assert render_with("debug", "{{ debug }}", REMOTE_ADDR="10.0.0.1") == ""


def test_request_processor() -> None:
    assert render_with("request", "{{ request.path }}") == "/"


@override_settings(STATIC_URL="/static/", MEDIA_URL="/media/")
def test_static_and_media_processors() -> None:
    assert render_with("static", "{{ STATIC_URL }}") == "/static/"
    assert render_with("media", "{{ MEDIA_URL }}") == "/media/"


def test_tz_processor_names_the_current_time_zone() -> None:
    with timezone.override("Europe/Paris"):
        assert render_with("tz", "{{ TIME_ZONE }}") == "Europe/Paris"


@override_settings(LANGUAGES=[("en", "English"), ("fr", "French")])
def test_i18n_processor() -> None:
    with translation.override("fr"):
        out = render_with(
            "i18n", "{{ LANGUAGE_CODE }}|{{ LANGUAGE_BIDI }}|{{ LANGUAGES|length }}"
        )
    assert out == "fr|False|2"


def test_csrf_processor_is_a_placeholder_without_the_csrf_layer() -> None:
    request = RequestFactory().get("/")
    token = cp.csrf(request)["csrf_token"]
    value = str(token)
    assert value == "NOTPROVIDED" or len(value) >= 32


def test_csrf_placeholder_renders_no_input() -> None:
    context = Context({"csrf_token": "NOTPROVIDED"})
    assert Engine().from_string("{% csrf_token %}").render(context) == ""


@pytest.mark.parametrize(
    "name", ["csrf", "debug", "i18n", "media", "request", "static", "tz"]
)
def test_every_processor_returns_a_dict(name: str) -> None:
    request = RequestFactory().get("/")
    assert isinstance(getattr(cp, name)(request), dict)
