"""LEFT OUTER joins become INNER where the WHERE clause rejects missing rows.

Each case checks both the join types in the SQL and that the rows are the
ones the LEFT OUTER JOIN query returned (demotion never changes results).
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from manouche.db.models import Q, QuerySet
from manouche.db.models.sql._joins import inner_join_keys, rejects_null
from tests.db.models.modelapp.models import Author, Book, Node, Publisher, Tag


def joins(queryset: QuerySet[Any]) -> tuple[int, int]:
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


def names(queryset: QuerySet[Any]) -> list[str]:
    return sorted(node.name for node in queryset)


@pytest.mark.parametrize(
    ("condition", "expected", "inner", "outer"),
    [
        # A value compared with the related row requires it: INNER.
        (Q(parent__name="root"), ["child"], 1, 0),
        (Q(parent__parent__name="root"), ["leaf"], 2, 0),
        (Q(parent__parent__isnull=False), ["leaf"], 1, 0),
        (Q(parent__name__in=["root", "child"]), ["child", "leaf"], 1, 0),
        # Every branch of an OR needs the same join.
        (Q(parent__name="root") | Q(parent__name="child"), ["child", "leaf"], 1, 0),
        # NULL-tolerant conditions keep LEFT OUTER.
        (Q(parent__parent__isnull=True), ["child", "root"], 0, 1),
        (Q(parent__name="root") | Q(name="root"), ["child", "root"], 0, 1),
        (~Q(parent__name="root"), ["leaf", "root"], 0, 1),
        # Negation: only "is not null" rejects missing rows.
        (~Q(parent__parent__isnull=True), ["leaf"], 1, 0),
        (~~Q(parent__parent__isnull=True), ["child", "root"], 0, 1),
        (~(Q(parent__name="x") | Q(parent__parent__isnull=True)), ["leaf"], 1, 0),
    ],
)
def test_join_types_follow_the_where_clause(
    tree: dict[str, Node], condition: Q, expected: list[str], inner: int, outer: int
) -> None:
    queryset = Node.objects.filter(condition)
    assert names(queryset) == expected
    assert joins(queryset) == (inner, outer)


def test_reverse_and_many_to_many_joins_are_demoted_by_filters(mdb: Any) -> None:
    author = Author.objects.create(name="a")
    Author.objects.create(name="no books")
    book = Book.objects.create(title="t", author=author)
    book.tags.add(Tag.objects.create(name="x"))
    with_tag = Author.objects.filter(books__tags__name="x")
    assert [a.name for a in with_tag] == ["a"]
    assert joins(with_tag) == (3, 0)
    without = Author.objects.filter(books__isnull=True)
    assert [a.name for a in without] == ["no books"]
    assert joins(without) == (0, 1)


def test_select_related_and_aggregates_keep_their_outer_joins(mdb: Any) -> None:
    author = Author.objects.create(name="a")
    publisher = Publisher.objects.create(name="p")
    Book.objects.create(title="with", author=author, publisher=publisher)
    Book.objects.create(title="without", author=author)
    related = Book.objects.select_related("publisher")
    assert [b.title for b in related] == ["with", "without"]
    assert joins(related)[1] == 1
    filtered = related.filter(publisher__name="p")
    assert [b.title for b in filtered] == ["with"]
    assert joins(filtered)[1] == 0
    assert Book.objects.filter(publisher__name="p").count() == 1
    assert Book.objects.filter(publisher__name="p").exists()
    counted = Publisher.objects.filter(book__title="with").values_list("name")
    assert list(counted) == [("p",)]


def test_updates_and_deletes_through_demoted_joins(mdb: Any) -> None:
    author = Author.objects.create(name="a")
    publisher = Publisher.objects.create(name="p")
    Book.objects.create(title="with", author=author, publisher=publisher)
    Book.objects.create(title="without", author=author)
    assert Book.objects.filter(publisher__name="p").update(pages=7) == 1
    assert Book.objects.get(title="with").pages == 7
    Book.objects.filter(publisher__name="p").delete()
    assert [b.title for b in Book.objects.all()] == ["without"]


def test_null_rejecting_lookups() -> None:
    assert rejects_null(["exact"], 1)
    assert rejects_null([], "x")
    assert rejects_null(["isnull"], False)
    assert not rejects_null(["isnull"], True)
    assert not rejects_null(["exact"], None)
    assert not rejects_null(["lower", "exact"], "x")


def test_demotion_stops_at_joins_it_cannot_follow() -> None:
    import sqlalchemy as sa

    meta = sa.MetaData()
    parent = sa.Table("p", meta, sa.Column("id", sa.Integer))
    child = sa.Table("c", meta, sa.Column("id", sa.Integer), sa.Column("p", sa.Integer))

    class Join:
        def __init__(self, alias: Any, onclause: Any, outer: bool) -> None:
            self.alias, self.onclause, self.outer = alias, onclause, outer

    first = parent.alias()
    second = child.alias()
    chained = {
        ("p",): Join(first, first.c.id == 1, True),
        ("p", "c"): Join(second, second.c.p == first.c.id, True),
    }
    assert inner_join_keys(chained, [second]) == {("p",), ("p", "c")}
    odd = {
        ("p",): Join(first, first.c.id == 1, True),
        ("p", "c"): Join(second, sa.or_(second.c.p == first.c.id), True),
    }
    odd[("p", "c")].onclause = sa.or_(second.c.p == first.c.id, second.c.p.is_(None))
    assert inner_join_keys(odd, [second]) == {("p", "c")}


def test_many_to_many_key_lookups_stop_at_the_through_table(mdb: Any) -> None:
    author = Author.objects.create(name="a")
    tagged = Book.objects.create(title="tagged", author=author)
    Book.objects.create(title="bare", author=author)
    tag = Tag.objects.create(name="x")
    tagged.tags.add(tag)
    untagged = Book.objects.filter(tags__isnull=True)
    assert [b.title for b in untagged] == ["bare"]
    assert joins(untagged) == (0, 1)
    with_tag = Book.objects.filter(tags__in=[tag])
    assert [b.title for b in with_tag] == ["tagged"]
    assert joins(with_tag) == (1, 0)
    by_name = Book.objects.filter(tags__name="x")
    assert [b.title for b in by_name] == ["tagged"]
    assert joins(by_name) == (2, 0)
