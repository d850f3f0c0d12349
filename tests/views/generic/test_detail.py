"""DetailView and SingleObjectMixin through the test client."""

from __future__ import annotations

import pytest

from manouche.core.exceptions import ImproperlyConfigured
from manouche.http import Http404
from manouche.test.client import Client, RequestFactory
from manouche.views.generic import DetailView
from tests.db.models.modelapp.models import Author, Tag
from tests.views.generic.views import AuthorDetail, TagByPkAndSlug, TagDetail

pytestmark = [
    pytest.mark.parametrize("database", ["sqlite"], indirect=True),
    pytest.mark.usefixtures("generic_app"),
]


def test_detail_by_pk_renders_the_model_template() -> None:
    ann = Author.objects.create(name="Ann")
    response = Client().get(f"/authors/{ann.pk}/")
    assert response.status_code == 200
    assert response.content == f"author Ann ({ann.pk})".encode()
    assert response.context["object"] == ann
    assert response.context["author"] == ann
    assert [t.name for t in response.templates] == ["modelapp/author_detail.html"]


def test_missing_object_is_404_with_djangos_message() -> None:
    assert Client().get("/authors/999/").status_code == 404
    with pytest.raises(Http404) as excinfo:
        AuthorDetail.as_view()(RequestFactory().get("/"), pk=999)
    assert str(excinfo.value) == "No author found matching the query"


def test_detail_by_slug_field() -> None:
    Tag.objects.create(name="jazz")
    response = Client().get("/tags/jazz/")
    assert response.status_code == 200
    assert response.content == b"tag jazz/"
    assert Client().get("/tags/rock/").status_code == 404


def test_query_pk_and_slug_needs_both_to_match() -> None:
    jazz = Tag.objects.create(name="jazz")
    response = Client().get(f"/tags/{jazz.pk}/jazz/")
    assert response.content == b"tag jazz/jazz"
    assert response.context["thing"] == jazz
    assert Client().get(f"/tags/{jazz.pk}/rock/").status_code == 404


def test_pk_wins_over_slug_without_query_pk_and_slug() -> None:
    jazz = Tag.objects.create(name="jazz")
    view = TagDetail.as_view()
    response = view(RequestFactory().get("/"), pk=jazz.pk, slug="anything")
    assert response.context_data["object"] == jazz
    with pytest.raises(Http404, match="No tag found matching the query"):
        TagByPkAndSlug.as_view()(RequestFactory().get("/"), pk=jazz.pk, slug="x")


def test_hostile_slug_is_just_a_miss() -> None:
    Tag.objects.create(name="jazz")
    view = TagDetail.as_view()
    for slug in ["' OR 1=1 --", "%", "_", "jazz%", "x" * 5000]:
        with pytest.raises(Http404):
            view(RequestFactory().get("/"), slug=slug)


def test_detail_without_pk_or_slug_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError) as excinfo:
        AuthorDetail.as_view()(RequestFactory().get("/"))
    assert str(excinfo.value) == (
        "Generic detail view AuthorDetail must be called with either an object pk "
        "or a slug in the URLconf."
    )


def test_detail_without_model_or_queryset_is_improperly_configured() -> None:
    with pytest.raises(ImproperlyConfigured) as excinfo:
        DetailView.as_view()(RequestFactory().get("/"), pk=1)
    assert str(excinfo.value) == (
        "DetailView is missing a QuerySet. Define DetailView.model, "
        "DetailView.queryset, or override DetailView.get_queryset()."
    )


def test_queryset_restricts_the_lookup() -> None:
    ann = Author.objects.create(name="Ann")
    bob = Author.objects.create(name="Bob")
    view = DetailView.as_view(queryset=Author.objects.filter(name="Bob"))
    assert view(RequestFactory().get("/"), pk=bob.pk).context_data["object"] == bob
    with pytest.raises(Http404):
        view(RequestFactory().get("/"), pk=ann.pk)


def test_template_names() -> None:
    ann = Author.objects.create(name="Ann")
    view = DetailView(model=Author, template_name_field="name")
    view.object = ann
    assert view.get_template_names() == ["Ann", "modelapp/author_detail.html"]
    view = DetailView(template_name="custom.html")
    view.object = ann
    assert view.get_template_names() == ["custom.html"]
    view = DetailView(model=Author)
    view.object = None
    assert view.get_template_names() == ["modelapp/author_detail.html"]
    view = DetailView()
    view.object = {"not": "a model"}
    with pytest.raises(ImproperlyConfigured) as excinfo:
        view.get_template_names()
    assert str(excinfo.value) == (
        "SingleObjectTemplateResponseMixin requires a definition of "
        "'template_name', 'template_name_field', or 'model'; or an "
        "implementation of 'get_template_names()'."
    )


def test_context_object_name_and_non_model_objects() -> None:
    view = DetailView(context_object_name="thing")
    view.object = {"a": 1}
    assert view.get_context_data()["thing"] == {"a": 1}
    plain = DetailView()
    plain.object = {"a": 1}
    context = plain.get_context_data()
    assert context["object"] == {"a": 1}
    assert set(context) == {"object", "view"}


async def test_detail_under_the_async_client() -> None:
    from manouche.test.client import AsyncClient
    from manouche.utils.asyncio import sync_to_async

    ann = await sync_to_async(Author.objects.create)(name="Ann")
    response = await AsyncClient().get(f"/authors/{ann.pk}/")
    assert response.status_code == 200
    assert response.content == f"author Ann ({ann.pk})".encode()
    assert (await AsyncClient().get("/authors/424242/")).status_code == 404
