"""Date-based views: archive index, year, month, week, day, today and detail.

The views filter with half-open ``[since, until)`` ranges on ``date_field``
so the same code serves DateField and (time-zone aware) DateTimeField. The
mixins that read the date parts from the URL live in ``_date_mixins`` and are
re-exported here.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from manouche.conf import settings
from manouche.http import Http404
from manouche.utils import timezone
from manouche.utils.translation import gettext as _
from manouche.views.generic._date_mixins import (
    DateMixin,
    DayMixin,
    MonthMixin,
    WeekMixin,
    YearMixin,
    date_from_string,
)
from manouche.views.generic.base import View
from manouche.views.generic.detail import (
    BaseDetailView,
    SingleObjectTemplateResponseMixin,
)
from manouche.views.generic.list import (
    MultipleObjectMixin,
    MultipleObjectTemplateResponseMixin,
)

if TYPE_CHECKING:
    from manouche.http import HttpRequest, HttpResponseBase

__all__ = [
    "ArchiveIndexView",
    "BaseArchiveIndexView",
    "BaseDateDetailView",
    "BaseDateListView",
    "BaseDayArchiveView",
    "BaseMonthArchiveView",
    "BaseTodayArchiveView",
    "BaseWeekArchiveView",
    "BaseYearArchiveView",
    "DateDetailView",
    "DateMixin",
    "DayArchiveView",
    "DayMixin",
    "MonthArchiveView",
    "MonthMixin",
    "TodayArchiveView",
    "WeekArchiveView",
    "WeekMixin",
    "YearArchiveView",
    "YearMixin",
]


class BaseDateListView(MultipleObjectMixin, DateMixin, View):
    """List objects by date, with ``date_list`` of the periods that hold some."""

    allow_empty = False
    date_list_period = "year"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        """Render the dated items with their date list."""
        self.date_list, self.object_list, extra_context = self.get_dated_items()
        context = self.get_context_data(
            object_list=self.object_list, date_list=self.date_list, **extra_context
        )
        # render_to_response() comes from a template mixin, as in the views.
        return self.render_to_response(context)  # type: ignore[attr-defined,no-any-return]

    def get_dated_items(self) -> tuple[Any, Any, dict[str, Any]]:
        """Return (date_list, object_list, extra_context)."""
        raise NotImplementedError(
            "A DateView must provide an implementation of get_dated_items()"
        )

    def get_ordering(self) -> Any:
        """Order newest first by ``date_field`` unless ``ordering`` is set."""
        if self.ordering is None:
            return f"-{self.get_date_field()}"
        return self.ordering

    def get_dated_queryset(self, **lookup: Any) -> Any:
        """Return the queryset filtered by ``lookup``, hiding the future."""
        queryset = self.get_queryset().filter(**lookup)
        if not self.get_allow_future():
            queryset = queryset.filter(**{f"{self.get_date_field()}__lte": self._now()})
        if not self.get_allow_empty():
            if self.get_paginate_by(queryset) is None:
                is_empty = not queryset
            else:
                is_empty = not queryset.exists()
            if is_empty:
                raise Http404(
                    _("No %(verbose_name_plural)s available")
                    % {"verbose_name_plural": queryset.model._meta.verbose_name_plural}
                )
        return queryset

    def get_date_list_period(self) -> str:
        """Return the period of ``date_list``: year, month or day."""
        return self.date_list_period

    def get_date_list(
        self, queryset: Any, date_type: str | None = None, ordering: str = "ASC"
    ) -> Any:
        """Return the distinct periods (as dates) that hold objects."""
        date_field = self.get_date_field()
        if date_type is None:
            date_type = self.get_date_list_period()
        if self.uses_datetime_field:
            date_list = queryset.datetimes(date_field, date_type, ordering)
        else:
            date_list = queryset.dates(date_field, date_type, ordering)
        if date_list is not None and not date_list and not self.get_allow_empty():
            raise Http404(
                _("No %(verbose_name_plural)s available")
                % {"verbose_name_plural": queryset.model._meta.verbose_name_plural}
            )
        return date_list


class BaseArchiveIndexView(BaseDateListView):
    """The latest objects, newest first."""

    context_object_name = "latest"

    def get_dated_items(self) -> tuple[Any, Any, dict[str, Any]]:
        """Return the years that hold objects and the objects themselves."""
        queryset = self.get_dated_queryset()
        date_list = self.get_date_list(queryset, ordering="DESC")
        if not date_list:
            queryset = queryset.none()
        return (date_list, queryset, {})


class ArchiveIndexView(MultipleObjectTemplateResponseMixin, BaseArchiveIndexView):
    """Render the latest objects with ``<app>/<model>_archive.html``."""

    template_name_suffix = "_archive"


class BaseYearArchiveView(YearMixin, BaseDateListView):
    """The months of one year that hold objects (and the objects on demand)."""

    date_list_period = "month"
    make_object_list = False

    def get_dated_items(self) -> tuple[Any, Any, dict[str, Any]]:
        """Return the year's months and, if ``make_object_list``, its objects."""
        date = date_from_string(self.get_year(), self.get_year_format())
        field = self.get_date_field()
        queryset = self.get_dated_queryset(
            **{
                f"{field}__gte": self._make_date_lookup_arg(date),
                f"{field}__lt": self._make_date_lookup_arg(self._get_next_year(date)),
            }
        )
        date_list = self.get_date_list(queryset)
        if not self.get_make_object_list():
            # Only the month list is wanted: skip fetching the objects.
            queryset = queryset.none()
        return (
            date_list,
            queryset,
            {
                "year": date,
                "next_year": self.get_next_year(date),
                "previous_year": self.get_previous_year(date),
            },
        )

    def get_make_object_list(self) -> bool:
        """Tell whether the year's objects are listed too."""
        return self.make_object_list


class YearArchiveView(MultipleObjectTemplateResponseMixin, BaseYearArchiveView):
    """Render one year with ``<app>/<model>_archive_year.html``."""

    template_name_suffix = "_archive_year"


class BaseMonthArchiveView(YearMixin, MonthMixin, BaseDateListView):
    """The objects of one month, with the days that hold some."""

    date_list_period = "day"

    def get_dated_items(self) -> tuple[Any, Any, dict[str, Any]]:
        """Return the month's days and objects."""
        date = date_from_string(
            self.get_year(),
            self.get_year_format(),
            self.get_month(),
            self.get_month_format(),
        )
        field = self.get_date_field()
        queryset = self.get_dated_queryset(
            **{
                f"{field}__gte": self._make_date_lookup_arg(date),
                f"{field}__lt": self._make_date_lookup_arg(self._get_next_month(date)),
            }
        )
        return (
            self.get_date_list(queryset),
            queryset,
            {
                "month": date,
                "next_month": self.get_next_month(date),
                "previous_month": self.get_previous_month(date),
            },
        )


class MonthArchiveView(MultipleObjectTemplateResponseMixin, BaseMonthArchiveView):
    """Render one month with ``<app>/<model>_archive_month.html``."""

    template_name_suffix = "_archive_month"


# strptime needs a weekday to turn a week number into a date: take the first
# day of the week, Sunday ("0") for %U weeks and Monday ("1") for the others.
_WEEK_START_DAY = {"%U": "0", "%V": "1", "%W": "1"}


class BaseWeekArchiveView(YearMixin, WeekMixin, BaseDateListView):
    """The objects of one week."""

    def get_dated_items(self) -> tuple[Any, Any, dict[str, Any]]:
        """Return the week's objects; ``week`` is the week's first day."""
        week_format = self.get_week_format()
        year_format = self.get_year_format()
        if week_format not in _WEEK_START_DAY:
            raise ValueError(
                f"Unknown week format {week_format!r}. Choices are: "
                + ", ".join(sorted(_WEEK_START_DAY))
            )
        if week_format == "%V" and year_format != "%G":
            # The ISO week belongs to the ISO year, which may differ near
            # New Year: strptime refuses %V with %Y, so say how to fix it.
            raise ValueError(
                f"ISO week directive {week_format!r} is incompatible with the "
                f"year directive {year_format!r}. Use the ISO year '%G' instead."
            )
        date = date_from_string(
            self.get_year(),
            year_format,
            _WEEK_START_DAY[week_format],
            "%w",
            self.get_week(),
            week_format,
        )
        field = self.get_date_field()
        queryset = self.get_dated_queryset(
            **{
                f"{field}__gte": self._make_date_lookup_arg(date),
                f"{field}__lt": self._make_date_lookup_arg(self._get_next_week(date)),
            }
        )
        return (
            None,
            queryset,
            {
                "week": date,
                "next_week": self.get_next_week(date),
                "previous_week": self.get_previous_week(date),
            },
        )


class WeekArchiveView(MultipleObjectTemplateResponseMixin, BaseWeekArchiveView):
    """Render one week with ``<app>/<model>_archive_week.html``."""

    template_name_suffix = "_archive_week"


def _day_in_url(view: Any) -> datetime.date:
    """The day a day-archive or date-detail URL names, from its year/month/day."""
    return date_from_string(
        view.get_year(),
        view.get_year_format(),
        view.get_month(),
        view.get_month_format(),
        view.get_day(),
        view.get_day_format(),
    )


class BaseDayArchiveView(YearMixin, MonthMixin, DayMixin, BaseDateListView):
    """The objects of one day."""

    def get_dated_items(self) -> tuple[Any, Any, dict[str, Any]]:
        """Return the objects of the requested day."""
        date = _day_in_url(self)
        return self._get_dated_items(date)

    def _get_dated_items(self, date: datetime.date) -> tuple[Any, Any, dict[str, Any]]:
        queryset = self.get_dated_queryset(**self._make_single_date_lookup(date))
        return (
            None,
            queryset,
            {
                "day": date,
                "previous_day": self.get_previous_day(date),
                "next_day": self.get_next_day(date),
                "previous_month": self.get_previous_month(date),
                "next_month": self.get_next_month(date),
            },
        )


class DayArchiveView(MultipleObjectTemplateResponseMixin, BaseDayArchiveView):
    """Render one day with ``<app>/<model>_archive_day.html``."""

    template_name_suffix = "_archive_day"


class BaseTodayArchiveView(BaseDayArchiveView):
    """The objects of today."""

    def get_dated_items(self) -> tuple[Any, Any, dict[str, Any]]:
        """Return today's objects."""
        today = timezone.localdate() if settings.USE_TZ else datetime.date.today()
        return self._get_dated_items(today)


class TodayArchiveView(MultipleObjectTemplateResponseMixin, BaseTodayArchiveView):
    """Render today with ``<app>/<model>_archive_day.html``."""

    template_name_suffix = "_archive_day"


class BaseDateDetailView(YearMixin, MonthMixin, DayMixin, DateMixin, BaseDetailView):
    """One object found by its date in the URL plus its ``pk`` or ``slug``."""

    def get_object(self, queryset: Any = None) -> Any:
        """Return the object dated on the URL's day, or raise Http404."""
        date = _day_in_url(self)
        if queryset is None:
            queryset = self.get_queryset()
        today = timezone.localdate() if settings.USE_TZ else datetime.date.today()
        if not self.get_allow_future() and date > today:
            raise Http404(
                _(
                    "Future %(verbose_name_plural)s not available because "
                    "%(class_name)s.allow_future is False."
                )
                % {
                    "verbose_name_plural": queryset.model._meta.verbose_name_plural,
                    "class_name": self.__class__.__name__,
                }
            )
        queryset = queryset.filter(**self._make_single_date_lookup(date))
        return super().get_object(queryset=queryset)


class DateDetailView(SingleObjectTemplateResponseMixin, BaseDateDetailView):
    """Render one dated object with ``<app>/<model>_detail.html``."""

    template_name_suffix = "_detail"
