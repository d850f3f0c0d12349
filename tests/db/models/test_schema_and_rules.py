"""Less common relation options, indexes and constraints on every backend."""

from __future__ import annotations

import pytest

from manouche.db import IntegrityError, transaction
from tests.db.models.modelapp.models import (
    Author,
    Book,
    Catalog,
    Edition,
    Publisher,
    Restaurant,
)


def test_set_default_and_set(mdb):
    press = Publisher.objects.create(name="Press")
    printer = Publisher.objects.create(name="Printer")
    edition = Edition.objects.create(isbn="1", publisher=press, printer=printer)
    press.delete()
    edition.refresh_from_db()
    assert edition.publisher.name == "fallback"
    printer.delete()
    edition.refresh_from_db()
    assert edition.printer is None


def test_related_query_name_and_hidden_reverse(mdb):
    press = Publisher.objects.create(name="Press")
    Edition.objects.create(isbn="1", publisher=press)
    assert list(press.editions.all()) == [Edition.objects.get()]
    assert Publisher.objects.filter(edition__isbn="1").get() == press
    assert not hasattr(Publisher, "+")


def test_partial_unique_constraint(mdb):
    features = mdb.connection.features
    if not features.supports_partial_indexes:
        pytest.skip("the backend has no partial indexes")
    Catalog.objects.create(code="1", shelf="s", active=False)
    Catalog.objects.create(code="2", shelf="s", active=False)
    Catalog.objects.create(code="3", shelf="s", active=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Catalog.objects.create(code="4", shelf="s", active=True)
    assert Catalog.objects.filter(code__in=["1", "3"]).count() == 2


def test_update_spanning_parent_table(mdb):
    Restaurant.objects.create(name="Luigi", serves_pizza=False)
    Restaurant.objects.create(name="Mario", serves_pizza=False)
    assert (
        Restaurant.objects.filter(name="Luigi").update(name="L", serves_pizza=True) == 1
    )
    assert list(
        Restaurant.objects.order_by("name").values_list("name", "serves_pizza")
    ) == [("L", True), ("Mario", False)]


def test_update_through_join_filter(mdb):
    ann = Author.objects.create(name="Ann")
    bob = Author.objects.create(name="Bob")
    Book.objects.create(title="a", author=ann)
    Book.objects.create(title="b", author=bob)
    assert Book.objects.filter(author__name="Ann").update(pages=7) == 1
    assert Book.objects.filter(author__name="Bob").delete()[0] == 1
    assert list(Book.objects.values_list("title", "pages")) == [("a", 7)]
