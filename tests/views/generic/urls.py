"""URLconf of the generic view tests."""

from __future__ import annotations

from manouche.http import HttpResponse
from manouche.urls import path
from manouche.views.generic import (
    ArchiveIndexView,
    DateDetailView,
    DayArchiveView,
    MonthArchiveView,
    WeekArchiveView,
    YearArchiveView,
)
from tests.db.models.modelapp.models import Book
from tests.views.generic import views

urlpatterns = [
    path("authors/", views.AuthorList.as_view(), name="author-list"),
    path("paged/", views.PagedAuthorList.as_view()),
    path("paged/page<int:page>/", views.PagedAuthorList.as_view()),
    path("strict/", views.StrictEmptyList.as_view()),
    path("books/", views.NamedBookList.as_view()),
    path("plain/", views.PlainList.as_view()),
    path("authors/<int:pk>/", views.AuthorDetail.as_view()),
    path("tags/<slug:slug>/", views.TagDetail.as_view()),
    path("tags/<int:pk>/<slug:slug>/", views.TagByPkAndSlug.as_view()),
    path("contact/", views.Contact.as_view()),
    path("contact/done/", lambda request: HttpResponse("done"), name="contact-done"),
    path("authors/new/", views.AuthorCreate.as_view()),
    path("authors/<int:pk>/edit/", views.AuthorUpdate.as_view()),
    path("authors/<int:pk>/delete/", views.AuthorDelete.as_view()),
    path("books/new/", views.BookCreate.as_view()),
    path("archive/", ArchiveIndexView.as_view(model=Book, date_field="published")),
    path(
        "archive/<int:year>/",
        YearArchiveView.as_view(
            model=Book, date_field="published", make_object_list=True
        ),
    ),
    path(
        "archive/<int:year>/<int:month>/",
        MonthArchiveView.as_view(model=Book, date_field="published", month_format="%m"),
    ),
    path(
        "archive/<int:year>/<int:month>/<int:day>/",
        DayArchiveView.as_view(model=Book, date_field="published", month_format="%m"),
    ),
    path(
        "archive/<int:year>/week/<int:week>/",
        WeekArchiveView.as_view(model=Book, date_field="published"),
    ),
    path(
        "archive/<int:year>/<int:month>/<int:day>/<int:pk>/",
        DateDetailView.as_view(model=Book, date_field="published", month_format="%m"),
    ),
]
