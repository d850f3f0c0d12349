"""A table's first join goes by the table's name; nested queries stay aliased."""

from __future__ import annotations

from typing import Any

from manouche.db.models import Exists, OuterRef, RawSQL
from tests.db.models.modelapp.models import Author, Book, Node, Tag


def _library() -> tuple[Author, Author]:
    ann = Author.objects.create(name="Ann", age=30)
    bob = Author.objects.create(name="Bob", age=50)
    Book.objects.create(title="One", author=ann, pages=100)
    Book.objects.create(title="Two", author=bob, pages=200)
    return ann, bob


def test_extra_where_may_name_a_joined_table(mdb: Any) -> None:
    _library()
    books = Book.objects.filter(author__name__startswith="").extra(
        where=["modelapp_author.age > 40"]
    )
    assert [book.title for book in books] == ["Two"]


def test_raw_sql_ordering_may_name_a_joined_table(mdb: Any) -> None:
    _library()
    titles = (
        Book.objects.values_list("title", flat=True)
        .filter(author__age__gt=0)
        .order_by(RawSQL("modelapp_author.age", ()).desc())
    )
    assert list(titles) == ["Two", "One"]


def test_a_second_join_of_the_same_table_is_aliased(mdb: Any) -> None:
    root = Node.objects.create(name="root")
    child = Node.objects.create(name="child", parent=root)
    Node.objects.create(name="leaf", parent=child)
    leaves = Node.objects.filter(parent__parent__name="root")
    assert [node.name for node in leaves] == ["leaf"]
    assert list(Node.objects.filter(parent__name="root").values_list("name")) == [
        ("child",)
    ]


def test_exclude_and_subqueries_do_not_merge_with_the_named_join(mdb: Any) -> None:
    ann, bob = _library()
    red = Tag.objects.create(name="red")
    Book.objects.get(title="One").tags.add(red)
    # The outer query joins the book table by name; the exclusion's subquery
    # joins it too and must stay a query of its own.
    authors = (
        Author.objects.filter(books__pages__gt=0)
        .exclude(books__tags__name="red")
        .order_by("name")
    )
    assert list(authors) == [bob]
    tagged = Book.objects.filter(author=OuterRef("pk"), tags__name="red")
    flagged = Author.objects.filter(Exists(tagged), books__pages__gt=0)
    assert list(flagged.order_by("name")) == [ann]


def test_update_and_delete_through_a_self_join(mdb: Any) -> None:
    root = Node.objects.create(name="root")
    Node.objects.create(name="child", parent=root)
    Node.objects.create(name="other")
    assert Node.objects.filter(parent__name="root").update(name="renamed") == 1
    assert sorted(Node.objects.values_list("name", flat=True)) == [
        "other",
        "renamed",
        "root",
    ]
    Node.objects.filter(parent__name="root").delete()
    assert sorted(Node.objects.values_list("name", flat=True)) == ["other", "root"]
