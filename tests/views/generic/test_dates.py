"""Date-based views over Book.published (DateField) and a DateTimeField."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from manouche.core.exceptions import ImproperlyConfigured
from manouche.http import Http404
from manouche.test.client import Client, RequestFactory
from manouche.test.utils import override_settings
from manouche.utils import timezone
from manouche.views.generic import (
    ArchiveIndexView,
    DateDetailView,
    DayArchiveView,
    MonthArchiveView,
    TodayArchiveView,
    WeekArchiveView,
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


def week_view(**kwargs: Any) -> Any:
    return WeekArchiveView.as_view(model=Book, date_field="published", **kwargs)


def test_week_archive_starts_on_sunday_and_links_to_weeks_with_books() -> None:
    make_books(D(2006, 5, 1), D(2008, 10, 1), D(2008, 9, 27))
    response = Client().get("/archive/2008/week/39/")
    assert response.status_code == 200
    assert response.content == b"week 2008-09-28:b1;"
    assert [t.name for t in response.templates] == ["modelapp/book_archive_week.html"]
    ctx = response.context
    assert ctx["week"] == D(2008, 9, 28)
    assert ctx["date_list"] is None
    assert ctx["next_week"] is None
    assert ctx["previous_week"] == D(2008, 9, 21)
    assert context(week_view(), year="2008", week="38")["previous_week"] == D(
        2006, 4, 30
    )
    assert Client().get("/archive/2008/week/12/").status_code == 404


@pytest.mark.parametrize(
    ("formats", "week", "start"),
    [
        ({"week_format": "%W"}, "39", D(2008, 9, 29)),
        ({"week_format": "%V", "year_format": "%G"}, "40", D(2008, 9, 29)),
        # ISO week 1 of 2009 starts in 2008.
        ({"week_format": "%V", "year_format": "%G"}, "1", D(2008, 12, 29)),
    ],
)
def test_week_archive_monday_and_iso_formats(
    formats: dict[str, str], week: str, start: datetime.date
) -> None:
    make_books(D(2008, 10, 1), D(2008, 12, 31))
    year = "2009" if week == "1" else "2008"
    ctx = context(week_view(**formats), year=year, week=week)
    assert ctx["week"] == start
    assert len(ctx["object_list"]) == 1


def test_week_archive_rejects_unknown_and_mismatched_formats() -> None:
    with pytest.raises(ValueError, match="^Unknown week format '%T'. ") as excinfo:
        context(week_view(week_format="%T"), year="2008", week="39")
    assert str(excinfo.value).endswith("Choices are: %U, %V, %W")
    with pytest.raises(ValueError) as excinfo:
        context(week_view(week_format="%V"), year="2008", week="40")
    assert str(excinfo.value) == (
        "ISO week directive '%V' is incompatible with the year directive '%Y'. "
        "Use the ISO year '%G' instead."
    )


def test_week_archive_missing_bad_or_out_of_range_week_is_404() -> None:
    with pytest.raises(Http404, match="^No week specified$"):
        context(week_view(), year="2008")
    with pytest.raises(Http404, match="Invalid date string"):
        context(week_view(), year="2008", week="no_week")
    with pytest.raises(Http404, match="^Date out of range$"):
        context(week_view(allow_empty=True), year="9999", week="52")


def test_week_archive_allow_empty_links_to_adjacent_weeks_up_to_today() -> None:
    ctx = context(week_view(allow_empty=True), year="2008", week="12")
    assert list(ctx["object_list"]) == []
    assert ctx["week"] == D(2008, 3, 23)
    assert ctx["next_week"] == D(2008, 3, 30)
    assert ctx["previous_week"] == D(2008, 3, 16)
    today = timezone.localdate()
    ctx = context(
        week_view(allow_empty=True),
        year=today.strftime("%Y"),
        week=today.strftime("%U"),
    )
    assert ctx["next_week"] is None


def test_week_archive_future_needs_allow_future() -> None:
    future = D(timezone.localdate().year + 1, 1, 7)
    future_sunday = future - datetime.timedelta(days=(future.weekday() + 1) % 7)
    make_books(D(2008, 10, 1), future)
    with pytest.raises(Http404):
        context(week_view(), year=str(future.year), week="1")
    ctx = context(week_view(allow_future=True), year=str(future.year), week="1")
    assert [b.title for b in ctx["object_list"]] == ["b1"]
    assert ctx["week"] == future_sunday
    assert ctx["next_week"] is None
    assert ctx["previous_week"] == D(2008, 9, 28)
    current = context(week_view(allow_future=True), year="2008", week="39")
    assert current["next_week"] == future_sunday
    assert context(week_view(), year="2008", week="39")["next_week"] is None


def test_week_archive_over_an_aware_datetime_field() -> None:
    utc = datetime.UTC
    # 22:30 UTC on Saturday 5 April is already Sunday (week 14) in Nairobi.
    Everything.objects.create(when=datetime.datetime(2008, 4, 5, 22, 30, tzinfo=utc))
    view = WeekArchiveView.as_view(
        model=Everything, date_field="when", template_name="x.html"
    )
    with override_settings(USE_TZ=True, TIME_ZONE="Africa/Nairobi"):
        with pytest.raises(Http404):
            context(view, year="2008", week="13")
        ctx = context(view, year="2008", week="14")
        assert len(ctx["object_list"]) == 1
        assert ctx["previous_week"] is None


def test_date_detail_by_pk_with_the_detail_template() -> None:
    (book,) = make_books(D(2008, 10, 1))
    response = Client().get(f"/archive/2008/10/1/{book.pk}/")
    assert response.status_code == 200
    assert response.content == f"book b0 ({book.pk})".encode()
    assert [t.name for t in response.templates] == ["modelapp/book_detail.html"]
    assert response.context["object"] == book
    # The right object on the wrong day is not found.
    assert Client().get(f"/archive/2008/10/2/{book.pk}/").status_code == 404
    assert Client().get(f"/archive/2008/13/1/{book.pk}/").status_code == 404


def test_date_detail_by_slug_with_default_formats() -> None:
    thing = Everything.objects.create(slug="dreaming", day=D(2006, 5, 1))
    view = DateDetailView.as_view(
        model=Everything, date_field="day", template_name="x.html"
    )
    request = RequestFactory().get("/")
    response = view(request, year="2006", month="may", day="01", slug="dreaming")
    assert response.context_data["everything"] == thing
    with pytest.raises(AttributeError) as excinfo:
        view(request, year="2006", month="may", day="01")
    assert str(excinfo.value) == (
        "Generic detail view DateDetailView must be called with either an "
        "object pk or a slug in the URLconf."
    )


def test_date_detail_future_needs_allow_future() -> None:
    future = timezone.localdate() + datetime.timedelta(days=60)
    (book,) = make_books(future)
    parts = {
        "year": str(future.year),
        "month": str(future.month),
        "day": str(future.day),
        "pk": book.pk,
    }
    view = DateDetailView.as_view(model=Book, date_field="published", month_format="%m")
    with pytest.raises(Http404) as excinfo:
        view(RequestFactory().get("/"), **parts)
    assert str(excinfo.value) == (
        "Future books not available because DateDetailView.allow_future is False."
    )
    lenient = DateDetailView.as_view(
        model=Book, date_field="published", month_format="%m", allow_future=True
    )
    assert lenient(RequestFactory().get("/"), **parts).context_data["book"] == book


def test_date_detail_get_object_keeps_a_custom_queryset() -> None:
    first, second = make_books(D(2006, 5, 1), D(2008, 10, 1))

    class OnlyFirst(DateDetailView):
        model = Book
        date_field = "published"
        template_name = "x.html"

        def get_object(self, queryset: Any = None) -> Any:
            return super().get_object(queryset=Book.objects.filter(pk=first.pk))

    view = OnlyFirst.as_view()
    request = RequestFactory().get("/")
    ctx = view(request, year="2006", month="may", day="1", pk=first.pk).context_data
    assert ctx["object"] == first
    with pytest.raises(Http404):
        view(request, year="2008", month="oct", day="1", pk=second.pk)


def test_date_detail_over_an_aware_datetime_field() -> None:
    utc = datetime.UTC
    thing = Everything.objects.create(
        when=datetime.datetime(2008, 4, 1, 22, 0, tzinfo=utc)
    )
    view = DateDetailView.as_view(
        model=Everything, date_field="when", template_name="x.html"
    )
    parts = {"year": "2008", "month": "apr", "pk": thing.pk}
    with override_settings(USE_TZ=True, TIME_ZONE="Africa/Nairobi"):
        # 22:00 UTC on 1 April is 01:00 on 2 April in Nairobi.
        assert view(RequestFactory().get("/"), day="2", **parts).status_code == 200
        with pytest.raises(Http404):
            view(RequestFactory().get("/"), day="1", **parts)
