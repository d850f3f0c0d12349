"""Create, read, update and delete on every backend."""

from __future__ import annotations

import datetime
import decimal
import uuid

import pytest

from manouche.core.exceptions import ObjectDoesNotExist
from tests.db.models.modelapp.models import Author, Book, Everything, Status, UUIDItem


def test_create_get_update_delete(mdb):
    author = Author.objects.create(name="Ann", age=30)
    assert author.pk is not None
    fetched = Author.objects.get(pk=author.pk)
    assert fetched == author
    assert fetched.name == "Ann"
    assert fetched.age == 30
    fetched.name = "Anna"
    fetched.save()
    assert Author.objects.get(pk=author.pk).name == "Anna"
    assert Author.objects.count() == 1
    deleted = fetched.delete()
    assert deleted == (1, {"modelapp.Author": 1})
    assert Author.objects.count() == 0


def test_does_not_exist_and_multiple(mdb):
    with pytest.raises(Author.DoesNotExist) as info:
        Author.objects.get(name="nobody")
    assert str(info.value) == "Author matching query does not exist."
    assert isinstance(info.value, ObjectDoesNotExist)
    Author.objects.create(name="x")
    Author.objects.create(name="x")
    with pytest.raises(Author.MultipleObjectsReturned) as multiple:
        Author.objects.get(name="x")
    assert "returned 2!" in str(multiple.value)


def test_scalar_fields_round_trip(mdb):
    when = datetime.datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=datetime.UTC)
    obj = Everything.objects.create(
        big=2**40,
        small=-5,
        flag=True,
        maybe=None,
        text="hello",
        ip="::ffff:1.2.3.4",
        when=when,
        day=datetime.date(2024, 1, 2),
        clock=datetime.time(13, 14, 15, 500),
        span=datetime.timedelta(days=1, seconds=5, microseconds=7),
        blob=b"\x00\x01binary",
        amount=decimal.Decimal("12.345"),
        ratio=0.25,
        data={"a": [1, 2, {"b": None}], "s": "x"},
    )
    got = Everything.objects.get(pk=obj.pk)
    assert got.big == 2**40
    assert got.small == -5
    assert got.flag is True
    assert got.maybe is None
    assert got.text == "hello"
    assert isinstance(got.uid, uuid.UUID)
    assert got.uid == obj.uid
    assert got.when == when
    assert got.day == datetime.date(2024, 1, 2)
    assert got.clock == datetime.time(13, 14, 15, 500)
    assert got.span == datetime.timedelta(days=1, seconds=5, microseconds=7)
    assert bytes(got.blob) == b"\x00\x01binary"
    assert got.amount == decimal.Decimal("12.345")
    assert got.ratio == 0.25
    assert got.data == {"a": [1, 2, {"b": None}], "s": "x"}


def test_uuid_primary_key_is_set_before_insert(mdb):
    item = UUIDItem.objects.create(label="one")
    assert isinstance(item.pk, uuid.UUID)
    assert UUIDItem.objects.get(pk=item.pk).label == "one"
    item.label = "two"
    item.save()
    assert UUIDItem.objects.get().label == "two"


def test_choices_and_display(mdb):
    author = Author.objects.create(name="A")
    book = Book.objects.create(title="T", author=author, status=Status.PUBLISHED)
    assert book.get_status_display() == "Published"
    assert Book.objects.get(pk=book.pk).get_priority_display() == "Low"
    assert Book.objects.filter(status=Status.PUBLISHED).count() == 1


def test_auto_now_and_update_fields(mdb):
    author = Author.objects.create(name="A")
    book = Book.objects.create(title="T", author=author)
    assert book.created is not None
    first_updated = book.updated
    book.title = "New"
    book.pages = 5
    book.save(update_fields=["title"])
    fresh = Book.objects.get(pk=book.pk)
    assert fresh.title == "New"
    assert fresh.pages == 100
    assert fresh.updated >= first_updated


def test_refresh_from_db_and_deferred_loading(mdb):
    author = Author.objects.create(name="A", age=3)
    Author.objects.filter(pk=author.pk).update(age=4)
    author.refresh_from_db()
    assert author.age == 4
    only = Author.objects.only("name").get(pk=author.pk)
    assert only.get_deferred_fields() == {"email", "age", "rating"}
    assert only.age == 4
    assert "age" not in only.get_deferred_fields()


def test_equality_and_hash_by_pk(mdb):
    a = Author.objects.create(name="A")
    b = Author.objects.get(pk=a.pk)
    assert a == b
    assert hash(a) == hash(b)
    assert {a, b} == {a}
    assert Author(name="u") != Author(name="u")
    with pytest.raises(TypeError, match="unhashable"):
        hash(Author(name="u"))


def test_force_update_without_row_fails(mdb):
    from manouche.db import DatabaseError

    with pytest.raises(DatabaseError, match="Forced update did not affect any rows."):
        Author(pk=999, name="x").save(force_update=True)
