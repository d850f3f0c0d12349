"""Date-based archive views over Book.published (DateField) and a DateTimeField."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from manouche.core.exceptions import ImproperlyConfigured
from manouche.http import Http404
from manouche.test.client import Client, RequestFactory
from manouche.utils import timezone
from manouche.views.generic import (
    ArchiveIndexView,
    DayArchiveView,
    MonthArchiveView,
    TodayArchiveView,
    YearArchiveView,
)
from tests.db.models.modelapp.models import Author, Book, Everything

pytestmark = [
    pytest.mark.parametrize("database", ["sqlite"], indirect=True),
    pytest.mark.usefixtures("generic_app"),
]

D = datetime.date


def make_books(*dates: datetime.date | None) -> list[Book]:
    author = Author.objects.create(name="Ann")
    return [
        Book.objects.create(title=f"b{i}", author=author, published=day)
        for i, day in enumerate(dates)
    ]


def context(view: Any, **kwargs: Any) -> Any:
    return view(RequestFactory().get("/"), **kwargs).context_data


def test_archive_index_lists_newest_first_without_the_future() -> None:
    future = timezone.localdate() + datetime.timedelta(days=30)
    make_books(D(2020, 3, 1), D(2021, 5, 2), future, None)
    response = Client().get("/archive/")
    assert response.status_code == 200
    assert response.content == b"latest:b1;b0;"
    assert [b.title for b in response.context["latest"]] == ["b1", "b0"]
    assert list(response.context["date_list"]) == [D(2021, 1, 1), D(2020, 1, 1)]
    view = ArchiveIndexView.as_view(model=Book, date_field="published")
    with_future = ArchiveIndexView.as_view(
        model=Book, date_field="published", allow_future=True
    )
    assert len(context(view)["latest"]) == 2
    # allow_future drops the only filter: undated rows show too, as in Django.
    assert len(context(with_future)["latest"]) == 4


def test_archive_index_empty_is_404_unless_allowed() -> None:
    assert Client().get("/archive/").status_code == 404
    view = ArchiveIndexView.as_view(model=Book, date_field="published")
    with pytest.raises(Http404) as excinfo:
        view(RequestFactory().get("/"))
    assert str(excinfo.value) == "No books available"
    lenient = ArchiveIndexView.as_view(
        model=Book, date_field="published", allow_empty=True
    )
    assert list(context(lenient)["latest"]) == []


def test_date_field_is_required() -> None:
    with pytest.raises(ImproperlyConfigured) as excinfo:
        ArchiveIndexView.as_view(model=Book)(RequestFactory().get("/"))
    assert str(excinfo.value) == "ArchiveIndexView.date_field is required."


def test_year_archive_lists_months_and_objects() -> None:
    make_books(D(2019, 7, 1), D(2020, 3, 1), D(2020, 3, 9), D(2020, 11, 2))
    response = Client().get("/archive/2020/")
    assert response.status_code == 200
    assert response.content == b"year 2020:b3;b2;b1;"
    ctx = response.context
    assert list(ctx["date_list"]) == [D(2020, 3, 1), D(2020, 11, 1)]
    assert ctx["year"] == D(2020, 1, 1)
    assert ctx["previous_year"] == D(2019, 1, 1)
    assert ctx["next_year"] is None
    assert Client().get("/archive/2018/").status_code == 404


def test_year_archive_without_make_object_list_skips_objects() -> None:
    make_books(D(2020, 3, 1))
    view = YearArchiveView.as_view(model=Book, date_field="published")
    ctx = context(view, year="2020")
    assert list(ctx["object_list"]) == []
    assert list(ctx["date_list"]) == [D(2020, 3, 1)]


def test_year_archive_bad_or_missing_year_is_404() -> None:
    view = YearArchiveView.as_view(model=Book, date_field="published")
    with pytest.raises(Http404) as excinfo:
        view(RequestFactory().get("/"))
    assert str(excinfo.value) == "No year specified"
    with pytest.raises(Http404) as excinfo:
        view(RequestFactory().get("/"), year="20x0")
    assert str(excinfo.value) == (
        "Invalid date string “20x0____” given format “%Y____”"
    )
    # The year may come from the query string too.
    make_books(D(2020, 3, 1))
    response = view(RequestFactory().get("/", {"year": "2020"}))
    assert response.context_data["year"] == D(2020, 1, 1)


def test_month_archive() -> None:
    make_books(D(2020, 2, 5), D(2020, 3, 1), D(2020, 3, 9), D(2020, 5, 2))
    response = Client().get("/archive/2020/3/")
    assert response.content == b"month 2020-03:b2;b1;"
    ctx = response.context
    assert list(ctx["date_list"]) == [D(2020, 3, 1), D(2020, 3, 9)]
    assert ctx["previous_month"] == D(2020, 2, 1)
    assert ctx["next_month"] == D(2020, 5, 1)
    assert Client().get("/archive/2020/4/").status_code == 404
    assert Client().get("/archive/2020/13/").status_code == 404


def test_month_archive_default_format_and_december() -> None:
    make_books(D(2020, 12, 24))
    view = MonthArchiveView.as_view(model=Book, date_field="published")
    ctx = context(view, year="2020", month="dec")
    assert [b.title for b in ctx["object_list"]] == ["b0"]
    with pytest.raises(Http404, match="No month specified"):
        view(RequestFactory().get("/"), year="2020")


def test_day_archive() -> None:
    make_books(D(2020, 3, 1), D(2020, 3, 9), D(2020, 3, 9), D(2020, 4, 2))
    response = Client().get("/archive/2020/3/9/")
    assert response.content.startswith(b"day 2020-03-09:")
    ctx = response.context
    assert sorted(b.title for b in ctx["object_list"]) == ["b1", "b2"]
    assert ctx["previous_day"] == D(2020, 3, 1)
    assert ctx["next_day"] == D(2020, 4, 2)
    assert ctx["next_month"] == D(2020, 4, 1)
    assert ctx["previous_month"] is None
    assert Client().get("/archive/2020/3/10/").status_code == 404
    assert Client().get("/archive/2020/2/30/").status_code == 404


def test_adjacent_periods_with_allow_empty() -> None:
    make_books(D(2020, 3, 9))
    view = DayArchiveView.as_view(
        model=Book, date_field="published", month_format="%m", allow_empty=True
    )
    ctx = context(view, year="2020", month="3", day="9")
    assert ctx["previous_day"] == D(2020, 3, 8)
    assert ctx["next_day"] == D(2020, 3, 10)
    assert ctx["previous_month"] == D(2020, 2, 1)
    assert ctx["next_month"] == D(2020, 4, 1)
    today = timezone.localdate()
    ctx = context(
        view, year=str(today.year), month=str(today.month), day=str(today.day)
    )
    assert ctx["next_day"] is None


def test_today_archive() -> None:
    make_books(timezone.localdate(), D(2000, 1, 1))
    view = TodayArchiveView.as_view(
        model=Book, date_field="published", template_name="modelapp/book_list.html"
    )
    ctx = context(view)
    assert [b.title for b in ctx["object_list"]] == ["b0"]
    assert ctx["day"] == timezone.localdate()


def test_datetime_field_uses_aware_ranges() -> None:
    utc = datetime.UTC
    Everything.objects.create(when=datetime.datetime(2020, 3, 9, 23, 30, tzinfo=utc))
    Everything.objects.create(when=datetime.datetime(2020, 3, 10, 0, 30, tzinfo=utc))
    Everything.objects.create(when=datetime.datetime(2021, 1, 1, 0, 0, tzinfo=utc))
    day = DayArchiveView.as_view(
        model=Everything,
        date_field="when",
        month_format="%m",
        template_name="x.html",
    )
    ctx = context(day, year="2020", month="3", day="9")
    assert len(ctx["object_list"]) == 1
    assert ctx["next_day"] == D(2020, 3, 10)
    year = YearArchiveView.as_view(
        model=Everything, date_field="when", template_name="x.html"
    )
    ctx = context(year, year="2020")
    assert [d.month for d in ctx["date_list"]] == [3]
    assert ctx["next_year"] == D(2021, 1, 1)
