"""FormView, CreateView, UpdateView and DeleteView through the test client."""

from __future__ import annotations

from typing import Any

import pytest

from manouche import forms
from manouche.core.exceptions import ImproperlyConfigured
from manouche.http import Http404
from manouche.test.client import Client, RequestFactory
from manouche.views.generic import CreateView, DeleteView, FormView, UpdateView
from manouche.views.generic.edit import DeletionMixin, FormMixin, ModelFormMixin
from tests.db.models.modelapp.models import Author, Book
from tests.views.generic.views import AuthorDelete

pytestmark = [
    pytest.mark.parametrize("database", ["sqlite"], indirect=True),
    pytest.mark.usefixtures("generic_app"),
]


def test_form_view_get_renders_an_unbound_form_with_initial() -> None:
    response = Client().get("/contact/")
    assert response.status_code == 200
    form = response.context["form"]
    assert not form.is_bound
    assert form["message"].value() == "hello"


def test_form_view_invalid_post_re_renders_with_errors() -> None:
    response = Client().post("/contact/", {"name": "x" * 11, "message": "m"})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.is_bound
    assert form.errors == {
        "name": ["Ensure this value has at most 10 characters (it has 11)."]
    }
    assert b"at most 10 characters" in response.content


def test_form_view_valid_post_redirects_to_the_lazy_success_url() -> None:
    response = Client().post("/contact/", {"name": "Ann"})
    assert response.status_code == 302
    assert response["Location"] == "/contact/done/"


def test_form_mixin_initial_is_copied_and_success_url_required() -> None:
    view = FormView(form_class=forms.Form, template_name="contact.html")
    view.request = RequestFactory().get("/")
    view.get_initial()["x"] = 1
    assert FormMixin.initial == {}
    with pytest.raises(ImproperlyConfigured) as excinfo:
        view.get_success_url()
    assert str(excinfo.value) == "No URL to redirect to. Provide a success_url."


def test_form_kwargs_carry_data_on_post_and_put_only() -> None:
    view = FormView(form_class=forms.Form, prefix="p")
    view.request = RequestFactory().get("/")
    assert view.get_form_kwargs() == {"initial": {}, "prefix": "p"}
    view.request = RequestFactory().put("/")
    assert {"data", "files"} <= set(view.get_form_kwargs())


def test_create_view_get_and_template() -> None:
    response = Client().get("/authors/new/")
    assert response.status_code == 200
    assert response.context["view"].object is None
    assert list(response.context["form"].fields) == ["name", "age"]
    assert response.templates[0].name == "modelapp/author_form.html"


def test_create_view_invalid_post_re_renders_with_errors() -> None:
    response = Client().post("/authors/new/", {"name": "", "age": "old"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["name"] == ["This field is required."]
    assert errors["age"] == ["Enter a whole number."]
    assert b"This field is required." in response.content
    assert Author.objects.count() == 0


def test_create_view_saves_and_formats_success_url() -> None:
    response = Client().post("/authors/new/", {"name": "Ann", "age": "30"})
    ann = Author.objects.get()
    assert (ann.name, ann.age) == ("Ann", 30)
    assert response.status_code == 302
    assert response["Location"] == f"/authors/{ann.pk}/"


def test_create_view_with_all_fields_and_a_foreign_key() -> None:
    ann = Author.objects.create(name="Ann")
    response = Client().get("/books/new/")
    assert "author" in response.context["form"].fields
    bad = Client().post("/books/new/", {"title": "T", "author": "999"})
    assert bad.status_code == 200
    assert bad.context["form"].has_error("author", "invalid_choice")
    data = {
        "title": "Tale",
        "author": str(ann.pk),
        "pages": "12",
        "price": "1.50",
        "status": "d",
        "priority": "1",
    }
    response = Client().post("/books/new/", data)
    assert response.status_code == 302, response.context["form"].errors
    assert response["Location"] == "/books/Tale/"
    assert Book.objects.get().author == ann


def test_update_view_shows_and_saves_the_object() -> None:
    ann = Author.objects.create(name="Ann", age=3)
    response = Client().get(f"/authors/{ann.pk}/edit/")
    assert response.status_code == 200
    assert response.context["form"].instance == ann
    assert response.context["author"] == ann
    assert response.context["form"]["name"].value() == "Ann"
    response = Client().post(f"/authors/{ann.pk}/edit/", {"name": "Anna"})
    assert response.status_code == 302
    assert response["Location"] == f"/authors/{ann.pk}/done/"
    ann.refresh_from_db()
    assert (ann.name, ann.age) == ("Anna", None)


def test_update_view_invalid_post_keeps_the_object() -> None:
    ann = Author.objects.create(name="Ann")
    response = Client().post(f"/authors/{ann.pk}/edit/", {"name": "x" * 101})
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == [
        "Ensure this value has at most 100 characters (it has 101)."
    ]
    ann.refresh_from_db()
    assert ann.name == "Ann"


def test_update_view_missing_object_is_404() -> None:
    assert Client().get("/authors/77/edit/").status_code == 404
    assert Client().post("/authors/77/edit/", {"name": "x"}).status_code == 404


def test_delete_view_get_confirms_without_deleting() -> None:
    ann = Author.objects.create(name="Ann")
    response = Client().get(f"/authors/{ann.pk}/delete/")
    assert response.status_code == 200
    assert response.content == b"Delete Ann?"
    assert isinstance(response.context["form"], forms.Form)
    assert [t.name for t in response.templates] == [
        "modelapp/author_confirm_delete.html"
    ]
    assert Author.objects.filter(pk=ann.pk).exists()


def test_delete_view_post_deletes_and_redirects() -> None:
    ann = Author.objects.create(name="Ann")
    response = Client().post(f"/authors/{ann.pk}/delete/")
    assert response.status_code == 302
    assert response["Location"] == "/authors/"
    assert not Author.objects.filter(pk=ann.pk).exists()
    assert Client().post(f"/authors/{ann.pk}/delete/").status_code == 404


def test_delete_view_form_invalid_keeps_the_object() -> None:
    class Confirm(forms.Form):
        sure = forms.BooleanField()

    ann = Author.objects.create(name="Ann")
    view = AuthorDelete.as_view(form_class=Confirm)
    response = view(RequestFactory().post("/", {}), pk=ann.pk)
    assert response.status_code == 200
    assert response.context_data["form"].errors == {"sure": ["This field is required."]}
    assert Author.objects.filter(pk=ann.pk).exists()
    response = view(RequestFactory().post("/", {"sure": "on"}), pk=ann.pk)
    assert response.status_code == 302


def test_delete_success_url_formats_from_the_deleted_object() -> None:
    ann = Author.objects.create(name="Ann")
    view = DeleteView.as_view(model=Author, success_url="/gone/{name}/{id}/?q=a%20b")
    response = view(RequestFactory().post("/"), pk=ann.pk)
    assert response["Location"] == f"/gone/Ann/{ann.pk}/?q=a%20b"


def test_delete_without_success_url_is_improperly_configured() -> None:
    ann = Author.objects.create(name="Ann")
    with pytest.raises(ImproperlyConfigured) as excinfo:
        DeleteView.as_view(model=Author)(RequestFactory().post("/"), pk=ann.pk)
    assert str(excinfo.value) == "No URL to redirect to. Provide a success_url."
    assert Author.objects.filter(pk=ann.pk).exists()


def test_http_delete_deletes_without_a_form() -> None:
    class Remove(DeleteView):
        model = Author
        success_url = "/x/"

    ann = Author.objects.create(name="Ann")
    response = Remove.as_view()(RequestFactory().delete("/"), pk=ann.pk)
    assert response["Location"] == "/x/"
    assert not Author.objects.exists()
    assert issubclass(Remove, DeletionMixin)


def test_fields_and_form_class_together_are_refused() -> None:
    view = CreateView.as_view(model=Author, fields=["name"], form_class=forms.Form)
    with pytest.raises(ImproperlyConfigured) as excinfo:
        view(RequestFactory().get("/"))
    assert str(excinfo.value) == (
        "Specifying both 'fields' and 'form_class' is not permitted."
    )


def test_model_form_without_fields_is_refused() -> None:
    with pytest.raises(ImproperlyConfigured) as excinfo:
        CreateView.as_view(model=Author)(RequestFactory().get("/"))
    assert str(excinfo.value) == (
        "Using ModelFormMixin (base class of CreateView) without the 'fields' "
        "attribute is prohibited."
    )


def test_model_comes_from_the_object_or_the_queryset() -> None:
    ann = Author.objects.create(name="Ann")
    view = UpdateView(queryset=Author.objects.all(), fields=["name"])
    view.request = RequestFactory().get("/")
    assert view.get_form_class()._meta.model is Author
    view.object = ann
    assert view.get_form_class()._meta.model is Author


def test_form_class_is_used_as_is() -> None:
    class AuthorForm(forms.ModelForm):
        class Meta:
            model = Author
            fields = ["name"]

    view = UpdateView(model=Author, form_class=AuthorForm)
    assert view.get_form_class() is AuthorForm


def test_success_url_falls_back_on_get_absolute_url() -> None:
    class WithUrl:
        def get_absolute_url(self) -> str:
            return "/absolute/"

    view: Any = ModelFormMixin()
    view.object = WithUrl()
    assert view.get_success_url() == "/absolute/"
    view.object = Author(name="x")
    with pytest.raises(ImproperlyConfigured) as excinfo:
        view.get_success_url()
    assert str(excinfo.value) == (
        "No URL to redirect to.  Either provide a url or define a "
        "get_absolute_url method on the Model."
    )


def test_update_view_requires_pk_or_slug() -> None:
    view = UpdateView.as_view(model=Author, fields=["name"])
    with pytest.raises(AttributeError, match="must be called with either"):
        view(RequestFactory().get("/"))
    with pytest.raises(Http404):
        view(RequestFactory().get("/"), pk=5)


async def test_create_view_under_the_async_client() -> None:
    from manouche.test.client import AsyncClient
    from manouche.utils.asyncio import sync_to_async

    client = AsyncClient()
    bad = await client.post("/authors/new/", {"name": ""})
    assert bad.status_code == 200
    assert bad.context["form"].errors["name"] == ["This field is required."]
    response = await client.post("/authors/new/", {"name": "Ann"})
    assert response.status_code == 302
    ann = await sync_to_async(Author.objects.get)()
    assert response["Location"] == f"/authors/{ann.pk}/"
