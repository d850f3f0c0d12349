"""aggregate(): argument checks, references between aliases, empty results."""

from __future__ import annotations

import pytest

from manouche.core.exceptions import FieldError
from manouche.db import connection
from manouche.db.models import (
    Avg,
    Count,
    F,
    FloatField,
    Func,
    IntegerField,
    Max,
    Q,
    Sum,
    Value,
)
from manouche.db.models.functions import Coalesce
from manouche.test.utils import CaptureQueriesContext
from tests.db.models.modelapp.models import Author, Book


def _books() -> None:
    ann = Author.objects.create(name="Ann", age=30)
    bob = Author.objects.create(name="Bob", age=50)
    Book.objects.create(title="One", author=ann, pages=100, price="1.50")
    Book.objects.create(title="Two", author=ann, pages=200, price="2.25")
    Book.objects.create(title="Three", author=bob, pages=300, price="3.00")


def test_non_expression_arguments_are_listed(mdb: object) -> None:
    with pytest.raises(TypeError, match=r"received non-expression\(s\): True\.$"):
        Book.objects.aggregate(flag=True)
    field = FloatField()
    message = f"received non-expression(s): {field}, 3."
    with pytest.raises(TypeError) as error:
        Book.objects.aggregate(field, Sum("pages"), n=3)
    assert message in str(error.value)


def test_a_non_aggregate_is_named_by_its_alias(mdb: object) -> None:
    with pytest.raises(TypeError, match="^cheap is not an aggregate expression$"):
        Book.objects.aggregate(cheap=F("price"))


def test_a_later_alias_reads_an_earlier_aggregate(mdb: object) -> None:
    _books()
    result = Author.objects.aggregate(
        written=Count("books"),
        safe=Coalesce("written", 0),
        doubled=F("written") * 2,
    )
    assert result == {"written": 3, "safe": 3, "doubled": 6}


def test_an_alias_naming_a_field_keeps_naming_the_field(mdb: object) -> None:
    _books()
    result = Book.objects.aggregate(pages=Sum("pages"), most=Max("pages"))
    assert result == {"pages": 600, "most": 300}


def test_an_aggregate_of_an_earlier_aggregate_raises(mdb: object) -> None:
    message = "Cannot compute Avg('total'): 'total' is an aggregate"
    with pytest.raises(
        FieldError, match=message.replace("(", r"\(").replace(")", r"\)")
    ):
        Author.objects.aggregate(total=Sum("age"), mean=Avg("total"))


def test_annotating_an_aggregate_of_an_aggregate_annotation_raises(
    mdb: object,
) -> None:
    with pytest.raises(FieldError, match=r"Cannot compute Sum\('n'\): 'n' is an"):
        Author.objects.annotate(n=Count("books")).annotate(Sum("n"))
    with pytest.raises(FieldError, match=r"Cannot compute Max\('"):
        Author.objects.annotate(n=Count("books")).annotate(m=Max(F("n") + 1))


def test_aggregate_over_an_aggregate_annotation_is_allowed(mdb: object) -> None:
    _books()
    counted = Author.objects.annotate(n=Count("books"))
    assert counted.aggregate(Sum("n")) == {"n__sum": 3}


def test_stated_integer_output_reads_an_int(mdb: object) -> None:
    _books()
    total = Book.objects.aggregate(
        total=Sum(F("price") + F("pages"), output_field=IntegerField())
    )["total"]
    assert total == 606
    assert isinstance(total, int)
    annotated = Book.objects.annotate(
        total=Sum(F("price") + F("pages"), output_field=IntegerField())
    ).get(title="Two")
    assert annotated.total == 202
    assert isinstance(annotated.total, int)


def test_none_answers_known_empty_values_without_a_query(mdb: object) -> None:
    with CaptureQueriesContext(connection) as context:
        result = Book.objects.none().aggregate(
            pages=Sum("pages"),
            n=Count("pk"),
            safe=Coalesce(Sum("pages"), 0),
            nested=Coalesce(Coalesce(Sum("pages"), None), Value(7)),
            default=Sum("pages", default=5),
        )
    assert result == {"pages": None, "n": 0, "safe": 0, "nested": 7, "default": 5}
    assert len(context.captured_queries) == 0


def test_none_asks_the_database_for_an_unknown_empty_value(mdb: object) -> None:
    raw_count = Func("pages", function="COUNT", output_field=IntegerField())
    raw_count.contains_aggregate = True
    with CaptureQueriesContext(connection) as context:
        result = Book.objects.none().aggregate(n=raw_count)
    assert result == {"n": 0}
    assert len(context.captured_queries) == 1


def test_a_negated_filter_on_a_relation_rejects_rows_not_objects(
    mdb: object,
) -> None:
    _books()
    ann = Author.objects.get(name="Ann")
    # Ann has a book titled "One": exclude() semantics would drop all of
    # Ann's rows; an aggregate's filter only drops that book's row.
    result = Author.objects.filter(pk=ann.pk).aggregate(
        pages=Sum("books__pages", filter=~Q(books__title="One")),
        both=Sum("books__pages", filter=Q(books__pages__gt=0) & ~Q(books__title="x")),
    )
    assert result == {"pages": 200, "both": 300}
