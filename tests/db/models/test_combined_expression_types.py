"""Result types of arithmetic, typed aggregates and values() grouping."""

from __future__ import annotations

import decimal
import re

import pytest

from manouche.core.exceptions import FieldError
from manouche.db.models import (
    AutoField,
    Avg,
    Count,
    DateField,
    DateTimeField,
    DecimalField,
    DurationField,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    Max,
    Sum,
    TimeField,
    Value,
)
from manouche.db.models.expressions import (
    Combinable,
    CombinedExpression,
    Expression,
)
from manouche.db.models.functions import Lower
from tests.db.models.modelapp.models import Author, Book, Everything


def _combined(lhs: object, connector: str, rhs: object) -> CombinedExpression:
    return CombinedExpression(Expression(lhs), connector, Expression(rhs))


@pytest.mark.parametrize(
    ("lhs", "rhs", "expected"),
    [
        (IntegerField, AutoField, IntegerField),
        (IntegerField, DecimalField, DecimalField),
        (DecimalField, IntegerField, DecimalField),
        (FloatField, IntegerField, FloatField),
        (IntegerField, FloatField, FloatField),
    ],
)
@pytest.mark.parametrize("connector", ["+", "-", "*", "/", "%%", "^"])
def test_numbers_combine_to_the_wider_type(
    lhs: type, rhs: type, expected: type, connector: str
) -> None:
    field = _combined(lhs(), connector, rhs()).output_field
    assert isinstance(field, expected)
    assert not isinstance(field, AutoField)


def test_a_sum_of_ids_is_a_plain_integer() -> None:
    field = _combined(AutoField(), "+", AutoField()).output_field
    assert type(field) is IntegerField


def test_a_number_combined_with_null_keeps_its_type() -> None:
    expression = CombinedExpression(Value(decimal.Decimal("1.5")), "*", Value(None))
    assert isinstance(expression.output_field, DecimalField)
    expression = CombinedExpression(Value(None), "+", Value(2))
    assert isinstance(expression.output_field, IntegerField)


@pytest.mark.parametrize(
    ("lhs", "connector", "rhs", "expected"),
    [
        (DurationField, "+", DurationField, DurationField),
        (DateField, "+", DurationField, DateTimeField),
        (DurationField, "+", TimeField, TimeField),
        (DateTimeField, "-", DateTimeField, DurationField),
        (TimeField, "-", TimeField, DurationField),
        (DateTimeField, "-", DurationField, DateTimeField),
    ],
)
def test_temporal_arithmetic_types(
    lhs: type, connector: str, rhs: type, expected: type
) -> None:
    assert type(_combined(lhs(), connector, rhs()).output_field) is expected


@pytest.mark.parametrize(
    ("lhs", "connector", "rhs"),
    [
        (DateField, "+", DateField),
        (DurationField, "-", DateTimeField),
        (FloatField, "+", DecimalField),
        (DurationField, "*", IntegerField),
    ],
)
def test_types_that_do_not_combine_need_an_output_field(
    lhs: type, connector: str, rhs: type
) -> None:
    message = re.escape(f"Cannot infer type of '{connector}' expression involving")
    with pytest.raises(FieldError, match=message):
        _ = _combined(lhs(), connector, rhs()).output_field


def test_an_operand_that_is_no_field_cannot_be_typed() -> None:
    with pytest.raises(FieldError, match="AutoField, Value"):
        _ = _combined(AutoField(), "+", Value(None)).output_field


def test_reversed_bitwise_operators_point_to_the_methods() -> None:
    for attempt in (
        lambda: object() & Combinable(),
        lambda: object() | Combinable(),
        lambda: object() ^ Combinable(),
    ):
        with pytest.raises(NotImplementedError, match="Use .bitand\\(\\)"):
            attempt()


def test_group_by_cols_of_wrappers_constants_and_aggregates() -> None:
    assert (
        ExpressionWrapper(Value(3), output_field=IntegerField()).get_group_by_cols()
        == []
    )
    inner = Value("f")
    wrapper = ExpressionWrapper(Lower(inner), output_field=IntegerField())
    cols = wrapper.get_group_by_cols()
    assert cols == [wrapper.expression]
    assert isinstance(cols[0].output_field, IntegerField)
    assert Sum("pages").get_group_by_cols() == []


def _books() -> tuple[Author, Author]:
    ann = Author.objects.create(name="Ann", age=40, rating=4.5)
    bob = Author.objects.create(name="Bob", age=33, rating=3.0)
    Book.objects.create(title="A", author=ann, pages=100, price=decimal.Decimal("9.50"))
    Book.objects.create(
        title="B", author=ann, pages=300, price=decimal.Decimal("20.25")
    )
    Book.objects.create(title="C", author=bob, pages=50, price=decimal.Decimal("5.00"))
    return ann, bob


def test_decimal_arithmetic_on_fields_gives_decimals(mdb: object) -> None:
    _books()
    rows = Book.objects.annotate(total=F("price") * F("pages")).order_by("title")
    totals = [row.total for row in rows]
    assert all(isinstance(total, decimal.Decimal) for total in totals)
    assert totals == [decimal.Decimal("950"), decimal.Decimal("6075"), 250]


def test_avg_of_a_decimal_field_is_a_decimal(mdb: object) -> None:
    _books()
    result = Book.objects.filter(author__name="Ann").aggregate(Avg("price"))
    mean = result["price__avg"]
    assert isinstance(mean, decimal.Decimal)
    # Typed like the field: rounded to its two decimal places.
    assert abs(mean - decimal.Decimal("14.875")) <= decimal.Decimal("0.005")
    plus = Book.objects.aggregate(value=(Avg("price") + 2) * 3)["value"]
    assert isinstance(plus, decimal.Decimal)


def test_integers_divide_to_integers(mdb: object) -> None:
    _books()
    result = Author.objects.aggregate(mean=Sum("age") / Count("*"))
    assert result == {"mean": 36}
    halves = Author.objects.annotate(half=F("age") / 2).order_by("name")
    assert [author.half for author in halves] == [20, 16]
    real = Author.objects.annotate(
        half=ExpressionWrapper(F("age") / 2.0, output_field=FloatField())
    ).get(name="Bob")
    assert real.half == pytest.approx(16.5)


def test_selecting_mixed_number_types_needs_an_output_field(mdb: object) -> None:
    _books()
    queryset = Book.objects.annotate(
        total=Sum("author__rating") + Sum("pages") + Sum("price")
    )
    message = "involving these types: FloatField, DecimalField"
    with pytest.raises(FieldError, match=message):
        queryset.first()
    with pytest.raises(FieldError, match=message):
        Book.objects.aggregate(total=Max("author__rating") + Max("price"))
    wrapped = Book.objects.annotate(
        total=ExpressionWrapper(
            F("author__rating") + F("price"), output_field=FloatField()
        )
    ).get(title="C")
    assert wrapped.total == pytest.approx(8.0)


def test_text_plus_date_is_refused_when_selected(mdb: object) -> None:
    _books()
    with pytest.raises(FieldError, match="CharField, DateField"):
        list(Book.objects.annotate(nonsense=F("title") + F("published")))


def test_bitwise_xor_and_power(mdb: object) -> None:
    Everything.objects.create(big=42, small=3)
    row = Everything.objects.annotate(
        xor=F("big").bitxor(7), power=2 ** F("small")
    ).get()
    assert row.xor == 42 ^ 7
    assert row.power == 8
    Everything.objects.update(big=F("big").bitxor(F("small")))
    assert Everything.objects.get().big == 42 ^ 3


def test_aggregates_before_values_are_per_object(mdb: object) -> None:
    _books()
    Author.objects.create(name="Ann", age=50)
    rows = (
        Author.objects.filter(name="Ann")
        .values("name", books_count=Count("books"))
        .order_by("books_count")
    )
    assert list(rows) == [
        {"name": "Ann", "books_count": 0},
        {"name": "Ann", "books_count": 2},
    ]
    grouped = (
        Author.objects.filter(name="Ann").values("name").annotate(n=Count("books"))
    )
    assert list(grouped) == [{"name": "Ann", "n": 2}]


def test_later_values_keep_the_grouping_of_earlier_ones(mdb: object) -> None:
    _books()
    Author.objects.create(name="Ann", age=50)
    anns = Author.objects.filter(name="Ann").values("name")
    assert list(anns.values("name", total=Sum("age"))) == [{"name": "Ann", "total": 90}]
    assert list(anns.values(total=Sum("age"))) == [{"total": 90}]


def test_filter_on_an_aggregate_annotation_uses_its_type(mdb: object) -> None:
    _books()
    authors = Author.objects.annotate(last=Max("books__price")).filter(
        last__gt=decimal.Decimal("10")
    )
    assert [author.name for author in authors] == ["Ann"]


@pytest.mark.parametrize("alias", ['x" from "t"; --', "\x00", "\x1f", "\x9f"])
def test_values_refuses_paths_that_cannot_be_aliases(alias: str) -> None:
    message = "Column aliases cannot contain whitespace characters"
    with pytest.raises(ValueError, match=message):
        Everything.objects.values(f"data__{alias}")
    with pytest.raises(ValueError, match=message):
        Everything.objects.values_list(f"data__{alias}")
