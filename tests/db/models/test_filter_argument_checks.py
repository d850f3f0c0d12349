"""filter()/exclude()/update() reject what cannot become a query, at once."""

from __future__ import annotations

import pytest

from manouche.core.exceptions import FieldError
from manouche.db.models import F, Q
from tests.db.models.modelapp.models import Author, Book


def test_an_unsaved_instance_cannot_be_a_filter_value(mdb: object) -> None:
    saved = Author.objects.create(name="Ann")
    unsaved = Author(name="Nobody")
    message = "Model instances passed to related filters must be saved."
    with pytest.raises(ValueError, match=message):
        Book.objects.filter(author=unsaved)
    with pytest.raises(ValueError, match=message):
        Book.objects.exclude(author__in=[saved, unsaved])
    with pytest.raises(ValueError, match=message):
        Book.objects.filter(Q(title="x") | Q(author=unsaved))
    assert list(Book.objects.filter(author=saved)) == []


def test_an_unsaved_instance_cannot_be_an_update_value(mdb: object) -> None:
    ann = Author.objects.create(name="Ann")
    Book.objects.create(title="One", author=ann)
    with pytest.raises(ValueError, match=r"Unsaved model instance .* cannot be used"):
        Book.objects.update(author=Author(name="Nobody"))
    assert Book.objects.get().author_id == ann.pk


def test_q_arguments_are_not_lookups(mdb: object) -> None:
    with pytest.raises(
        TypeError, match="The following kwargs are invalid: '_connector', '_negated'"
    ):
        Author.objects.filter(pk=1, _negated=True, _connector="OR")


def test_an_f_path_past_a_relation_names_a_field_of_it(mdb: object) -> None:
    with pytest.raises(FieldError, match="Cannot resolve keyword 'nope' into field"):
        list(Book.objects.filter(pages=F("author__nope")))
