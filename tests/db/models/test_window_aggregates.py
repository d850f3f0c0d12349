"""Aggregates used as window functions, alone or inside other functions."""

from __future__ import annotations

from manouche.db.models import Avg, Count, F, Sum, Window
from manouche.db.models.functions import Coalesce
from tests.db.models.modelapp.models import Author, Book


def _books() -> None:
    ann = Author.objects.create(name="Ann", age=30)
    bob = Author.objects.create(name="Bob", age=50)
    Book.objects.create(title="One", author=ann, pages=100)
    Book.objects.create(title="Two", author=ann, pages=200)
    Book.objects.create(title="Three", author=bob, pages=600)


def test_a_typed_aggregate_works_over_a_partition(mdb: object) -> None:
    _books()
    rows = Book.objects.annotate(
        mean=Window(Avg("pages"), partition_by=F("author")),
        total=Window(Sum("pages"), partition_by=F("author")),
    ).order_by("title")
    assert [(b.title, float(b.mean), b.total) for b in rows] == [
        ("One", 150.0, 300),
        ("Three", 600.0, 600),
        ("Two", 150.0, 300),
    ]


def test_a_window_inside_a_function(mdb: object) -> None:
    _books()
    rows = Book.objects.annotate(
        mean=Coalesce(Window(Avg("pages"), partition_by=F("author")), 0.0)
    ).order_by("title")
    assert [float(b.mean) for b in rows] == [150.0, 600.0, 150.0]


def test_aggregating_a_window_annotation_wraps_it(mdb: object) -> None:
    _books()
    result = Book.objects.annotate(
        mean=Coalesce(Window(Avg("pages"), partition_by=F("author")), 0.0)
    ).aggregate(total=Sum("mean"), n=Count("id"))
    assert float(result["total"]) == 900.0
    assert result["n"] == 3
