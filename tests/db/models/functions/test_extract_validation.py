"""Extract refuses sources and components that cannot be extracted, clearly."""

from __future__ import annotations

from typing import Any

import pytest

from manouche.db.models import OuterRef, Subquery
from manouche.db.models.functions import Extract, ExtractMonth, ExtractYear
from manouche.test.utils import CaptureQueriesContext
from tests.db.models.modelapp.models import Author, Book, Everything


def test_non_temporal_sources_are_refused(mdb: Any) -> None:
    message = "Extract input expression must be DateField, DateTimeField, TimeField"
    with pytest.raises(ValueError, match=message):
        list(Book.objects.annotate(x=Extract("title", "hour")))


def test_dates_have_no_time_components(mdb: Any) -> None:
    message = "Cannot extract time component 'second' from DateField 'published'."
    with pytest.raises(ValueError, match=message):
        list(Book.objects.annotate(x=Extract("published", "second")))


def test_times_have_no_date_components(mdb: Any) -> None:
    message = "Cannot extract date component 'year' from TimeField 'clock'."
    with pytest.raises(ValueError, match=message):
        list(Everything.objects.annotate(x=Extract("clock", "year")))


def test_durations_need_native_support_and_time_components(mdb: Any) -> None:
    message = "Cannot extract component 'month' from DurationField 'span'."
    with pytest.raises(ValueError, match=message):
        Everything.objects.annotate(x=Extract("span", "month"))
    queryset = Everything.objects.annotate(x=Extract("span", "second"))
    if mdb.connection.features.has_native_duration_field:
        assert list(queryset) == []
    else:
        message = "Extract requires native DurationField database support."
        with pytest.raises(ValueError, match=message):
            list(queryset)


def test_a_wrong_component_is_refused_by_annotate_before_any_query(
    mdb: Any,
) -> None:
    with CaptureQueriesContext(mdb.connection) as queries:
        for name in ("year", "iso_year", "week", "week_day", "quarter"):
            message = f"Cannot extract component '{name}' from DurationField 'span'."
            with pytest.raises(ValueError, match=message):
                Everything.objects.annotate(x=Extract("span", name))
        with pytest.raises(ValueError, match="Extract input expression must be"):
            Book.objects.annotate(x=ExtractYear("title"))
    assert len(queries) == 0


def test_an_outer_reference_is_checked_against_the_outer_query(mdb: Any) -> None:
    inner = Book.objects.filter(pages=ExtractMonth(OuterRef("name")))
    message = "Extract input expression must be DateField, DateTimeField, TimeField"
    with pytest.raises(ValueError, match=message):
        Author.objects.annotate(x=Subquery(inner.values("pages")[:1]))
    # A date of the outer query is fine; so is an unknown name, reported
    # when the query runs.
    dated = Book.objects.filter(pages=ExtractMonth(OuterRef("published")))
    Book.objects.annotate(x=Subquery(dated.values("pages")[:1]))
    Author.objects.annotate(x=ExtractYear("nope"))


def test_valid_components_still_extract(mdb: Any) -> None:
    import datetime

    Everything.objects.create(day=datetime.date(2020, 5, 17))
    assert Everything.objects.annotate(m=Extract("day", "month")).get().m == 5


def test_trunc_refuses_impossible_outputs_and_sources(mdb: Any) -> None:
    from manouche.db.models import DateTimeField, IntegerField
    from manouche.db.models.functions import Trunc

    with pytest.raises(ValueError, match="output_field must be either DateField"):
        list(
            Book.objects.annotate(
                x=Trunc("created", "year", output_field=IntegerField())
            )
        )
    with pytest.raises(TypeError, match="'title' isn't a DateField"):
        list(
            Book.objects.annotate(
                x=Trunc("title", "year", output_field=DateTimeField())
            )
        )
    with pytest.raises(
        ValueError, match="Cannot truncate DateField 'published' to Date"
    ):
        list(Book.objects.annotate(x=Trunc("published", "second")))
    with pytest.raises(ValueError, match="Cannot truncate TimeField 'clock' to Date"):
        list(Everything.objects.annotate(x=Trunc("clock", "day")))
