"""Join demotion from conditions on foreign keys, F() references and OR
branches requiring a join through different paths."""

from __future__ import annotations

import re
from typing import Any

import pytest

from manouche.db.models import F, Q, QuerySet
from tests.db.models.modelapp.models import Node


def joins(queryset: QuerySet) -> tuple[int, int]:
    """(INNER, LEFT OUTER) join counts of the queryset's SQL."""
    sql = str(queryset.query)
    outer = sql.count("LEFT OUTER JOIN")
    return len(re.findall(r"\bJOIN\b", sql)) - outer, outer


@pytest.fixture
def tree(mdb: Any) -> dict[str, Node]:
    root = Node.objects.create(name="root")
    child = Node.objects.create(name="child", parent=root)
    leaf = Node.objects.create(name="leaf", parent=child)
    return {"root": root, "child": child, "leaf": leaf}


def names(queryset: QuerySet) -> list[str]:
    return sorted(node.name for node in queryset)


def test_a_key_known_not_null_makes_its_join_inner(tree: dict[str, Node]) -> None:
    root = tree["root"]
    # parent_id = root.pk means the parent row exists.
    queryset = Node.objects.filter(Q(parent=root) | Q(parent=tree["child"]))
    queryset = queryset.filter(Q(parent__name="x") | Q(parent__parent__name="y"))
    assert joins(queryset) == (1, 1)
    assert names(queryset) == []
    kept = Node.objects.exclude(parent=None).exclude(parent__name="root")
    assert joins(kept) == (1, 0)
    assert names(kept) == ["leaf"]


def test_a_compared_reference_requires_its_row(tree: dict[str, Node]) -> None:
    same = Node.objects.filter(Q(parent__name=F("parent__name")) | Q(name="x"))
    assert joins(same) == (0, 1)
    both = Node.objects.filter(
        Q(parent__name=F("parent__parent__name")) | Q(parent__parent__name="root")
    )
    # Each branch requires the grandparent, hence the parent too.
    assert joins(both) == (2, 0)
    assert names(both) == ["leaf"]


def test_or_branches_requiring_one_join_through_another(
    tree: dict[str, Node],
) -> None:
    queryset = Node.objects.filter(
        Q(parent__parent__name="root") | Q(parent__name="root")
    )
    # The first branch needs the parent as much as the second does.
    assert joins(queryset) == (1, 1)
    assert names(queryset) == ["child", "leaf"]
