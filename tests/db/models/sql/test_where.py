"""WhereNode / NothingNode: hand-built condition trees, as SQL text and as filters."""

from __future__ import annotations

from typing import Any

import pytest

from manouche.core.exceptions import EmptyResultSet, FullResultSet
from manouche.db.models import Q
from manouche.db.models.sql.where import AND, OR, NothingNode, WhereNode
from tests.db.models.modelapp.models import Author


class _Fragment:
    def __init__(self, sql: str, *params: Any) -> None:
        self.sql, self.params = sql, list(params)

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        return self.sql, self.params


class _Compiler:
    def compile(self, node: Any) -> tuple[str, list[Any]]:
        result: tuple[str, list[Any]] = node.as_sql(self, None)
        return result


def _render(node: WhereNode) -> tuple[str, list[Any]]:
    return node.as_sql(_Compiler(), None)


def test_conjunction_joins_children_and_their_parameters() -> None:
    node = WhereNode([_Fragment("a = %s", 1), _Fragment("b = %s", 2)])
    assert _render(node) == ("(a = %s AND b = %s)", [1, 2])
    node.negate()
    assert _render(node) == ("NOT (a = %s AND b = %s)", [1, 2])


def test_disjunction_drops_children_that_match_nothing() -> None:
    node = WhereNode([NothingNode(), _Fragment("a")], connector=OR)
    assert _render(node) == ("a", [])
    node.negate()
    assert _render(node) == ("NOT (a)", [])


def test_a_child_matching_nothing_empties_a_conjunction() -> None:
    node = WhereNode([NothingNode(), _Fragment("a")])
    with pytest.raises(EmptyResultSet):
        _render(node)
    node.negate()
    with pytest.raises(FullResultSet):
        _render(node)


def test_empty_children_match_everything() -> None:
    node = WhereNode([WhereNode(), WhereNode()])
    with pytest.raises(FullResultSet):
        _render(node)
    node.negate()
    with pytest.raises(EmptyResultSet):
        _render(node)
    with pytest.raises(FullResultSet):
        _render(WhereNode([WhereNode(), NothingNode()], connector=OR))
    with pytest.raises(EmptyResultSet):
        _render(WhereNode([WhereNode(), NothingNode()], connector=AND))


def test_unknown_connector_is_refused() -> None:
    with pytest.raises(ValueError, match="Unknown connector 'NAND'"):
        WhereNode(connector="NAND")


def test_nodes_filter_querysets(mdb: Any) -> None:
    Author.objects.create(name="a")
    assert list(Author.objects.filter(Q(NothingNode()))) == []
    assert Author.objects.filter(WhereNode([Q(name="a")], negated=True)).count() == 0
    either = WhereNode([Q(name="a"), Q(name="b")], connector=OR)
    assert [a.name for a in Author.objects.filter(either)] == ["a"]
