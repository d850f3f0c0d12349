"""Expressions inside queries: LIKE escaping, grouping, correlation, SQL text."""

from __future__ import annotations

import decimal
from typing import Any

import pytest

from manouche.db.models import (
    Avg,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from manouche.db.models.expressions import OutputFieldIsNoneError
from manouche.db.models.functions import Pi
from manouche.db.models.sql.constants import INNER
from manouche.db.models.sql.datastructures import Join
from manouche.test.utils import CaptureQueriesContext
from tests.db.models.modelapp.models import Author, Book, Node


def test_pattern_lookups_match_another_columns_special_characters_literally(
    mdb: Any,
) -> None:
    # Unescaped, each of these would be a pattern matching "anne".
    for pattern in ["%ann", "ann_", "ann%", "_nne", "a\\n"]:
        Author.objects.create(name="anne", email=pattern)
    plain = Author.objects.create(name="anne", email="ann")
    signs = Author.objects.create(name="%a\\nn_", email="%a\\n")
    for lookup in ("contains", "icontains", "startswith", "istartswith"):
        found = Author.objects.filter(**{f"name__{lookup}": F("email")})
        assert set(found) == {plain, signs}, lookup
    for lookup in ("endswith", "iendswith"):
        assert list(Author.objects.filter(**{f"name__{lookup}": F("email")})) == []


def test_pattern_lookups_against_a_number_column(mdb: Any) -> None:
    ann = Author.objects.create(name="a12b", age=12)
    Author.objects.create(name="a1b", age=12)
    assert list(Author.objects.filter(name__contains=F("age"))) == [ann]


def test_an_aggregate_plus_a_joined_column_groups_by_that_column(mdb: Any) -> None:
    ann = Author.objects.create(name="Ann", age=30)
    Book.objects.create(title="One", author=ann, pages=100)
    Book.objects.create(title="Two", author=ann, pages=200)
    rows = (
        Author.objects.values("name")
        .annotate(total=Sum("age") + F("books__pages"))
        .order_by("total")
    )
    assert list(rows) == [
        {"name": "Ann", "total": 130},
        {"name": "Ann", "total": 230},
    ]
    # A constant or a plain aggregate adds no group.
    assert list(
        Author.objects.values("name").annotate(n=Count("books") + Value(1))
    ) == [{"name": "Ann", "n": 3}]


def test_an_outer_reference_two_subqueries_up(mdb: Any) -> None:
    ann = Author.objects.create(name="Ann", age=30)
    bob = Author.objects.create(name="Bob", age=40)
    Book.objects.create(title="One", author=ann, pages=100)
    Book.objects.create(title="Two", author=bob, pages=200)
    # Books whose author has (another) book, written by the outer author.
    inner = Book.objects.filter(
        author__in=Author.objects.filter(pk=OuterRef(OuterRef("pk")))
    )
    rows = (
        Author.objects.annotate(has_books=Exists(inner.filter(pages__gt=0)))
        .order_by("name")
        .values_list("name", "has_books")
    )
    assert list(rows) == [("Ann", True), ("Bob", True)]
    pages = Subquery(
        Book.objects.filter(
            author__in=Author.objects.filter(pk=OuterRef(OuterRef("pk")))
        ).values("pages")[:1]
    )
    ordered = Author.objects.annotate(first=pages).order_by("name")
    assert [author.first for author in ordered] == [100, 200]
    assert Author.objects.aggregate(n=Count("pk", filter=Q(name="Ann"))) == {"n": 1}


def test_count_star_is_spelled_count_star(mdb: Any) -> None:
    Author.objects.create(name="Ann")
    with CaptureQueriesContext(mdb.connection) as queries:
        assert Author.objects.aggregate(n=Count("*")) == {"n": 1}
    assert "SELECT COUNT(*) " in queries[0]["sql"]


def test_operations_for_reading_sql(mdb: Any) -> None:
    ops = mdb.connection.ops
    assert ops.force_no_ordering() == []
    assert ops.limit_offset_sql(None, 1) == "LIMIT 1"
    assert ops.limit_offset_sql(5, 15) == "LIMIT 10 OFFSET 5"
    assert mdb.connection.features.test_now_utc_template is None


def test_a_hook_set_on_a_class_after_its_creation_is_used(
    mdb: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    class MySum(Sum):
        pass

    def constant(self: Any, compiler: Any, connection: Any) -> tuple[str, Any]:
        return "MAX(%s)", (2,)

    monkeypatch.setattr(MySum, f"as_{mdb.connection.vendor}", constant, raising=False)
    ann = Author.objects.create(name="Ann", age=30, rating=0.5)
    query = Author.objects.annotate(n=MySum("age", output_field=IntegerField()))
    assert "MAX(" in str(query.query)
    assert query.get(pk=ann.pk).n == 2

    def fractional(self: Any, compiler: Any, connection: Any) -> tuple[str, Any]:
        sql, params = compiler.compile(self.get_source_expressions()[0])
        return f"SUM({sql} + 0.69)", params

    monkeypatch.setattr(MySum, f"as_{mdb.connection.vendor}", fractional)
    result = Author.objects.annotate(n=MySum("age", output_field=IntegerField()))
    value = result.get(pk=ann.pk).n
    assert value == 30
    assert isinstance(value, int)


def test_filtered_joins_in_range_bounds_are_inner(mdb: Any) -> None:
    root = Node.objects.create(name="m")
    child = Node.objects.create(name="p", parent=root)
    Node.objects.create(name="z")
    between = Node.objects.filter(name__range=[F("parent__name"), "z"])
    assert list(between) == [child]
    joins = [
        item for item in between.query.alias_map.values() if isinstance(item, Join)
    ]
    assert joins
    assert all(join.join_type == INNER for join in joins)


def test_get_compiler_renders_sql_with_placeholders(mdb: Any) -> None:
    query = Author.objects.filter(name="Ann").query
    compiler = query.get_compiler(connection=mdb.connection)
    for value in (Value("foo"), Value("foo", output_field=CharField())):
        sql, params = value.as_sql(compiler, mdb.connection)
        # PostgreSQL's driver types its parameters: %s::VARCHAR.
        assert (sql.split("::")[0], params) == ("%s", ["foo"])
    sql, params = compiler.as_sql()
    assert sql.startswith("SELECT ")
    assert params == ("Ann",)
    subquery = Subquery(Author.objects.values("pk"))
    sql, _ = subquery.as_sql(compiler, mdb.connection)
    assert "(SELECT " in sql
    with pytest.raises(ValueError, match="Need either using or connection"):
        query.get_compiler()
    assert query.get_compiler(using="default").as_sql()[1] == ("Ann",)


def test_a_selected_null_needs_a_type(mdb: Any) -> None:
    Author.objects.create(name="Ann")
    with pytest.raises(OutputFieldIsNoneError, match="unknown output_field"):
        Author.objects.annotate(x=Value(None)).first()
    typed = Author.objects.annotate(x=Value(None, output_field=IntegerField()))
    assert typed.get().x is None
    # Where no value is read back, NULL needs no type.
    assert Author.objects.update(age=Value(None)) == 1


def test_a_subquery_annotation_is_grouped_by_the_outer_columns_it_reads(
    mdb: Any,
) -> None:
    ann = Author.objects.create(name="Ann", age=30)
    Book.objects.create(title="One", author=ann, pages=100)
    Book.objects.create(title="Two", author=ann, pages=200)
    Author.objects.create(name="Bob", age=40)
    longest = Book.objects.filter(author=OuterRef("pk")).order_by("-pages")
    authors = (
        Author.objects.annotate(longest=Subquery(longest.values("pages")[:1]))
        .annotate(n=Count("books"))
        .order_by("name")
    )
    with CaptureQueriesContext(mdb.connection) as queries:
        rows = [(author.name, author.longest, author.n) for author in authors]
    assert rows == [("Ann", 200, 2), ("Bob", None, 0)]
    sql = queries[0]["sql"].upper()
    assert sql.count("SELECT") == 2  # not repeated in the GROUP BY
    # A column of a joined table read by the subquery is grouped by.
    first = Book.objects.filter(author__age=OuterRef("author__age")).values("pages")
    books = (
        Book.objects.annotate(same_age=Subquery(first.order_by("pages")[:1]))
        .annotate(n=Count("tags"))
        .order_by("title")
    )
    assert [(book.same_age, book.n) for book in books] == [(100, 0), (100, 0)]


def test_a_computed_decimal_aggregate_keeps_its_digits(mdb: Any) -> None:
    ann = Author.objects.create(name="Ann")
    for price in ("1.00", "1.00", "2.00"):
        Book.objects.create(title=price, author=ann, price=decimal.Decimal(price))
    average = Book.objects.aggregate(a=Avg("price"))["a"]
    assert round(average, 6) == decimal.Decimal("1.333333")
    nothing = Book.objects.filter(pages=-1)
    fallback = nothing.aggregate(s=Sum("price", default=Pi()))["s"]
    assert round(fallback, 6) == decimal.Decimal("3.141593")
    # A column keeps its field's decimal places.
    prices = Book.objects.order_by("price").values_list("price", flat=True)
    assert str(prices[0]) == "1.00"


def test_an_aggregate_over_an_aggregate_is_read_by_position(mdb: Any) -> None:
    ann = Author.objects.create(name="Ann")
    Book.objects.create(title="One", author=ann)
    Author.objects.create(name="Bob")
    counted = Author.objects.annotate(book_count=Count("books"))
    with CaptureQueriesContext(mdb.connection) as queries:
        result = counted.aggregate(
            a=Avg("book_count"), b=Avg("book_count"), c=Max("book_count")
        )
    assert result == {"a": 0.5, "b": 0.5, "c": 1}
    # The outer SELECT repeats no alias: "book_count" names the inner column.
    assert queries[0]["sql"].lower().count("book_count") == 4


def test_a_subquery_holds_a_marked_copy_of_the_query(mdb: Any) -> None:
    keys = Author.objects.filter(name="Ann").values("pk")
    subquery = Subquery(keys)
    assert subquery.query.subquery is True
    assert keys.query.subquery is False
    assert subquery.query is not keys.query
    assert Subquery(keys) == subquery
    assert Subquery(Author.objects.values("pk")) != subquery
    ann = Author.objects.create(name="Ann")
    assert list(Author.objects.filter(pk__in=subquery)) == [ann]
