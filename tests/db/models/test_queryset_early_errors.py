"""Mistakes in a QuerySet call raise at the call, not when the query runs."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from manouche.core.exceptions import FieldError
from manouche.db import models
from manouche.test.utils import CaptureQueriesContext, isolate_apps
from tests.db.models.modelapp.models import Author, Book


def test_a_dictionary_is_not_a_filter_condition(mdb: Any) -> None:
    with pytest.raises(FieldError, match="Cannot parse keyword query as dict"):
        Author.objects.filter({"name": "Ann"})


def test_an_unknown_first_name_fails_in_filter(mdb: Any) -> None:
    message = (
        "Cannot resolve keyword 'unknown' into field. Choices are: age, books, "
        "email, id, n, name, profile, rating, restricted"
    )
    with (
        CaptureQueriesContext(mdb.connection) as queries,
        pytest.raises(FieldError, match=message),
    ):
        Author.objects.annotate(n=models.Count("books")).filter(unknown__x=1)
    assert len(queries) == 0
    # Annotations, "pk" and key attnames are known names.
    annotated = Author.objects.annotate(n=models.Count("books")).filter(n=0, pk=1)
    assert list(annotated) == []
    assert list(Book.objects.filter(author_id=1)) == []


def test_latest_on_a_sliced_queryset_is_refused(mdb: Any) -> None:
    with pytest.raises(TypeError, match="once a slice has been taken"):
        Book.objects.all()[:0].latest("published")


def test_dates_need_a_date_or_time_field(mdb: Any) -> None:
    message = "'title' isn't a DateField, TimeField, or DateTimeField."
    with pytest.raises(TypeError, match=message):
        Book.objects.datetimes("title", "month")
    with pytest.raises(TypeError, match=message):
        Book.objects.dates("title", "year")
    assert list(Book.objects.dates("published", "year")) == []
    with pytest.raises(FieldError, match="Cannot resolve keyword 'nothing' into"):
        Book.objects.dates("nothing", "year")


def test_ordering_by_a_transform_of_a_key_to_a_date(database: Any) -> None:
    with isolate_apps("tests.apps.custom_label"):

        class Day(models.Model):
            date = models.DateField(primary_key=True)

            class Meta:
                app_label = "custom_label"

        class Entry(models.Model):
            day = models.ForeignKey(Day, models.CASCADE)

            class Meta:
                app_label = "custom_label"

        database.create_models(Day, Entry)
        december = Entry.objects.create(
            day=Day.objects.create(date=datetime.date(2021, 12, 10))
        )
        november = Entry.objects.create(
            day=Day.objects.create(date=datetime.date(2022, 11, 10))
        )
        assert list(Entry.objects.order_by("day__month")) == [november, december]
        assert list(Entry.objects.order_by("-day__year")) == [november, december]
