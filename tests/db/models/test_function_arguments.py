"""Function arguments: querysets as subqueries, transforms over foreign keys."""

from __future__ import annotations

import datetime
from typing import Any

from manouche.db import models
from manouche.db.models import Max, Subquery
from manouche.db.models.functions import Coalesce, ExtractYear
from manouche.test.utils import isolate_apps, register_lookup
from tests.db.models.modelapp.models import Author, Book


def test_a_queryset_argument_is_its_subquery(mdb: object) -> None:
    ann = Author.objects.create(name="Ann")
    Book.objects.create(title="One", author=ann, pages=120)
    none = Book.objects.none().values("pages")[:1]
    some = Book.objects.values("pages")[:1]
    rows = Author.objects.annotate(
        missing=Coalesce(none, 42), found=Coalesce(some, 42)
    ).values_list("missing", "found")
    assert list(rows) == [(42, 120)]
    empty = Author.objects.aggregate(v=Coalesce(Max(Subquery(none)), 7))
    assert empty == {"v": 7}


def test_a_transform_on_a_foreign_key_reads_the_target_values(database: Any) -> None:
    with isolate_apps("tests.apps.custom_label"):

        class Moment(models.Model):
            at = models.DateTimeField(primary_key=True)

            class Meta:
                app_label = "custom_label"

        class Event(models.Model):
            moment = models.ForeignKey(Moment, models.CASCADE)

            class Meta:
                app_label = "custom_label"

        database.create_models(Moment, Event)
        old = Moment.objects.create(at=datetime.datetime(2020, 12, 10))
        new = Moment.objects.create(at=datetime.datetime(2022, 1, 1))
        first = Event.objects.create(moment=old)
        Event.objects.create(moment=new)
        with register_lookup(Event._meta.get_field("moment"), ExtractYear):
            assert list(Event.objects.filter(moment__year=2020)) == [first]
            assert list(Event.objects.filter(moment__year__lt=2021)) == [first]
