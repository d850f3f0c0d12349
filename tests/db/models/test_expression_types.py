"""Expression typing errors and multi-column references."""

from __future__ import annotations

import pytest

from manouche.core.exceptions import FieldError
from manouche.db.models import Value
from manouche.db.models.expressions import ColPairs, OutputFieldIsNoneError


def test_an_untyped_expression_raises_output_field_is_none_error() -> None:
    with pytest.raises(OutputFieldIsNoneError, match="unknown output_field"):
        _ = Value(None).output_field
    assert issubclass(OutputFieldIsNoneError, FieldError)


def test_col_pairs_describe_columns_of_one_alias() -> None:
    pairs = ColPairs("t", ["a", "b"], ["a", "b"], None)
    assert repr(pairs) == "ColPairs('t', ['a', 'b'], ['a', 'b'], None)"
    assert len(pairs) == 2
    assert [str(col.column) for col in pairs.get_cols()] == ["t.a", "t.b"]


def test_lazy_values_are_evaluated_by_get_prep_value() -> None:
    from manouche.db.models import CharField, IntegerField
    from manouche.utils.functional import lazy

    assert IntegerField().get_prep_value(lazy(lambda: 3, int)()) == 3
    prepared = CharField().get_prep_value(lazy(lambda: "x", str)())
    assert prepared == "x"
    assert type(prepared) is str


def test_output_field_can_be_set_after_construction() -> None:
    from manouche.db.models import BooleanField

    expression = Value(None)
    assert expression._output_field_or_none is None
    expression.output_field = BooleanField()
    assert isinstance(expression._output_field_or_none, BooleanField)


def test_single_argument_aggregates_check_their_arity() -> None:
    from manouche.db.models import Avg, Count, Max, Min, StdDev, Sum, Variance

    for aggregate in (Avg, Max, Min, Sum):
        with pytest.raises(TypeError, match="takes exactly 1 argument \\(2 given\\)"):
            aggregate(Value(1), Value(2))
    for aggregate in (Count, StdDev, Variance):
        with pytest.raises(TypeError):
            aggregate(Value(1), True, Value(2))


def test_count_star_refuses_a_filter() -> None:
    from manouche.db.models import Count, Q

    with pytest.raises(ValueError, match="Star cannot be used with filter"):
        Count("*", filter=Q(age=40))


def test_ordering_by_an_unannotated_aggregate_is_refused() -> None:
    from manouche.core.exceptions import FieldError
    from manouche.db.models import Avg
    from tests.db.models.modelapp.models import Author

    message = "Using an aggregate in order_by\\(\\) without also including it"
    with pytest.raises(FieldError, match=message):
        Author.objects.order_by(Avg("books__pages"))
    with pytest.raises(FieldError, match=message):
        Author.objects.order_by(Avg("books__pages").desc())


def test_negating_a_non_boolean_column_is_refused(mdb: object) -> None:
    from manouche.db.models import F
    from tests.db.models.modelapp.models import Author, Everything

    with pytest.raises(TypeError, match="Cannot negate non-conditional expressions."):
        Author.objects.update(name=~F("name"))
    Everything.objects.create(flag=True)
    Everything.objects.update(flag=~F("flag"))
    assert Everything.objects.get().flag is False
