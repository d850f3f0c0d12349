"""The library's pages: generic views over the models, and one async view."""

from __future__ import annotations

from typing import Any

from manouche.contrib.contenttypes.models import ContentType
from manouche.db.models import Avg, Count, QuerySet, Sum
from manouche.http import HttpRequest, JsonResponse
from manouche.urls import reverse_lazy
from manouche.views.generic import (
    CreateView,
    DeleteView,
    DetailView,
    ListView,
    UpdateView,
)

from .forms import BookForm
from .models import Author, Book

__all__ = [
    "AuthorDetailView",
    "BookCreateView",
    "BookDeleteView",
    "BookDetailView",
    "BookListView",
    "BookUpdateView",
    "stats",
]


class BookListView(ListView):
    """Books, five a page, filtered by ``?q=`` on the title or the author."""

    model = Book
    paginate_by = 5

    def get_queryset(self) -> QuerySet:
        books: QuerySet = Book.objects.select_related("author").prefetch_related("tags")
        query = self.request.GET.get("q", "").strip()
        if query:
            books = books.filter(title__icontains=query) | books.filter(
                author__name__icontains=query
            )
        return books

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)
        context["query"] = self.request.GET.get("q", "")
        return context


class BookDetailView(DetailView):
    """One book, with its author's other books."""

    queryset = Book.objects.select_related("author").prefetch_related("tags")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)
        book = context["book"]
        context["other_books"] = book.author.books.exclude(pk=book.pk)
        # For the permalink through the contenttypes "view on site" redirect.
        context["book_type"] = ContentType.objects.get_for_model(Book)
        return context


class BookCreateView(CreateView):
    """Add a book; invalid input comes back with the errors shown."""

    model = Book
    form_class = BookForm


class BookUpdateView(UpdateView):
    """Edit a book."""

    model = Book
    form_class = BookForm


class BookDeleteView(DeleteView):
    """Confirm, then delete a book."""

    model = Book
    success_url = reverse_lazy("library:book-list")


class AuthorDetailView(DetailView):
    """An author and their books, counted by the database."""

    queryset = Author.objects.annotate(book_count=Count("books"))


async def stats(request: HttpRequest) -> JsonResponse:
    """Aggregate the library with the async ORM, on the event loop."""
    totals = await Book.objects.aaggregate(
        books=Count("id"), pages=Sum("pages"), average_price=Avg("price")
    )
    authors = [
        {"name": author.name, "books": author.book_count}
        async for author in Author.objects.annotate(book_count=Count("books"))
    ]
    average = totals["average_price"]
    return JsonResponse(
        {
            "books": totals["books"],
            "pages": totals["pages"] or 0,
            "average_price": None if average is None else f"{average:.2f}",
            "authors": authors,
        }
    )
