"""The async API: the same operations through aexecute."""

from __future__ import annotations

import pytest

from manouche.core.exceptions import SynchronousOnlyOperation
from manouche.db.models import Count, Sum
from tests.db.models.modelapp.models import Author, Book, Tag


async def test_async_crud(mdb):
    author = await Author.objects.acreate(name="Ann", age=3)
    assert author.pk is not None
    assert (await Author.objects.aget(pk=author.pk)).name == "Ann"
    author.age = 4
    await author.asave()
    await author.arefresh_from_db()
    assert author.age == 4
    assert await Author.objects.acount() == 1
    assert await Author.objects.filter(age=4).aexists()
    assert (await Author.objects.afirst()) == author
    assert (await Author.objects.alast()) == author
    names = [a.name async for a in Author.objects.all()]
    assert names == ["Ann"]
    obj, created = await Author.objects.aget_or_create(name="Bob", defaults={"age": 1})
    assert created
    obj, created = await Author.objects.aupdate_or_create(
        name="Bob", defaults={"age": 2}
    )
    assert not created
    assert obj.age == 2
    assert await Author.objects.filter(name="Bob").aupdate(age=5) == 1
    bulk = await Author.objects.ain_bulk([author.pk])
    assert list(bulk) == [author.pk]
    assert (await Author.objects.aaggregate(total=Sum("age"))) == {"total": 9}
    created_objs = await Author.objects.abulk_create(
        [Author(name="c"), Author(name="d")]
    )
    assert len(created_objs) == 2
    for one in created_objs:
        one.age = 7
    if all(o.pk for o in created_objs):
        assert await Author.objects.abulk_update(created_objs, ["age"]) == 2
    streamed = [
        a.name async for a in Author.objects.order_by("name").aiterator(chunk_size=2)
    ]
    assert streamed == ["Ann", "Bob", "c", "d"]
    deleted, _ = await Author.objects.filter(name__in=["c", "d"]).adelete()
    assert deleted == 2
    await author.adelete()
    assert await Author.objects.acount() == 1


async def test_async_related_managers(mdb):
    author = await Author.objects.acreate(name="Ann")
    book = await author.books.acreate(title="T")
    tag = await Tag.objects.acreate(name="t")
    await book.tags.aadd(tag)
    assert [t.name async for t in book.tags.all()] == ["t"]
    await book.tags.aremove(tag)
    assert await book.tags.acount() == 0
    await book.tags.aset([tag])
    await book.tags.aclear()
    assert await book.tags.acount() == 0
    other = await Tag.objects.acreate(name="o")
    await book.tags.aset([other])
    counts = [(a.name, a.n) async for a in Author.objects.annotate(n=Count("books"))]
    assert counts == [("Ann", 1)]


async def test_lazy_relation_access_in_async_code_is_refused(mdb):
    author = await Author.objects.acreate(name="Ann")
    await Book.objects.acreate(title="T", author=author)
    book = await Book.objects.aget(title="T")
    with pytest.raises(SynchronousOnlyOperation) as info:
        book.author  # noqa: B018
    message = str(info.value)
    assert "select_related('author')" in message
    assert "prefetch_related('author')" in message
    loaded = await Book.objects.select_related("author").aget(title="T")
    assert loaded.author.name == "Ann"
    prefetched = [b async for b in Book.objects.prefetch_related("author")]
    assert prefetched[0].author.name == "Ann"


async def test_sync_query_in_async_code_is_refused(mdb):
    with pytest.raises(SynchronousOnlyOperation, match="use the async API"):
        list(Author.objects.all())
    with pytest.raises(SynchronousOnlyOperation):
        Author.objects.count()


async def test_overridden_save_runs_in_a_thread(mdb):
    from tests.db.models.modelapp.models import Note

    note = Note(body="x")
    await note.asave()
    assert (await Note.objects.aget()).body == "x"


async def test_deferred_field_access_in_async_code_is_refused(mdb):
    await Author.objects.acreate(name="Ann", age=3)
    author = await Author.objects.only("name").aget()
    with pytest.raises(SynchronousOnlyOperation, match="arefresh_from_db"):
        author.age  # noqa: B018
    await author.arefresh_from_db(fields=["age"])
    assert author.age == 3
