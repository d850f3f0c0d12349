"""aggregate() and count() over sliced, distinct and annotated querysets."""

from __future__ import annotations

import decimal

from manouche.db import connection
from manouche.db.models import (
    Avg,
    Count,
    F,
    Max,
    OuterRef,
    Q,
    Subquery,
    Sum,
)
from manouche.test.utils import CaptureQueriesContext
from tests.db.models.modelapp.models import Author, Book, Tag


def _library() -> None:
    ann = Author.objects.create(name="Ann", age=30)
    bob = Author.objects.create(name="Bob", age=50)
    red, blue, green = (Tag.objects.create(name=name) for name in "rbg")
    one = Book.objects.create(title="One", author=ann, pages=100, price="1.50")
    two = Book.objects.create(title="Two", author=ann, pages=200, price="2.25")
    three = Book.objects.create(title="Three", author=bob, pages=300, price="3.00")
    Book.objects.create(title="Four", author=bob, pages=400, price="4.00")
    one.tags.add(red, blue, green)
    two.tags.add(red)
    three.tags.add(red, blue)


def _last_sql(context: CaptureQueriesContext) -> str:
    return str(context.captured_queries[-1]["sql"]).lower()


def test_aggregate_of_a_slice_reads_only_the_slice(mdb: object) -> None:
    _library()
    first_two = Book.objects.order_by("pages")[:2]
    assert first_two.aggregate(total=Sum("pages")) == {"total": 300}
    assert Book.objects.order_by("-pages")[1:3].aggregate(Max("pages")) == {
        "pages__max": 300
    }
    assert first_two.count() == 2


def test_aggregate_of_distinct_rows_counts_each_row_once(mdb: object) -> None:
    _library()
    tagged = Book.objects.filter(tags__name__in=["r", "b"])
    # One row per matching tag without distinct().
    assert tagged.aggregate(total=Sum("pages")) == {"total": 1000}
    assert tagged.distinct().aggregate(total=Sum("pages")) == {"total": 600}
    assert tagged.distinct().count() == 3
    authors = Book.objects.values("author").distinct()
    assert authors.aggregate(n=Count("author")) == {"n": 2}


def test_aggregate_over_an_aggregate_annotation(mdb: object) -> None:
    _library()
    counted = Book.objects.annotate(n=Count("tags"))
    result = counted.aggregate(total=Sum("n"), mean=Avg("n"), most=Max("n"))
    assert result["total"] == 6
    assert result["most"] == 3
    assert float(result["mean"]) == 1.5
    price = counted.aggregate(Sum("price"))["price__sum"]
    assert price == decimal.Decimal("10.75")
    assert isinstance(price, decimal.Decimal)


def test_aggregate_filter_refers_to_an_aggregate_annotation(mdb: object) -> None:
    _library()
    counted = Book.objects.annotate(n=Count("tags"))
    result = counted.aggregate(
        many=Count("pk", filter=Q(n__gte=2)),
        pages=Sum("pages", filter=Q(n=0)),
    )
    assert result == {"many": 2, "pages": 400}


def test_aggregate_over_values_groups(mdb: object) -> None:
    _library()
    per_author = Book.objects.values("author").annotate(total=Sum("pages"))
    assert per_author.aggregate(Max("total")) == {"total__max": 700}
    assert per_author.count() == 2


def test_count_of_an_aggregate_annotation_leaves_it_out(mdb: object) -> None:
    _library()
    with CaptureQueriesContext(connection) as context:
        assert Book.objects.annotate(tag_count=Count("tags")).count() == 4
    sql = _last_sql(context)
    assert "tag_count" not in sql
    assert sql.count("select") == 2


def test_aggregate_reading_a_subquery_annotation_is_wrapped(mdb: object) -> None:
    _library()
    pages = (
        Book.objects.filter(author=OuterRef("pk"))
        .values("author")
        .annotate(total=Sum("pages"))
        .values("total")
    )
    authors = Author.objects.annotate(pages=Subquery(pages), half=F("pages") / 2)
    with CaptureQueriesContext(connection) as context:
        result = authors.aggregate(all_pages=Sum("pages"), halves=Sum("half"))
    assert result == {"all_pages": 1000, "halves": 500}
    assert "from (select (select" in _last_sql(context)


def test_one_filter_mixing_rows_and_groups(mdb: object) -> None:
    _library()
    counted = Book.objects.annotate(n=Count("tags")).filter(
        tags__name="b", n__gte=2, pages__lt=300
    )
    assert [book.title for book in counted] == ["One"]
    assert counted.aggregate(Sum("pages")) == {"pages__sum": 100}
    assert counted.count() == 1
