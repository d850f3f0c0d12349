"""Model classes: _meta, inheritance, proxies, managers, signals, validation."""

from __future__ import annotations

import pytest

from manouche.core.exceptions import FieldDoesNotExist, ValidationError
from manouche.db import IntegrityError, models
from manouche.db.models import signals
from tests.db.models.modelapp.models import (
    Author,
    Book,
    BookProxy,
    Constrained,
    Everything,
    Note,
    Place,
    Publisher,
    Restaurant,
    Status,
)


def test_meta_api():
    opts = Book._meta
    assert opts.label == "modelapp.Book"
    assert opts.label_lower == "modelapp.book"
    assert opts.model_name == "book"
    assert opts.db_table == "modelapp_book"
    assert opts.pk.name == "id"
    assert opts.get_field("author").related_model is Author
    assert opts.get_field("author").attname == "author_id"
    assert [f.name for f in opts.many_to_many] == ["tags"]
    assert "title" in [f.name for f in opts.concrete_fields]
    with pytest.raises(FieldDoesNotExist, match="Book has no field named 'nope'"):
        opts.get_field("nope")
    related = {r.name for r in Author._meta.related_objects}
    assert {"books", "profile", "restricted"} <= related
    assert Author._meta.get_field("books").related_model is Book
    assert opts.verbose_name == "book"
    assert opts.verbose_name_plural == "books"
    assert opts.get_latest_by == "published"


def test_model_init_arguments():
    author = Author(None, "Ann")
    assert author.name == "Ann"
    with pytest.raises(TypeError, match="unexpected keyword arguments: 'nope'"):
        Author(nope=1)
    with pytest.raises(IndexError, match="Number of args exceeds number of fields"):
        Author(1, "a", "b", 3, 4.0, "extra")
    assert Author(pk=5).id == 5


def test_full_clean_collects_errors():
    obj = Everything(score=50, slug="not a slug!", url="notaurl")
    with pytest.raises(ValidationError) as info:
        obj.full_clean()
    errors = info.value.message_dict
    assert errors["score"] == ["Ensure this value is less than or equal to 10."]
    assert "slug" in errors
    assert "url" in errors
    book = Book(title="", status="x")
    with pytest.raises(ValidationError) as info:
        book.full_clean(exclude=["author"])
    assert info.value.message_dict["title"] == ["This field cannot be blank."]
    assert info.value.message_dict["status"] == ["Value 'x' is not a valid choice."]


def test_validate_unique_and_constraints(mdb):
    Publisher.objects.create(name="Press")
    with pytest.raises(ValidationError) as info:
        Publisher(name="Press").full_clean()
    assert info.value.message_dict == {
        "name": ["Publisher with this Name already exists."]
    }
    Constrained.objects.create(low=1, high=2, code="c")
    with pytest.raises(ValidationError) as info:
        Constrained(low=1, high=2, code="c").full_clean()
    assert "Constrained with this Code and Group already exists." in info.value.messages
    with pytest.raises(ValidationError, match="low_lte_high"):
        Constrained(low=5, high=2, code="d").full_clean()
    # MariaDB's error 4025 (MySQL's 3819) is mapped to IntegrityError too.
    with pytest.raises(IntegrityError, match="low_lte_high"):
        Constrained.objects.create(low=5, high=2, code="d")


def test_multi_table_inheritance(mdb):
    restaurant = Restaurant.objects.create(name="Luigi", address="x", serves_pizza=True)
    assert restaurant.pk == restaurant.place_ptr_id
    assert Place.objects.count() == 1
    fetched = Restaurant.objects.get(name="Luigi")
    assert fetched.serves_pizza is True
    assert fetched.address == "x"
    assert Place.objects.get().restaurant == fetched
    fetched.name = "Mario"
    fetched.save()
    assert Place.objects.get().name == "Mario"
    assert Restaurant.objects.filter(name__startswith="M").count() == 1
    assert list(Restaurant.objects.values_list("name", "serves_pizza")) == [
        ("Mario", True)
    ]
    _count, per_model = fetched.delete()
    assert per_model == {"modelapp.Restaurant": 1, "modelapp.Place": 1}
    assert Place.objects.count() == 0


def test_abstract_inheritance_and_ordering(mdb):
    assert [f.name for f in Note._meta.fields] == ["id", "created", "body"]
    assert Note._meta.ordering == ["-created"]
    first = Note.objects.create(body="1")
    second = Note.objects.create(body="2")
    assert list(Note.objects.all()) in ([second, first], [first, second])
    from tests.db.models.modelapp.models import Timestamped

    with pytest.raises(AttributeError, match="has no attribute 'objects'"):
        Timestamped.objects  # noqa: B018


def test_proxy_models_and_managers(mdb):
    author = Author.objects.create(name="A")
    Book.objects.create(title="short", author=author, pages=10)
    Book.objects.create(title="long", author=author, pages=500, status=Status.PUBLISHED)
    assert BookProxy._meta.db_table == "modelapp_book"
    assert [b.title for b in BookProxy.objects.all()] == ["long", "short"]
    assert [b.shout() for b in BookProxy.objects.long()] == ["LONG"]
    assert [b.title for b in BookProxy.published_books.all()] == ["long"]
    assert isinstance(BookProxy.objects.get(title="long"), BookProxy)
    assert BookProxy.objects.get(title="long") == Book.objects.get(title="long")


def test_manager_from_queryset_and_instances():
    class Custom(models.QuerySet):
        def shiny(self):
            return self.filter(name="shiny")

    manager_class = models.Manager.from_queryset(Custom)
    assert hasattr(manager_class(), "shiny")
    with pytest.raises(
        AttributeError, match="Manager isn't accessible via Author instances"
    ):
        Author(name="x").objects  # noqa: B018


def test_save_and_delete_signals(mdb):
    events = []

    def record(sender, **kwargs):
        events.append(
            (kwargs["signal"], kwargs.get("created"), kwargs["instance"].name)
        )

    for signal in (
        signals.pre_save,
        signals.post_save,
        signals.pre_delete,
        signals.post_delete,
    ):
        signal.connect(record, sender=Author)
    try:
        author = Author.objects.create(name="A")
        author.save()
        author.delete()
    finally:
        for signal in (
            signals.pre_save,
            signals.post_save,
            signals.pre_delete,
            signals.post_delete,
        ):
            signal.disconnect(record, sender=Author)
    assert events == [
        (signals.pre_save, None, "A"),
        (signals.post_save, True, "A"),
        (signals.pre_save, None, "A"),
        (signals.post_save, False, "A"),
        (signals.pre_delete, None, "A"),
        (signals.post_delete, None, "A"),
    ]


def test_init_signals_and_from_db(mdb):
    seen = []

    def on_init(sender, instance, **kwargs):
        seen.append(instance.name)

    signals.post_init.connect(on_init, sender=Author)
    try:
        Author.objects.create(name="A")
        assert [a.name for a in Author.objects.all()] == ["A"]
    finally:
        signals.post_init.disconnect(on_init, sender=Author)
    assert seen == ["A", "A"]


def test_class_prepared_is_sent():
    prepared = []

    def on_prepared(sender, **kwargs):
        prepared.append(sender.__name__)

    signals.class_prepared.connect(on_prepared)
    try:

        class Temporary(models.Model):
            class Meta:
                app_label = "modelapp"
                db_table = "temporary_signal_model"

    finally:
        signals.class_prepared.disconnect(on_prepared)
        from manouche.apps import apps

        apps.all_models["modelapp"].pop("temporary", None)
        apps.clear_cache()
    assert prepared == ["Temporary"]


def test_multi_table_inheritance_queries(mdb):
    Restaurant.objects.create(name="B", serves_pizza=True)
    Restaurant.objects.create(name="A", serves_pizza=False)
    Place.objects.create(name="C")
    assert [r.name for r in Restaurant.objects.order_by("name")] == ["A", "B"]
    assert [p.name for p in Place.objects.filter(restaurant__serves_pizza=True)] == [
        "B"
    ]
    assert Place.objects.filter(restaurant__isnull=True).get().name == "C"
    pizza = Restaurant.objects.select_related("place_ptr").get(serves_pizza=True)
    assert pizza.place_ptr.name == "B"
    assert Restaurant.objects.filter(name__in=["A", "C"]).count() == 1
    Restaurant.objects.filter(name="A").delete()
    assert Place.objects.count() == 2
