"""Fixtures of the generic view tests: templates, URLconf and modelapp tables."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from manouche.test.utils import override_settings
from tests.db.conftest import DatabaseFixture, _server_databases, database
from tests.db.models.modelapp.models import ALL_MODELS

__all__ = ["_server_databases", "database", "generic_app", "generic_templates"]

LIST = (
    "{% for item in object_list %}{{ item }};{% endfor %}"
    "{% if is_paginated %}|page {{ page_obj.number }} of "
    "{{ paginator.num_pages }}{% endif %}"
)
TEMPLATES_SOURCES = {
    "modelapp/author_list.html": "authors:" + LIST,
    "books.html": "{% for b in books %}{{ b.title }};{% endfor %}",
    "plain_list.html": "plain:" + LIST,
    "modelapp/author_detail.html": "author {{ author.name }} ({{ object.pk }})",
    "modelapp/tag_detail.html": "tag {{ object.name }}/{{ thing.name }}",
    "contact.html": "{{ form.errors }}|{{ form.message.value }}",
    "modelapp/author_form.html": "form:{{ form.errors }}",
    "modelapp/book_form.html": "book form:{{ form.errors }}",
    "modelapp/author_confirm_delete.html": "Delete {{ object.name }}?",
    "modelapp/book_archive.html": "latest:" + LIST,
    "modelapp/book_archive_year.html": "year {{ year|date:'Y' }}:" + LIST,
    "modelapp/book_archive_month.html": "month {{ month|date:'Y-m' }}:" + LIST,
    "modelapp/book_archive_day.html": "day {{ day|date:'Y-m-d' }}:" + LIST,
    "modelapp/book_archive_week.html": "week {{ week|date:'Y-m-d' }}:" + LIST,
    "modelapp/book_detail.html": "book {{ book.title }} ({{ object.pk }})",
}
TEMPLATES = [
    {
        "BACKEND": "manouche.template.backends.manouche.DjangoTemplates",
        "OPTIONS": {
            "loaders": [("manouche.template.loaders.locmem.Loader", TEMPLATES_SOURCES)],
        },
    }
]


@pytest.fixture
def generic_templates() -> Iterator[None]:
    """In-memory templates and the generic views' URLconf."""
    with override_settings(
        TEMPLATES=TEMPLATES, ROOT_URLCONF="tests.views.generic.urls"
    ):
        yield


@pytest.fixture
def generic_app(database: DatabaseFixture, generic_templates: None) -> DatabaseFixture:
    """The above plus the modelapp tables (deletion collects across all of them)."""
    features = database.connection.features
    database.create_models(
        *(
            model
            for model in ALL_MODELS
            if all(getattr(features, f) for f in model._meta.required_db_features)
        )
    )
    return database
