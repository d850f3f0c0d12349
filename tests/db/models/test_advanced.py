"""JSON lookups, raw(), explain(), select_for_update, dates and nested prefetch."""

from __future__ import annotations

import datetime

from manouche.db import transaction
from manouche.db.models import F, Prefetch
from tests.db.models.modelapp.models import Author, Book, Everything, Tag


def test_json_key_lookups(mdb):
    Everything.objects.create(
        data={"name": "a", "n": 1, "tags": ["x", "y"], "o": {"k": True}}
    )
    Everything.objects.create(data={"name": "b", "n": 2, "o": {"k": False}})
    Everything.objects.create(data=None)
    q = Everything.objects.filter
    assert q(data__name="a").count() == 1
    assert q(data__n=2).count() == 1
    assert q(data__o__k=True).count() == 1
    assert q(data__tags__1="y").count() == 1
    assert q(data__has_key="tags").count() == 1
    assert q(data__has_keys=["name", "n"]).count() == 2
    assert q(data__has_any_keys=["tags", "zzz"]).count() == 1
    assert q(data__name__startswith="b").count() == 1
    assert q(data__name__icontains="A").count() == 1
    assert q(data__tags__isnull=True).count() == 2
    assert q(data__isnull=True).count() == 1
    assert q(data={"name": "b", "n": 2, "o": {"k": False}}).count() == 1
    if mdb.vendor != "sqlite":
        assert q(data__contains={"name": "a"}).count() == 1


def test_raw_maps_rows_to_instances(mdb):
    Author.objects.create(name="Ann", age=3)
    Author.objects.create(name="Bob", age=4)
    rows = list(
        Author.objects.raw(
            "SELECT id, name, age FROM modelapp_author WHERE age > %s ORDER BY name",
            [3],
        )
    )
    assert [(a.name, a.age) for a in rows] == [("Bob", 4)]
    assert rows[0].get_deferred_fields() == {"email", "rating"}
    assert rows[0].rating == 0.0


def test_explain_returns_a_plan(mdb):
    plan = Author.objects.filter(name="x").explain()
    assert isinstance(plan, str)
    assert plan


def test_select_for_update_inside_atomic(mdb):
    author = Author.objects.create(name="Ann")
    with transaction.atomic():
        locked = Author.objects.select_for_update().get(pk=author.pk)
        locked.name = "Locked"
        locked.save()
    assert Author.objects.get().name == "Locked"


def test_dates_and_datetimes(mdb):
    ann = Author.objects.create(name="Ann")
    for day in (
        datetime.date(2023, 1, 5),
        datetime.date(2023, 1, 20),
        datetime.date(2024, 3, 1),
    ):
        Book.objects.create(title=str(day), author=ann, published=day)
    assert list(Book.objects.dates("published", "year")) == [
        datetime.date(2023, 1, 1),
        datetime.date(2024, 1, 1),
    ]
    assert list(Book.objects.dates("published", "month", order="DESC")) == [
        datetime.date(2024, 3, 1),
        datetime.date(2023, 1, 1),
    ]


def test_nested_prefetch_and_to_attr(mdb):
    ann = Author.objects.create(name="Ann")
    book = Book.objects.create(title="T", author=ann)
    book.tags.add(Tag.objects.create(name="a"), Tag.objects.create(name="b"))
    authors = list(
        Author.objects.prefetch_related(
            Prefetch("books", queryset=Book.objects.order_by("title")), "books__tags"
        )
    )
    books = authors[0].books.all()
    assert [t.name for t in books[0].tags.all()] == ["a", "b"]
    assert "tags" in books[0]._prefetched_objects_cache
    tagged = list(Tag.objects.prefetch_related(Prefetch("books", to_attr="book_list")))
    assert [b.title for b in tagged[0].book_list] == ["T"]


def test_filter_on_f_across_relations(mdb):
    ann = Author.objects.create(name="Ann", age=50)
    Book.objects.create(title="long", author=ann, pages=100)
    Book.objects.create(title="short", author=ann, pages=10)
    assert list(
        Book.objects.filter(pages__gt=F("author__age")).values_list("title", flat=True)
    ) == ["long"]


def test_get_latest_by_meta(mdb):
    ann = Author.objects.create(name="Ann")
    Book.objects.create(title="old", author=ann, published=datetime.date(2020, 1, 1))
    Book.objects.create(title="new", author=ann, published=datetime.date(2022, 1, 1))
    assert Book.objects.latest().title == "new"
    assert Book.objects.earliest().title == "old"


def test_iterator_without_cache(mdb):
    Author.objects.bulk_create([Author(name=f"x{i}") for i in range(5)])
    queryset = Author.objects.all()
    assert len(list(queryset.iterator())) == 5
    assert queryset._result_cache is None
