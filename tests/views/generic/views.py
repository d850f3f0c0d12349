"""Generic views over the modelapp models, served by tests/views/generic/urls.py."""

from __future__ import annotations

from typing import Any

from manouche import forms
from manouche.urls import reverse_lazy
from manouche.views.generic import (
    CreateView,
    DeleteView,
    DetailView,
    FormView,
    ListView,
    UpdateView,
)
from tests.db.models.modelapp.models import Author, Book, Tag


class AuthorList(ListView):
    model = Author


class PagedAuthorList(ListView):
    model = Author
    paginate_by = 2
    paginate_orphans = 0


class StrictEmptyList(ListView):
    model = Author
    allow_empty = False
    paginate_by = 2


class NamedBookList(ListView):
    queryset = Book.objects.all()
    ordering = "-pages"
    context_object_name = "books"
    template_name = "books.html"


class PlainList(ListView):
    template_name = "plain_list.html"
    paginate_by = 2

    def get_queryset(self) -> Any:
        return ["a", "b", "c"]


class AuthorDetail(DetailView):
    model = Author


class TagDetail(DetailView):
    model = Tag
    slug_field = "name"


class TagByPkAndSlug(DetailView):
    queryset = Tag.objects.all()
    slug_field = "name"
    query_pk_and_slug = True
    context_object_name = "thing"


class ContactForm(forms.Form):
    name = forms.CharField(max_length=10)
    message = forms.CharField(required=False)


class Contact(FormView):
    form_class = ContactForm
    template_name = "contact.html"
    success_url = reverse_lazy("contact-done")
    initial = {"message": "hello"}


class AuthorCreate(CreateView):
    model = Author
    fields = ["name", "age"]
    success_url = "/authors/{id}/"


class AuthorUpdate(UpdateView):
    model = Author
    fields = ["name", "age"]
    success_url = "/authors/{id}/done/"


class AuthorDelete(DeleteView):
    model = Author
    success_url = reverse_lazy("author-list")


class BookCreate(CreateView):
    model = Book
    fields = "__all__"
    success_url = "/books/{title}/"
