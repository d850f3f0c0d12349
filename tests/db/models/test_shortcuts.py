"""get_object_or_404 and friends over real models."""

from __future__ import annotations

import pytest

from manouche.http import Http404
from manouche.shortcuts import (
    aget_list_or_404,
    aget_object_or_404,
    get_list_or_404,
    get_object_or_404,
)
from tests.db.models.modelapp.models import Author

pytestmark = pytest.mark.parametrize("_models_database", ["sqlite"], indirect=True)


def test_get_object_or_404(mdb):
    author = Author.objects.create(name="Ann")
    assert get_object_or_404(Author, name="Ann") == author
    assert get_object_or_404(Author.objects.all(), pk=author.pk) == author
    with pytest.raises(Http404, match="No Author matches the given query."):
        get_object_or_404(Author, name="nobody")
    with pytest.raises(ValueError, match="must be a Model, Manager, or QuerySet"):
        get_object_or_404("Author", name="x")


def test_get_list_or_404(mdb):
    Author.objects.create(name="Ann")
    assert [a.name for a in get_list_or_404(Author, name="Ann")] == ["Ann"]
    with pytest.raises(Http404, match="No Author matches the given query."):
        get_list_or_404(Author.objects, name="nobody")


async def test_async_shortcuts(mdb):
    author = await Author.objects.acreate(name="Ann")
    assert await aget_object_or_404(Author, pk=author.pk) == author
    assert len(await aget_list_or_404(Author, name="Ann")) == 1
    with pytest.raises(Http404):
        await aget_object_or_404(Author, name="nobody")
    with pytest.raises(Http404):
        await aget_list_or_404(Author, name="nobody")
