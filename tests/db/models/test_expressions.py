"""Expressions, aggregates, subqueries, functions and window functions."""

from __future__ import annotations

import decimal

import pytest

from manouche.db.models import (
    Avg,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    StdDev,
    Subquery,
    Sum,
    Value,
    Variance,
    When,
    Window,
)
from manouche.db.models.functions import (
    Cast,
    Coalesce,
    Concat,
    Greatest,
    Length,
    Lower,
    Now,
    RowNumber,
    Upper,
)
from tests.db.models.modelapp.models import Author, Book, Publisher


@pytest.fixture
def books(mdb):
    ann = Author.objects.create(name="Ann", age=30)
    bob = Author.objects.create(name="Bob", age=None)
    press = Publisher.objects.create(name="Press")
    rows = [
        ("A1", ann, 10, "1.50", press),
        ("A2", ann, 300, "2.50", None),
        ("B1", bob, 50, "3.00", press),
    ]
    for title, author, pages, price, publisher in rows:
        Book.objects.create(
            title=title,
            author=author,
            pages=pages,
            price=decimal.Decimal(price),
            publisher=publisher,
        )
    return ann, bob, press


def test_aggregate(books):
    result = Book.objects.aggregate(
        total=Sum("pages"),
        avg=Avg("pages"),
        low=Min("price"),
        high=Max("price"),
        n=Count("id"),
        authors=Count("author", distinct=True),
        long=Count("id", filter=Q(pages__gt=20)),
    )
    assert result["total"] == 360
    assert result["avg"] == pytest.approx(120.0)
    assert result["low"] == decimal.Decimal("1.50")
    assert result["high"] == decimal.Decimal("3.00")
    assert result["n"] == 3
    assert result["authors"] == 2
    assert result["long"] == 2
    assert Book.objects.aggregate(Sum("pages")) == {"pages__sum": 360}
    assert Book.objects.filter(pages__gt=1000).aggregate(s=Sum("pages")) == {"s": None}
    assert Book.objects.filter(pages__gt=1000).aggregate(s=Sum("pages", default=0)) == {
        "s": 0
    }
    spread = Book.objects.aggregate(sd=StdDev("pages"), var=Variance("pages"))
    assert spread["var"] == pytest.approx(16466.667, rel=1e-3)


def test_annotate_group_by_values(books):
    rows = list(
        Book.objects.values("author__name")
        .annotate(n=Count("id"), total=Sum("pages"))
        .order_by("author__name")
    )
    assert rows == [
        {"author__name": "Ann", "n": 2, "total": 310},
        {"author__name": "Bob", "n": 1, "total": 50},
    ]
    busy = Author.objects.annotate(n=Count("books")).filter(n__gte=2)
    assert [a.name for a in busy] == ["Ann"]
    avg_of_counts = Author.objects.annotate(n=Count("books")).aggregate(avg=Avg("n"))
    assert avg_of_counts["avg"] == pytest.approx(1.5)


def test_f_expressions(books):
    assert Book.objects.filter(pages__gt=F("price") * 10).count() == 2
    doubled = Book.objects.annotate(twice=F("pages") * 2).get(title="A1")
    assert doubled.twice == 20
    Book.objects.update(pages=F("pages") + 1)
    assert sorted(Book.objects.values_list("pages", flat=True)) == [11, 51, 301]
    ratio = Book.objects.annotate(
        r=ExpressionWrapper(F("pages") * 1.0 / 2, output_field=FloatField())
    ).get(title="A1")
    assert ratio.r == pytest.approx(5.5)


def test_case_when_and_value(books):
    labelled = Book.objects.annotate(
        size=Case(
            When(pages__gte=100, then=Value("long")),
            When(pages__gte=20, then=Value("medium")),
            default=Value("short"),
        )
    ).order_by("title")
    assert [b.size for b in labelled] == ["short", "long", "medium"]
    counted = Book.objects.aggregate(
        long=Sum(
            Case(When(pages__gte=100, then=1), default=0, output_field=IntegerField())
        )
    )
    assert counted == {"long": 1}


def test_subquery_outerref_exists(books):
    newest = Book.objects.filter(author=OuterRef("pk")).order_by("-pages")
    authors = Author.objects.annotate(
        top=Subquery(newest.values("title")[:1])
    ).order_by("name")
    assert [(a.name, a.top) for a in authors] == [("Ann", "A2"), ("Bob", "B1")]
    published = Author.objects.filter(
        Exists(Book.objects.filter(author=OuterRef("pk"), publisher__isnull=True))
    )
    assert [a.name for a in published] == ["Ann"]
    assert (
        Author.objects.filter(
            ~Exists(Book.objects.filter(author=OuterRef("pk"), pages__gt=100))
        )
        .get()
        .name
        == "Bob"
    )
    assert (
        Book.objects.filter(
            author__in=Subquery(Author.objects.filter(name="Bob").values("pk"))
        ).count()
        == 1
    )


def test_functions(books):
    row = (
        Author.objects.annotate(
            low=Lower("name"),
            up=Upper("name"),
            size=Length("name"),
            label=Concat("name", Value("-"), "age"),
            years=Coalesce("age", Value(0)),
            big=Greatest("age", Value(35)),
        )
        .filter(name="Ann")
        .get()
    )
    assert (row.low, row.up, row.size, row.label, row.years, row.big) == (
        "ann",
        "ANN",
        3,
        "Ann-30",
        30,
        35,
    )
    bob = Author.objects.annotate(years=Coalesce("age", Value(0))).get(name="Bob")
    assert bob.years == 0
    from manouche.core.exceptions import FieldError
    from manouche.db.models import CharField

    with pytest.raises(FieldError, match="Unsupported lookup 'lower'"):
        Author.objects.filter(name__lower="ann").count()
    CharField.register_lookup(Lower)
    try:
        assert Author.objects.filter(name__lower="ann").count() == 1
    finally:
        CharField._unregister_lookup(Lower)
    as_text = Author.objects.annotate(t=Cast("age", output_field=FloatField())).get(
        name="Ann"
    )
    assert as_text.t == 30.0
    assert Author.objects.annotate(n=Now()).first().n is not None


def test_window_function(books):
    ranked = Book.objects.annotate(
        rank=Window(RowNumber(), partition_by=F("author"), order_by=F("pages").desc())
    ).order_by("title")
    assert [(b.title, b.rank) for b in ranked] == [("A1", 2), ("A2", 1), ("B1", 1)]


def test_distinct_on_requires_postgresql(books, mdb):
    queryset = Book.objects.order_by("author_id", "-pages").distinct("author_id")
    if mdb.vendor == "postgresql":
        assert [b.title for b in queryset] == ["A2", "B1"]
    else:
        from manouche.db import NotSupportedError

        with pytest.raises(NotSupportedError, match="DISTINCT ON fields"):
            list(queryset)


def test_union_and_difference(books):
    small = Book.objects.filter(pages__lt=20).values_list("title", flat=True)
    large = Book.objects.filter(pages__gt=200).values_list("title", flat=True)
    assert sorted(small.union(large)) == ["A1", "A2"]
    everything = Book.objects.values_list("title", flat=True)
    assert sorted(everything.difference(large)) == ["A1", "B1"]
    assert sorted(everything.intersection(large)) == ["A2"]


def test_values_with_expressions(books):
    assert list(
        Author.objects.order_by("name").values_list(Lower("name"), flat=True)
    ) == ["ann", "bob"]
    rows = list(Author.objects.order_by("name").values("name", up=Upper("name")))
    assert rows == [{"name": "Ann", "up": "ANN"}, {"name": "Bob", "up": "BOB"}]
    counted = list(
        Book.objects.values("author__name")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values_list("author__name", flat=True)
    )
    assert counted == ["Ann"]
