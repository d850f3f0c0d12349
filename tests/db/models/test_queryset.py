"""QuerySet API: filtering, ordering, slicing, values, bulk operations."""

from __future__ import annotations

import datetime
import decimal

import pytest

from manouche.core.exceptions import FieldError
from manouche.db.models import F, Q
from manouche.db.models.query import EmptyQuerySet
from tests.db.models.modelapp.models import Author, Book, Everything


@pytest.fixture
def authors(mdb):
    return [
        Author.objects.create(name=name, age=age, rating=rating)
        for name, age, rating in [
            ("alice", 30, 4.5),
            ("Bob", 25, 3.0),
            ("carol", None, 5.0),
            ("dave", 40, 1.5),
        ]
    ]


def names(queryset):
    return [obj.name for obj in queryset]


def test_lazy_evaluation_and_result_cache(authors, mdb):
    queryset = Author.objects.filter(age__gte=30)
    Author.objects.create(name="eve", age=50)
    assert names(queryset) == ["alice", "dave", "eve"]
    Author.objects.create(name="zed", age=60)
    assert len(queryset) == 3  # cached
    assert len(queryset.all()) == 4  # a clone queries again


def test_filter_exclude_and_q(authors):
    assert names(Author.objects.filter(age__gt=25, rating__lt=5)) == ["alice", "dave"]
    assert names(Author.objects.exclude(age=30)) == ["Bob", "carol", "dave"]
    assert names(Author.objects.filter(Q(age=25) | Q(age=40))) == ["Bob", "dave"]
    assert names(Author.objects.filter(~Q(name="alice") & Q(age__isnull=False))) == [
        "Bob",
        "dave",
    ]
    assert names(Author.objects.filter(Q(age=25) ^ Q(rating__gte=3))) == [
        "alice",
        "carol",
    ]


def test_lookups(authors):
    q = Author.objects.filter
    assert names(q(name__iexact="BOB")) == ["Bob"]
    assert names(q(name__icontains="A")) == ["alice", "carol", "dave"]
    assert names(q(name__startswith="c")) == ["carol"]
    assert names(q(name__istartswith="b")) == ["Bob"]
    assert names(q(name__endswith="e")) == ["alice", "dave"]
    assert names(q(name__iendswith="B")) == ["Bob"]
    assert names(q(age__in=[25, 40, None])) == ["Bob", "dave"]
    assert names(q(age__in=[])) == []
    assert names(q(age__range=(26, 40))) == ["alice", "dave"]
    assert names(q(age__isnull=True)) == ["carol"]
    assert names(q(age__lte=30, age__gte=30)) == ["alice"]
    assert names(q(name__regex=r"^[a-c]")) == ["alice", "carol"]
    assert names(q(name__iregex=r"^b")) == ["Bob"]
    assert names(q(name__contains="ar")) == ["carol"]


def test_like_wildcards_are_escaped(mdb):
    Author.objects.create(name="100%")
    Author.objects.create(name="a_b")
    Author.objects.create(name="axb")
    assert names(Author.objects.filter(name__contains="%")) == ["100%"]
    assert names(Author.objects.filter(name__contains="_")) == ["a_b"]


def test_exclude_keeps_null_rows(authors):
    assert "carol" in names(Author.objects.exclude(age=30))


def test_date_lookups(mdb):
    when = datetime.datetime(2023, 3, 14, 15, 9, 26, tzinfo=datetime.UTC)
    Everything.objects.create(when=when, day=datetime.date(2023, 3, 14))
    Everything.objects.create(
        when=when.replace(year=2022), day=datetime.date(2022, 1, 1)
    )
    q = Everything.objects.filter
    assert q(when__year=2023).count() == 1
    assert q(when__month=3).count() == 2
    assert q(when__day=14).count() == 2
    assert q(when__hour=15, when__minute=9, when__second=26).count() == 2
    assert q(day__week_day=3).count() == 1  # 2023-03-14 was a Tuesday
    assert q(when__date=datetime.date(2023, 3, 14)).count() == 1
    assert q(day__year__gte=2023).count() == 1
    assert q(day__gt=datetime.date(2022, 6, 1)).count() == 1


def test_ordering_reverse_and_slicing(authors):
    assert names(Author.objects.all()) == ["Bob", "alice", "carol", "dave"] or names(
        Author.objects.all()
    ) == ["alice", "Bob", "carol", "dave"]
    assert names(Author.objects.order_by("-age", "name")) in (
        ["dave", "alice", "Bob", "carol"],
        ["carol", "dave", "alice", "Bob"],
    )
    assert names(Author.objects.order_by("rating")) == ["dave", "Bob", "alice", "carol"]
    assert names(Author.objects.order_by("rating").reverse()) == [
        "carol",
        "alice",
        "Bob",
        "dave",
    ]
    ordered = Author.objects.order_by("rating")
    assert names(ordered[1:3]) == ["Bob", "alice"]
    assert ordered[0].name == "dave"
    assert names(ordered[::2]) == ["dave", "alice"]
    with pytest.raises(ValueError, match="Negative indexing is not supported."):
        ordered[-1]
    assert names(Author.objects.order_by(F("age").desc(nulls_last=True))) == [
        "dave",
        "alice",
        "Bob",
        "carol",
    ]
    assert names(Author.objects.order_by(F("age").asc(nulls_first=True)))[0] == "carol"


def test_first_last_earliest_latest(authors, mdb):
    by_rating = Author.objects.order_by("rating")
    assert by_rating.first().name == "dave"
    assert by_rating.last().name == "carol"
    assert Author.objects.filter(name="nobody").first() is None
    assert Author.objects.earliest("rating").name == "dave"
    assert Author.objects.latest("rating").name == "carol"
    with pytest.raises(ValueError, match="earliest\\(\\) and latest\\(\\) require"):
        Author.objects.latest()


def test_count_exists_contains(authors):
    assert Author.objects.count() == 4
    assert Author.objects.filter(age__gt=100).exists() is False
    assert Author.objects.filter(age=25).exists() is True
    assert Author.objects.contains(authors[0])
    assert not Author.objects.filter(age=25).contains(authors[0])
    assert Author.objects.order_by("name")[:2].count() == 2
    assert Author.objects.values("rating").distinct().count() == 4


def test_values_and_values_list(authors):
    rows = list(Author.objects.order_by("rating").values("name", "age"))
    assert rows[0] == {"name": "dave", "age": 40}
    everything = Author.objects.filter(name="Bob").values()[0]
    assert set(everything) == {"id", "name", "email", "age", "rating"}
    assert list(Author.objects.order_by("rating").values_list("name", flat=True)) == [
        "dave",
        "Bob",
        "alice",
        "carol",
    ]
    pair = Author.objects.order_by("rating").values_list("name", "age")[0]
    assert pair == ("dave", 40)
    named = Author.objects.order_by("rating").values_list("name", "age", named=True)[0]
    assert named.name == "dave"
    assert named.age == 40
    with pytest.raises(TypeError, match="'flat' is not valid"):
        Author.objects.values_list("name", "age", flat=True)


def test_none_and_empty_queryset(authors):
    empty = Author.objects.none()
    assert isinstance(empty, EmptyQuerySet)
    assert list(empty) == []
    assert empty.count() == 0
    assert not empty.exists()
    assert not isinstance(Author.objects.all(), EmptyQuerySet)


def test_update_with_f_and_delete(authors):
    updated = Author.objects.filter(age__isnull=False).update(age=F("age") + 1)
    assert updated == 3
    assert sorted(Author.objects.exclude(age=None).values_list("age", flat=True)) == [
        26,
        31,
        41,
    ]
    count, per_model = Author.objects.filter(age__gt=30).delete()
    assert count == 2
    assert per_model == {"modelapp.Author": 2}


def test_in_bulk_and_get_or_create(authors):
    found = Author.objects.in_bulk([authors[0].pk, authors[1].pk])
    assert set(found) == {authors[0].pk, authors[1].pk}
    assert Author.objects.in_bulk([]) == {}
    obj, created = Author.objects.get_or_create(name="alice")
    assert not created
    assert obj == authors[0]
    obj, created = Author.objects.get_or_create(name="new", defaults={"age": 9})
    assert created
    assert obj.age == 9
    obj, created = Author.objects.update_or_create(name="new", defaults={"age": 10})
    assert not created
    assert Author.objects.get(name="new").age == 10
    obj, created = Author.objects.update_or_create(
        name="newer", defaults={"age": 1}, create_defaults={"age": 2}
    )
    assert created
    assert obj.age == 2


def test_bulk_create_and_bulk_update(mdb):
    created = Author.objects.bulk_create(
        [Author(name=f"n{i}", age=i) for i in range(25)], batch_size=10
    )
    assert Author.objects.count() == 25
    if mdb.connection.features.can_return_rows_from_bulk_insert:
        assert all(obj.pk is not None for obj in created)
    objs = list(Author.objects.order_by("age"))
    for obj in objs:
        obj.age = obj.age * 2
        obj.rating = 1.0
    assert Author.objects.bulk_update(objs, ["age", "rating"], batch_size=7) == 25
    assert list(Author.objects.order_by("age").values_list("age", flat=True))[:3] == [
        0,
        2,
        4,
    ]


def test_bulk_create_ignore_conflicts(mdb):
    from tests.db.models.modelapp.models import Publisher

    Publisher.objects.create(name="p")
    Publisher.objects.bulk_create(
        [Publisher(name="p"), Publisher(name="q")], ignore_conflicts=True
    )
    assert sorted(Publisher.objects.values_list("name", flat=True)) == ["p", "q"]


def test_iterator_streams_in_chunks(mdb):
    Author.objects.bulk_create([Author(name=f"a{i:03}") for i in range(50)])
    seen = [a.name for a in Author.objects.order_by("name").iterator(chunk_size=7)]
    assert seen == [f"a{i:03}" for i in range(50)]


def test_only_defer(authors):
    deferred = Author.objects.defer("email", "age").get(name="alice")
    assert deferred.get_deferred_fields() == {"email", "age"}
    assert deferred.age == 30


def test_repr_shows_a_few_rows(mdb):
    Author.objects.bulk_create([Author(name=f"r{i:02}") for i in range(25)])
    text = repr(Author.objects.order_by("name"))
    assert text.startswith("<QuerySet [<Author: r00>, <Author: r01>")
    assert text.endswith("'...(remaining elements truncated)...']>")


def test_unknown_field_gives_clear_error(authors):
    with pytest.raises(FieldError, match="Cannot resolve keyword 'nope' into field"):
        list(Author.objects.filter(nope=1))
    with pytest.raises(FieldError, match="Unsupported lookup 'bogus'"):
        list(Author.objects.filter(name__bogus=1))


def test_decimal_filter(mdb):
    author = Author.objects.create(name="a")
    Book.objects.create(title="b", author=author, price=decimal.Decimal("9.99"))
    assert Book.objects.get(price=decimal.Decimal("9.99")).title == "b"
    assert Book.objects.filter(price__gt=5).count() == 1


def test_bulk_create_update_conflicts(mdb):
    from tests.db.models.modelapp.models import Tag

    Tag.objects.create(name="a")
    Tag.objects.bulk_create(
        [Tag(name="a"), Tag(name="b")],
        update_conflicts=True,
        update_fields=["name"],
        unique_fields=["name"],
    )
    assert sorted(Tag.objects.values_list("name", flat=True)) == ["a", "b"]
    with pytest.raises(ValueError, match="mutually exclusive"):
        Tag.objects.bulk_create(
            [Tag(name="c")], ignore_conflicts=True, update_conflicts=True
        )


def test_combining_querysets_with_operators(authors):
    young = Author.objects.filter(age__lt=30)
    old = Author.objects.filter(age__gt=35)
    assert names(young | old) == ["Bob", "dave"]
    assert names(Author.objects.filter(age__gt=20) & old) == ["dave"]
    assert names(young | Author.objects.none()) == ["Bob"]
