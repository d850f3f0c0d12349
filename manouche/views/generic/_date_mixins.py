"""The mixins of the date views: date parts from the URL, periods, date field.

Each ``<Part>Mixin`` reads its part (year, month, week, day) from the view's
attribute, the URL kwargs or the query string, and steps to the adjacent
period; ``DateMixin`` filters on ``date_field``. The views themselves live in
``manouche.views.generic.dates``, which re-exports these names.
"""

from __future__ import annotations

import datetime
from typing import Any

from manouche.conf import settings
from manouche.core.exceptions import ImproperlyConfigured
from manouche.http import Http404
from manouche.utils import timezone
from manouche.utils.functional import cached_property
from manouche.utils.translation import gettext as _

__all__ = [
    "DateMixin",
    "DayMixin",
    "MonthMixin",
    "WeekMixin",
    "YearMixin",
    "date_from_string",
]


def _url_part(view: Any, name: str) -> Any:
    """Return a date part from the attribute, URL kwargs or query string."""
    value = getattr(view, name)
    if value is None:
        value = view.kwargs.get(name)
    if value is None:
        value = view.request.GET.get(name)
    return value


class YearMixin:
    """Read the year from the URL and step between years."""

    year_format = "%Y"
    year: str | None = None

    def get_year_format(self) -> str:
        """Return the strptime format of the year."""
        return self.year_format

    def get_year(self) -> Any:
        """Return the requested year, or raise Http404."""
        year = _url_part(self, "year")
        if year is None:
            raise Http404(_("No year specified"))
        return year

    def get_next_year(self, date: datetime.date) -> datetime.date | None:
        """Return the first day of the next valid year, or None."""
        return _get_next_prev(self, date, is_previous=False, period="year")

    def get_previous_year(self, date: datetime.date) -> datetime.date | None:
        """Return the first day of the previous valid year, or None."""
        return _get_next_prev(self, date, is_previous=True, period="year")

    def _get_next_year(self, date: datetime.date) -> datetime.date:
        try:
            return date.replace(year=date.year + 1, month=1, day=1)
        except ValueError:
            raise Http404(_("Date out of range")) from None

    def _get_current_year(self, date: datetime.date) -> datetime.date:
        return date.replace(month=1, day=1)


class MonthMixin:
    """Read the month from the URL and step between months."""

    month_format = "%b"
    month: str | None = None

    def get_month_format(self) -> str:
        """Return the strptime format of the month."""
        return self.month_format

    def get_month(self) -> Any:
        """Return the requested month, or raise Http404."""
        month = _url_part(self, "month")
        if month is None:
            raise Http404(_("No month specified"))
        return month

    def get_next_month(self, date: datetime.date) -> datetime.date | None:
        """Return the first day of the next valid month, or None."""
        return _get_next_prev(self, date, is_previous=False, period="month")

    def get_previous_month(self, date: datetime.date) -> datetime.date | None:
        """Return the first day of the previous valid month, or None."""
        return _get_next_prev(self, date, is_previous=True, period="month")

    def _get_next_month(self, date: datetime.date) -> datetime.date:
        try:
            if date.month == 12:
                return date.replace(year=date.year + 1, month=1, day=1)
            return date.replace(month=date.month + 1, day=1)
        except ValueError:
            raise Http404(_("Date out of range")) from None

    def _get_current_month(self, date: datetime.date) -> datetime.date:
        return date.replace(day=1)


class WeekMixin:
    """Read the week from the URL and step between weeks.

    ``week_format`` is ``%U`` (weeks start on Sunday), ``%W`` or ``%V``
    (weeks start on Monday; ``%V`` is the ISO week and needs ``%G`` years).
    """

    week_format = "%U"
    week: str | None = None

    def get_week_format(self) -> str:
        """Return the strptime format of the week number."""
        return self.week_format

    def get_week(self) -> Any:
        """Return the requested week number, or raise Http404."""
        week = _url_part(self, "week")
        if week is None:
            raise Http404(_("No week specified"))
        return week

    def get_next_week(self, date: datetime.date) -> datetime.date | None:
        """Return the first day of the next valid week, or None."""
        return _get_next_prev(self, date, is_previous=False, period="week")

    def get_previous_week(self, date: datetime.date) -> datetime.date | None:
        """Return the first day of the previous valid week, or None."""
        return _get_next_prev(self, date, is_previous=True, period="week")

    def _get_weekday(self, date: datetime.date) -> int:
        """Return how many days ``date`` lies after the start of its week."""
        if self.get_week_format() == "%U":
            return (date.weekday() + 1) % 7  # Weeks start on Sunday.
        return date.weekday()

    def _get_next_week(self, date: datetime.date) -> datetime.date:
        try:
            return date + datetime.timedelta(days=7 - self._get_weekday(date))
        except OverflowError:
            raise Http404(_("Date out of range")) from None

    def _get_current_week(self, date: datetime.date) -> datetime.date:
        return date - datetime.timedelta(days=self._get_weekday(date))


class DayMixin:
    """Read the day from the URL and step between days."""

    day_format = "%d"
    day: str | None = None

    def get_day_format(self) -> str:
        """Return the strptime format of the day."""
        return self.day_format

    def get_day(self) -> Any:
        """Return the requested day, or raise Http404."""
        day = _url_part(self, "day")
        if day is None:
            raise Http404(_("No day specified"))
        return day

    def get_next_day(self, date: datetime.date) -> datetime.date | None:
        """Return the next valid day, or None."""
        return _get_next_prev(self, date, is_previous=False, period="day")

    def get_previous_day(self, date: datetime.date) -> datetime.date | None:
        """Return the previous valid day, or None."""
        return _get_next_prev(self, date, is_previous=True, period="day")

    def _get_next_day(self, date: datetime.date) -> datetime.date:
        try:
            return date + datetime.timedelta(days=1)
        except OverflowError:
            raise Http404(_("Date out of range")) from None

    def _get_current_day(self, date: datetime.date) -> datetime.date:
        return date


class DateMixin:
    """Filter on ``date_field``, hiding future objects unless allowed."""

    date_field: str | None = None
    allow_future = False
    model: Any
    queryset: Any

    def get_date_field(self) -> str:
        """Return the name of the date field, or raise ImproperlyConfigured."""
        if self.date_field is None:
            raise ImproperlyConfigured(
                f"{self.__class__.__name__}.date_field is required."
            )
        return self.date_field

    def get_allow_future(self) -> bool:
        """Tell whether objects dated in the future are shown."""
        return self.allow_future

    @cached_property
    def uses_datetime_field(self) -> bool:
        """Tell whether ``date_field`` is a DateTimeField (not a DateField)."""
        from manouche.db.models import DateTimeField

        model = self.get_queryset().model if self.model is None else self.model  # type: ignore[attr-defined]
        field = model._meta.get_field(self.get_date_field())
        return isinstance(field, DateTimeField)

    def _make_date_lookup_arg(self, value: datetime.date) -> Any:
        """Turn a date into a lookup value for ``date_field``."""
        if self.uses_datetime_field:
            moment = datetime.datetime.combine(value, datetime.time.min)
            if settings.USE_TZ:
                moment = timezone.make_aware(moment)
            return moment
        return value

    def _make_single_date_lookup(self, date: datetime.date) -> dict[str, Any]:
        """Return the filter for objects dated on ``date``."""
        field = self.get_date_field()
        if self.uses_datetime_field:
            return {
                f"{field}__gte": self._make_date_lookup_arg(date),
                f"{field}__lt": self._make_date_lookup_arg(
                    date + datetime.timedelta(days=1)
                ),
            }
        return {field: date}

    def _now(self) -> Any:
        if self.uses_datetime_field:
            return timezone.now()
        return timezone.localdate() if settings.USE_TZ else datetime.date.today()


def _get_next_prev(
    view: Any, date: datetime.date, *, is_previous: bool, period: str
) -> datetime.date | None:
    """Return the start of the next/previous period worth linking to.

    With ``allow_empty`` any adjacent period counts; without it, the nearest
    period that holds an object. Future periods need ``allow_future``.
    """
    date_field = view.get_date_field()
    get_current = getattr(view, f"_get_current_{period}")
    start = get_current(date)
    end = getattr(view, f"_get_next_{period}")(start)
    if view.get_allow_empty():
        result = get_current(start - datetime.timedelta(days=1)) if is_previous else end
        today = timezone.localdate() if settings.USE_TZ else datetime.date.today()
        if view.get_allow_future() or result <= today:
            return result  # type: ignore[no-any-return]
        return None
    if is_previous:
        lookup = {f"{date_field}__lt": view._make_date_lookup_arg(start)}
        ordering = f"-{date_field}"
    else:
        lookup = {f"{date_field}__gte": view._make_date_lookup_arg(end)}
        ordering = date_field
    if not view.get_allow_future():
        lookup[f"{date_field}__lte"] = view._now()
    found = list(view.get_queryset().filter(**lookup).order_by(ordering)[:1])
    if not found:
        return None
    result = getattr(found[0], date_field)
    if view.uses_datetime_field:
        if settings.USE_TZ:
            result = timezone.localtime(result)
        result = result.date()
    return get_current(result)  # type: ignore[no-any-return]


def date_from_string(
    year: Any,
    year_format: str,
    month: Any = "",
    month_format: str = "",
    day: Any = "",
    day_format: str = "",
    delim: str = "__",
) -> datetime.date:
    """Parse the URL's date parts, answering 404 when they do not parse."""
    date_format = delim.join((year_format, month_format, day_format))
    date_string = delim.join((str(year), str(month), str(day)))
    try:
        return datetime.datetime.strptime(date_string, date_format).date()
    except ValueError:
        raise Http404(
            _("Invalid date string “%(datestr)s” given format “%(format)s”")
            % {"datestr": date_string, "format": date_format}
        ) from None
