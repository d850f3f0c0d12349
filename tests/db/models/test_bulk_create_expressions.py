"""bulk_create() with expressions among the values: compiled into the INSERT."""

from __future__ import annotations

from typing import Any

from manouche.db.models import Value
from manouche.db.models.functions import Lower, Upper
from tests.db.models.modelapp.models import Author


def test_expression_values_are_computed_by_the_database(mdb: Any) -> None:
    authors = Author.objects.bulk_create(
        [
            Author(name=Lower(Value("ANN"))),
            Author(name="Bob"),
            Author(name=Upper(Value("cy")), age=3),
        ]
    )
    assert all(author.pk is not None for author in authors)
    assert sorted(Author.objects.values_list("name", flat=True)) == ["Bob", "CY", "ann"]
    assert Author.objects.get(pk=authors[2].pk).age == 3


def test_a_single_object_with_an_expression(mdb: Any) -> None:
    (author,) = Author.objects.bulk_create([Author(name=Lower(Value("DEE")))])
    assert Author.objects.get(pk=author.pk).name == "dee"
