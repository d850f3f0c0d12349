"""Fixtures of the template tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from manouche.template import Engine
from manouche.test.utils import override_settings

TEMPLATES = [
    {
        "BACKEND": "manouche.template.backends.manouche.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": ["manouche.template.context_processors.request"]
        },
    },
    {
        "BACKEND": "manouche.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": False,
    },
]
APPS = ["tests.template.testapp"]


@pytest.fixture
def engine() -> Engine:
    """An engine over a few in-memory templates."""
    return Engine(
        debug=True,
        loaders=[
            (
                "manouche.template.loaders.locmem.Loader",
                {
                    "base.html": (
                        "[{% block a %}A{% endblock %}|{% block b %}B{% endblock %}]"
                    ),
                    "child.html": (
                        "{% extends 'base.html' %}"
                        "{% block a %}a+{{ block.super }}{% endblock %}"
                    ),
                    "inc.html": "({{ x }}{{ y }})",
                    "page.html": "{% partialdef p %}P{{ x }}{% endpartialdef %}",
                },
            )
        ],
    )


@pytest.fixture
def app_templates() -> Iterator[None]:
    """Install the test app (its templates and tag library) and its URLconf."""
    with override_settings(
        INSTALLED_APPS=APPS, TEMPLATES=TEMPLATES, ROOT_URLCONF="tests.template.urls"
    ):
        yield
