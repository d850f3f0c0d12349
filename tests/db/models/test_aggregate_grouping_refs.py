"""Annotations built on aggregates, and subqueries ordered by outer values."""

from __future__ import annotations

import datetime

from manouche.db.models import (
    Count,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from manouche.db.models.functions import Greatest, Least
from tests.db.models.modelapp.models import Author, Book


def _books() -> None:
    ann = Author.objects.create(name="Ann", age=30)
    bob = Author.objects.create(name="Bob", age=50)
    Book.objects.create(title="One", author=ann, pages=100)
    Book.objects.create(title="Two", author=ann, pages=200)
    Book.objects.create(title="Three", author=bob, pages=700)


def test_a_value_computed_from_an_aggregate_is_not_grouped_by(mdb: object) -> None:
    _books()
    rows = (
        Author.objects.annotate(most=Max("books__pages"))
        .annotate(next_page=F("most") + 1)
        .order_by("name")
        .values_list("name", "next_page")
    )
    assert list(rows) == [("Ann", 201), ("Bob", 701)]


def test_values_grouping_with_a_function_of_an_aggregate(mdb: object) -> None:
    _books()
    rows = (
        Book.objects.annotate(floor=Greatest("pages", Value(250)))
        .values("floor")
        .annotate(fewest=Min("pages"), least=Least("fewest", "floor"))
        .values_list("least", flat=True)
    )
    assert sorted(rows) == [100, 700]


def test_subquery_ordered_by_an_annotation_reading_the_outer_row(
    mdb: object,
) -> None:
    _books()
    per_author = Author.objects.annotate(
        best=Subquery(
            Book.objects.annotate(total=OuterRef("age") + F("pages"))
            .order_by("-total")
            .values("total")[:1],
            output_field=IntegerField(),
        ),
        n=Count("books"),
    ).order_by("name")
    assert list(per_author.values_list("name", "best")) == [
        ("Ann", 730),
        ("Bob", 750),
    ]


def test_filter_on_a_default_aggregate_alias_goes_to_having(mdb: object) -> None:
    _books()
    Author.objects.create(name="Cy", age=70)
    counted = Author.objects.annotate(Count("books"))
    assert sorted(
        counted.filter(books__count__gt=1).values_list("name", flat=True)
    ) == ["Ann"]
    either = counted.filter(Q(books__count__gt=1) | Q(age__gte=70))
    assert sorted(either.values_list("name", flat=True)) == ["Ann", "Cy"]


def test_order_by_a_transform_of_an_annotation(mdb: object) -> None:
    ann = Author.objects.create(name="Ann")
    bob = Author.objects.create(name="Bob")
    Book.objects.create(title="One", author=ann, published=datetime.date(2021, 3, 1))
    Book.objects.create(title="Two", author=bob, published=datetime.date(2020, 9, 1))
    latest = Author.objects.annotate(last=Max("books__published"))
    assert list(latest.order_by("last__month").values_list("name", flat=True)) == [
        "Ann",
        "Bob",
    ]
    assert list(latest.order_by("-last__year").values_list("name", flat=True)) == [
        "Ann",
        "Bob",
    ]
