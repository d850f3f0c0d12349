"""Empty conditions, empty ``__in``, combining querysets, and early errors."""

from __future__ import annotations

from typing import Any

import pytest

from manouche.core.exceptions import FieldError
from manouche.db.models import Q
from manouche.test.utils import CaptureQueriesContext
from tests.db.models.modelapp.models import Author, Tag


def _two_authors() -> None:
    Author.objects.create(name="ann")
    Author.objects.create(name="bob")


@pytest.mark.parametrize(
    "build",
    [
        lambda qs: qs.exclude(Q()),
        lambda qs: qs.filter(~Q()),
        lambda qs: qs.filter(~Q() | ~Q()),
        lambda qs: qs.exclude(~Q() & ~Q()),
        lambda qs: qs.exclude(~Q() ^ ~Q()),
    ],
)
def test_empty_conditions_constrain_nothing(mdb: Any, build: Any) -> None:
    _two_authors()
    assert build(Author.objects.all()).count() == 2


def test_an_empty_q_beside_a_condition_is_ignored(mdb: Any) -> None:
    _two_authors()
    assert list(Author.objects.filter(Q() | Q(name="ann"))) == list(
        Author.objects.filter(name="ann")
    )


def test_in_an_empty_iterable_sends_no_query(mdb: Any) -> None:
    _two_authors()
    with CaptureQueriesContext(mdb.connection) as queries:
        assert list(Author.objects.filter(pk__in=iter(()))) == []
        assert list(Author.objects.filter(name__in=[None])) == []
    assert len(queries) == 0
    assert Author.objects.exclude(pk__in=[]).count() == 2
    assert Author.objects.filter(Q(pk__in=[]) | Q(name="bob")).count() == 1


def test_querysets_of_different_models_do_not_combine() -> None:
    message = "Cannot combine queries on two different base models."
    with pytest.raises(TypeError, match=message):
        Author.objects.all() & Tag.objects.all()
    with pytest.raises(TypeError, match=message):
        Author.objects.all() | Tag.objects.all()
    with pytest.raises(TypeError, match=message):
        Author.objects.all() ^ Tag.objects.all()


def test_an_unknown_ordering_term_lists_the_choices() -> None:
    with pytest.raises(
        FieldError,
        match=r"Cannot resolve keyword '\*' into field\. Choices are: .*name",
    ):
        Author.objects.order_by("*")


def test_values_cannot_follow_a_plain_field() -> None:
    with pytest.raises(
        FieldError,
        match=r"Cannot resolve keyword 'foo' into field\. Join on 'name' not permitted",
    ):
        Author.objects.values_list("name__foo")
    with pytest.raises(FieldError, match="Join on 'title' not permitted"):
        Author.objects.values("books__title__foo")
    # Transforms of a plain field are still fine.
    query = Author.objects.values("books__published__year").query
    assert query.values_select == ("books__published__year",)
