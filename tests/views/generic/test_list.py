"""ListView and MultipleObjectMixin through the test client."""

from __future__ import annotations

from typing import Any

import pytest

from manouche.core.exceptions import ImproperlyConfigured
from manouche.core.paginator import Paginator
from manouche.test.client import Client, RequestFactory
from manouche.views.generic import ListView
from tests.db.models.modelapp.models import Author, Book

pytestmark = [
    pytest.mark.parametrize("database", ["sqlite"], indirect=True),
    pytest.mark.usefixtures("generic_app"),
]


def make_authors(*names: str) -> list[Author]:
    return [Author.objects.create(name=name) for name in names]


def test_list_renders_the_model_template_with_context() -> None:
    make_authors("b", "a", "c")
    response = Client().get("/authors/")
    assert response.status_code == 200
    assert response.content == b"authors:a;b;c;"
    context = response.context
    assert [a.name for a in context["author_list"]] == ["a", "b", "c"]
    assert context["paginator"] is None
    assert context["page_obj"] is None
    assert context["is_paginated"] is False
    assert [t.name for t in response.templates] == ["modelapp/author_list.html"]


def test_pagination_first_page_by_default() -> None:
    make_authors("a", "b", "c", "d", "e")
    response = Client().get("/paged/")
    assert response.content == b"authors:a;b;|page 1 of 3"
    assert isinstance(response.context["paginator"], Paginator)
    assert response.context["page_obj"].number == 1
    assert response.context["is_paginated"] is True
    assert [a.name for a in response.context["author_list"]] == ["a", "b"]


def test_pagination_by_query_parameter_and_last() -> None:
    make_authors("a", "b", "c", "d", "e")
    client = Client()
    assert client.get("/paged/?page=2").content == b"authors:c;d;|page 2 of 3"
    assert client.get("/paged/?page=last").content == b"authors:e;|page 3 of 3"
    assert client.get("/paged/?page=").content == b"authors:a;b;|page 1 of 3"


def test_pagination_by_url_kwarg() -> None:
    make_authors("a", "b", "c")
    assert Client().get("/paged/page2/").content == b"authors:c;|page 2 of 2"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?page=4", "Invalid page (4): That page contains no results"),
        ("?page=0", "Invalid page (0): That page number is less than 1"),
        ("?page=-1", "Invalid page (-1): That page number is less than 1"),
        ("?page=first", "Page is not “last”, nor can it be converted to an int."),
        ("?page=1.5", "Page is not “last”, nor can it be converted to an int."),
        ("?page=" + "9" * 300, "That page contains no results"),
        ("?page=%00", "Page is not “last”, nor can it be converted to an int."),
    ],
)
def test_invalid_page_is_404(query: str, message: str) -> None:
    make_authors("a", "b", "c", "d", "e")
    response = Client().get("/paged/" + query)
    assert response.status_code == 404
    view = Client().get("/paged/page4/")
    assert view.status_code == 404
    # The 404 message is the Http404's, checked through the view directly.
    from manouche.http import Http404
    from tests.views.generic.views import PagedAuthorList

    request = RequestFactory().get("/paged/" + query)
    with pytest.raises(Http404) as excinfo:
        PagedAuthorList.as_view()(request)
    assert message in str(excinfo.value)


def test_paginate_orphans_fold_the_last_page() -> None:
    make_authors("a", "b", "c", "d", "e")
    view = ListView.as_view(model=Author, paginate_by=2, paginate_orphans=1)
    response = view(RequestFactory().get("/", {"page": "2"}))
    response.render()
    assert response.content == b"authors:c;d;e;|page 2 of 2"


def test_empty_list_is_allowed_by_default() -> None:
    response = Client().get("/paged/")
    assert response.status_code == 200
    assert response.content == b"authors:"
    assert response.context["is_paginated"] is False


def test_empty_list_is_404_when_not_allowed() -> None:
    from manouche.http import Http404
    from tests.views.generic.views import StrictEmptyList

    assert Client().get("/strict/").status_code == 404
    with pytest.raises(Http404) as excinfo:
        StrictEmptyList.as_view()(RequestFactory().get("/"))
    assert str(excinfo.value) == (
        "Empty list and “StrictEmptyList.allow_empty” is False."
    )
    make_authors("a")
    assert Client().get("/strict/").status_code == 200


def test_allow_empty_false_without_pagination_uses_truthiness() -> None:
    from manouche.http import Http404

    view = ListView.as_view(model=Author, allow_empty=False)
    with pytest.raises(Http404, match="ListView.allow_empty"):
        view(RequestFactory().get("/"))


def test_queryset_ordering_and_context_object_name() -> None:
    ann = Author.objects.create(name="ann")
    Book.objects.create(title="short", pages=10, author=ann)
    Book.objects.create(title="long", pages=900, author=ann)
    response = Client().get("/books/")
    assert response.content == b"long;short;"
    assert "books" in response.context
    assert "book_list" not in response.context
    # The class's queryset is cloned per request, never exhausted.
    assert Client().get("/books/").content == b"long;short;"


def test_plain_list_paginates_without_a_model() -> None:
    response = Client().get("/plain/?page=2")
    assert response.content == b"plain:c;|page 2 of 2"
    assert response.context["object_list"] == ["c"]


def test_plain_list_without_template_name_is_improperly_configured() -> None:
    view = ListView.as_view(queryset=["a"])
    with pytest.raises(ImproperlyConfigured) as excinfo:
        view(RequestFactory().get("/"))
    assert str(excinfo.value) == (
        "ListView requires either a 'template_name' attribute or a get_queryset() "
        "method that returns a QuerySet."
    )


def test_missing_queryset_is_improperly_configured() -> None:
    with pytest.raises(ImproperlyConfigured) as excinfo:
        ListView.as_view()(RequestFactory().get("/"))
    assert str(excinfo.value) == (
        "ListView is missing a QuerySet. Define ListView.model, ListView.queryset, "
        "or override ListView.get_queryset()."
    )


def test_template_name_comes_before_the_model_template() -> None:
    view = ListView(model=Author, template_name="mine.html")
    view.object_list = Author.objects.all()
    assert view.get_template_names() == ["mine.html", "modelapp/author_list.html"]


def test_ordering_as_a_list_and_extra_context() -> None:
    make_authors("a", "b")
    view = ListView.as_view(
        model=Author, ordering=["-name"], extra_context={"title": "T"}
    )
    response = view(RequestFactory().get("/"))
    assert [a.name for a in response.context_data["object_list"]] == ["b", "a"]
    assert response.context_data["title"] == "T"


def test_unordered_queryset_warns_when_paginated() -> None:
    from manouche.core.paginator import UnorderedObjectListWarning

    make_authors("a", "b", "c")
    view = ListView.as_view(queryset=Author.objects.order_by(), paginate_by=2)
    with pytest.warns(UnorderedObjectListWarning, match="unordered object_list"):
        view(RequestFactory().get("/"))


async def test_list_view_under_the_async_client() -> None:
    from manouche.test.client import AsyncClient

    await _acreate("a", "b", "c")
    response = await AsyncClient().get("/paged/?page=2")
    assert response.status_code == 200
    assert response.content == b"authors:c;|page 2 of 2"
    missing: Any = await AsyncClient().get("/paged/?page=9")
    assert missing.status_code == 404


async def _acreate(*names: str) -> None:
    from manouche.utils.asyncio import sync_to_async

    await sync_to_async(make_authors)(*names)
