"""Q: construction, combination, identity, deconstruction and check()."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from manouche.core.exceptions import FieldError
from manouche.db.models import BooleanField, ExpressionWrapper, F, Q, Value
from manouche.db.models.expressions import NegatedExpression, RawSQL
from manouche.db.models.functions import Lower
from manouche.db.models.lookups import Exact, IsNull


def test_unknown_connectors_are_refused() -> None:
    with pytest.raises(ValueError, match="_connector must be one of 'AND', 'OR'"):
        Q(_connector="evil")


def test_create_builds_a_node_from_children() -> None:
    items = [("a", 1), ("b", 2)]
    assert Q.create(items, connector=Q.OR) == Q(*items, _connector=Q.OR)


def test_combining_splices_same_connector_children() -> None:
    combined = Q(a=1) & Q(b=2) & Q(c=3)
    assert combined.children == [("a", 1), ("b", 2), ("c", 3)]
    either = Q(a=1) | Q(b=2)
    assert either.deconstruct() == (
        "manouche.db.models.Q",
        (("a", 1), ("b", 2)),
        {"_connector": "OR"},
    )
    mixed = (Q(a=1) | Q(b=2)) & Q(c=3)
    assert mixed.children == [either, ("c", 3)]


def test_deconstruct_round_trips() -> None:
    for q in (Q(price__gt=F("cost")), ~Q(a=1), Q(a=1) ^ Q(b=2), Q(Q(a=1))):
        _path, args, kwargs = q.deconstruct()
        assert Q(*args, **kwargs) == q


def test_empty_q_combined_with_an_expression_returns_the_expression() -> None:
    negated = ~ExpressionWrapper(Q(a=1), output_field=BooleanField())
    assert isinstance(Q() & negated, NegatedExpression)


def test_equality_and_hash_compare_lookup_values_by_content() -> None:
    assert Q(pk__in=[1, 2]) == Q(("pk__in", (1, 2))) == Q(pk__in={1: 0, 2: 0}.keys())
    assert hash(Q(pk__in=[1, 2])) == hash(Q(("pk__in", (1, 2))))
    assert Q(name__iexact=F("o")) != Q(name=Lower(F("o")))


def test_str_and_repr() -> None:
    assert str(Q(a=1)) == "(AND: ('a', 1))"
    assert repr(~Q(a=1)) == "<Q: (NOT (AND: ('a', 1)))>"


def test_referenced_base_fields_cover_paths_and_expressions() -> None:
    q = Q(a__b__lt=1) & Q(Exact(F("c"), IsNull(F("d"), True))) & Q(e=F("f__g"))
    assert q.referenced_base_fields == {"a", "c", "d", "e", "f"}


def test_check_evaluates_in_the_database(mdb: Any) -> None:
    assert Q(price__gt=20).check({"price": 30}) is True
    assert Q(price__gt=20).check({"price": 10}) is False
    assert Q(name="test").check({"name": Lower(Value("TeSt"))}) is True
    wrapped = Q(ExpressionWrapper(Q(price__gt=20), output_field=BooleanField()))
    assert wrapped.check({"price": 25}) is True
    # Unknown (NULL) passes, as a SQL CHECK constraint does.
    assert Q(price__gt=F("cost")).check({"price": 3, "cost": None}) is True


def test_check_refuses_names_it_was_not_given(mdb: Any) -> None:
    with pytest.raises(FieldError, match="Cannot resolve keyword 'description'"):
        Q(description__startswith="x").check({"name": "n"})


def test_check_logs_database_errors_and_passes(
    mdb: Any, caplog: pytest.LogCaptureFixture
) -> None:
    q = Q(RawSQL("no_such_column > %s", (1,), output_field=BooleanField()))
    with caplog.at_level(logging.WARNING, logger="manouche.db.models"):
        assert q.check({"price": 1}) is True
    assert "Got a database error calling check() on" in caplog.text
    assert Q(price__gt=0).check({"price": 1}) is True  # the connection still works
