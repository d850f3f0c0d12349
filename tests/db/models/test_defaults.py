"""db_default, lazy string references, related ordering and alias()."""

from __future__ import annotations

from manouche.db.models import Count, F
from tests.db.models.modelapp.models import Author, Book, Defaults


def test_db_default_values_come_back(mdb):
    row = Defaults.objects.create()
    assert row.label == "unnamed"
    assert row.count == 7
    assert row.stamp is not None
    fresh = Defaults.objects.get(pk=row.pk)
    assert (fresh.label, fresh.count) == ("unnamed", 7)
    explicit = Defaults.objects.create(label="given", count=1)
    assert Defaults.objects.get(pk=explicit.pk).label == "given"


def test_string_reference_and_related_ordering(mdb):
    zed = Author.objects.create(name="Zed")
    amy = Author.objects.create(name="Amy")
    first = Defaults.objects.create(owner=zed)
    second = Defaults.objects.create(owner=amy)
    assert Defaults._meta.get_field("owner").related_model is Author
    assert list(Defaults.objects.exclude(owner=None)) == [second, first]


def test_alias_filters_without_selecting(mdb):
    ann = Author.objects.create(name="Ann")
    Book.objects.create(title="x", author=ann)
    Author.objects.create(name="Bob")
    busy = Author.objects.alias(n=Count("books")).filter(n__gt=0)
    assert [a.name for a in busy] == ["Ann"]
    assert not hasattr(busy[0], "n")
    assert list(
        Author.objects.alias(upper=F("name"))
        .order_by("-upper")
        .values_list("name", flat=True)
    ) == ["Bob", "Ann"]


async def test_aexplain(mdb):
    assert await Author.objects.filter(name="x").aexplain()


def test_bulk_create_leaves_database_defaults_to_the_database(mdb):
    rows = Defaults.objects.bulk_create(
        [Defaults(), Defaults(label="given", count=1), Defaults()]
    )
    stored = {
        row.pk: row for row in Defaults.objects.filter(pk__in=[r.pk for r in rows])
    }
    assert len(stored) == 3
    assert sorted((r.label, r.count) for r in stored.values()) == [
        ("given", 1),
        ("unnamed", 7),
        ("unnamed", 7),
    ]
    assert all(r.stamp is not None for r in stored.values())


def test_bulk_create_of_one_object_with_an_expression_default(mdb):
    (row,) = Defaults.objects.bulk_create([Defaults(label="solo")])
    fresh = Defaults.objects.get(label="solo")
    assert fresh.pk == row.pk
    assert fresh.stamp is not None
    assert fresh.count == 7
