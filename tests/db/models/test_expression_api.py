"""The expression API without a database: identity, copies, replacement, reprs."""

from __future__ import annotations

import datetime
import decimal
import pickle
from typing import Any
from unittest import mock

import pytest

from manouche.db.models import (
    CharField,
    DecimalField,
    Expression,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    Value,
)
from manouche.db.models.expressions import NegatedExpression
from manouche.db.models.functions import Lower, TruncDate


def test_f_deconstructs_to_its_public_path() -> None:
    assert F("name").deconstruct() == ("manouche.db.models.F", ("name",), {})
    assert OuterRef("pk").deconstruct() == (
        "manouche.db.models.OuterRef",
        ("pk",),
        {},
    )


def test_double_negation_gives_an_equal_copy() -> None:
    reference = F("flag")
    assert ~reference == NegatedExpression(reference)
    twice = ~~reference
    assert twice == reference
    assert twice is not reference


def test_constructors_with_star_arguments_compare_by_how_they_were_called() -> None:
    class Captured(Expression):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)

    assert Captured(IntegerField()) != Captured(output_field=IntegerField())
    assert Captured(IntegerField()) == Captured(IntegerField())
    assert Captured(output_field=IntegerField()) == Captured(
        output_field=IntegerField()
    )
    # A named parameter means the same given either way.
    assert Expression(IntegerField()) == Expression(output_field=IntegerField())
    assert hash(Expression(IntegerField())) == hash(
        Expression(output_field=IntegerField())
    )
    assert Lower("name") == Lower(F("name"))


def test_replace_expressions_swaps_matching_sources_only() -> None:
    expression = Lower(F("name")) + Value(1)
    replaced = expression.replace_expressions({F("name"): Value("Ann")})
    assert replaced == Lower(Value("Ann")) + Value(1)
    assert expression == Lower(F("name")) + Value(1)  # untouched
    assert expression.replace_expressions({F("other"): Value(2)}) is expression
    assert expression.replace_expressions({}) is expression


def test_replace_expressions_keeps_sources_that_are_not_expressions() -> None:
    class Holder(Expression):
        def __init__(self, *sources: Any) -> None:
            super().__init__()
            self.sources = list(sources)

        def get_source_expressions(self) -> list[Any]:
            return self.sources

        def set_source_expressions(self, exprs: list[Any]) -> None:
            self.sources = exprs

    empty = Q()
    holder = Holder(empty, F("a"))
    replaced = holder.replace_expressions({F("a"): Value(1)})
    assert replaced.get_source_expressions() == [empty, Value(1)]


def test_a_reference_with_transforms_applies_them_to_its_replacement() -> None:
    moment = Value(datetime.datetime(2025, 3, 1, 14, 10))
    assert F("when__date").replace_expressions({F("when"): moment}) == TruncDate(moment)
    transformed = F("when__date")
    unknown = F("when__nope")
    assert transformed.replace_expressions({F("when"): Value(None)}) is transformed
    assert unknown.replace_expressions({F("when"): moment}) is unknown
    plain = F("name")
    replacements = mock.Mock()
    replacements.get.return_value = None
    assert plain.replace_expressions(replacements) is plain
    replacements.get.assert_called_once_with(plain)


def test_expressions_for_constraint_validation() -> None:
    plain = Lower("name")
    assert plain.get_expression_for_validation() is plain

    class SqlOnly(Lower):
        constraint_validation_compatible = False

    assert SqlOnly(F("name")).get_expression_for_validation() == F("name")
    lonely = Expression()
    lonely.constraint_validation_compatible = False
    message = (
        "Expressions with constraint_validation_compatible set to False must have "
        "only one source expression."
    )
    with pytest.raises(ValueError, match=message):
        lonely.get_expression_for_validation()


def test_convert_value_restores_the_output_type_and_pickles() -> None:
    convert = Value(1, output_field=IntegerField()).convert_value
    assert convert(2.0, None, None) == 2
    assert isinstance(convert(2.0, None, None), int)
    assert convert(None, None, None) is None
    to_float = Value(1, output_field=FloatField()).convert_value
    assert to_float(3, None, None) == 3.0
    to_decimal = Value(1, output_field=DecimalField()).convert_value
    assert to_decimal(0.1, None, None) == decimal.Decimal("0.1")
    text = Value("x", output_field=CharField()).convert_value
    assert text("x", None, None) == "x"
    expression = Value(1)
    expression.convert_value  # noqa: B018 - read before pickling
    assert pickle.loads(pickle.dumps(expression)) == expression
