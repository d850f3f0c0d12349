"""Generic class-based views: base, list, detail, editing and date views."""

from __future__ import annotations

from manouche.views.generic.base import RedirectView, TemplateView, View
from manouche.views.generic.dates import (
    ArchiveIndexView,
    DateDetailView,
    DayArchiveView,
    MonthArchiveView,
    TodayArchiveView,
    WeekArchiveView,
    YearArchiveView,
)
from manouche.views.generic.detail import DetailView
from manouche.views.generic.edit import CreateView, DeleteView, FormView, UpdateView
from manouche.views.generic.list import ListView

__all__ = [
    "ArchiveIndexView",
    "CreateView",
    "DateDetailView",
    "DayArchiveView",
    "DeleteView",
    "DetailView",
    "FormView",
    "GenericViewError",
    "ListView",
    "MonthArchiveView",
    "RedirectView",
    "TemplateView",
    "TodayArchiveView",
    "UpdateView",
    "View",
    "WeekArchiveView",
    "YearArchiveView",
]


class GenericViewError(Exception):
    """A problem in a generic view."""
