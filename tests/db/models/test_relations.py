"""ForeignKey, OneToOne, ManyToMany, select_related, prefetch_related, deletion."""

from __future__ import annotations

import pytest

from manouche.db.models import Count, Prefetch, ProtectedError, RestrictedError
from manouche.db.models.signals import m2m_changed
from tests.db.models.modelapp.models import (
    Author,
    Book,
    Club,
    Membership,
    Node,
    Person,
    Profile,
    Protected,
    Publisher,
    Restricted,
    Tag,
)


@pytest.fixture
def library(mdb):
    ann = Author.objects.create(name="Ann")
    bob = Author.objects.create(name="Bob")
    press = Publisher.objects.create(name="Press")
    books = [
        Book.objects.create(title="A1", author=ann, publisher=press, pages=10),
        Book.objects.create(title="A2", author=ann, pages=300),
        Book.objects.create(title="B1", author=bob, publisher=press, pages=50),
    ]
    return ann, bob, press, books


def test_forward_access_is_cached(library):
    book = Book.objects.get(title="A1")
    assert book.author.name == "Ann"
    assert book._state.fields_cache["author"] is book.author
    assert book.author_id == library[0].pk
    book.author = library[1]
    assert book.author_id == library[1].pk
    book.save()
    assert Book.objects.get(title="A1").author == library[1]


def test_nullable_forward_and_assignment_errors(library):
    assert Book.objects.get(title="A2").publisher is None
    with pytest.raises(ValueError, match='must be a "Author" instance'):
        Book(title="x", author=library[2])


def test_unsaved_related_object_blocks_save(library):
    book = Book(title="x", author=Author(name="unsaved"))
    with pytest.raises(ValueError, match="unsaved related object 'author'"):
        book.save()


def test_reverse_manager(library):
    ann, bob, press, books = library
    assert [b.title for b in ann.books.all()] == ["A1", "A2"]
    assert ann.books.count() == 2
    assert [b.title for b in press.book_set.order_by("title")] == ["A1", "B1"]
    new = ann.books.create(title="A3")
    assert new.author == ann
    bob.books.add(new)
    assert Book.objects.get(title="A3").author == bob
    press.book_set.remove(books[0])
    assert Book.objects.get(title="A1").publisher is None
    press.book_set.clear()
    assert press.book_set.count() == 0
    press.book_set.set([books[1]])
    assert [b.title for b in press.book_set.all()] == ["A2"]


def test_filters_span_relations(library):
    assert [b.title for b in Book.objects.filter(author__name="Ann")] == ["A1", "A2"]
    assert [a.name for a in Author.objects.filter(books__pages__gt=100)] == ["Ann"]
    assert [a.name for a in Author.objects.exclude(books__pages__gt=100)] == ["Bob"]
    assert Book.objects.filter(publisher__isnull=True).count() == 1
    assert Book.objects.filter(author=library[0]).count() == 2
    assert Book.objects.filter(author__in=[library[1]]).count() == 1
    assert (
        Book.objects.filter(author__in=Author.objects.filter(name="Bob")).count() == 1
    )
    assert list(
        Book.objects.order_by("author__name", "-pages").values_list("title", flat=True)
    ) == [
        "A2",
        "A1",
        "B1",
    ]
    assert list(
        Book.objects.filter(title="B1").values("author__name", "publisher__name")
    ) == [{"author__name": "Bob", "publisher__name": "Press"}]


def test_select_related_avoids_queries(library, mdb):
    books = list(Book.objects.select_related("author", "publisher").order_by("title"))
    assert [b.author.name for b in books] == ["Ann", "Ann", "Bob"]
    assert books[1].publisher is None
    assert books[0].publisher.name == "Press"
    assert all("author" in b._state.fields_cache for b in books)
    plain = list(Book.objects.select_related().order_by("title"))
    assert "author" in plain[0]._state.fields_cache


def test_prefetch_related(library):
    authors = list(Author.objects.prefetch_related("books").order_by("name"))
    assert [len(a.books.all()) for a in authors] == [2, 1]
    assert "books" in authors[0]._prefetched_objects_cache
    long_books = Prefetch(
        "books", queryset=Book.objects.filter(pages__gt=20), to_attr="long"
    )
    authors = list(Author.objects.prefetch_related(long_books).order_by("name"))
    assert [[b.title for b in a.long] for a in authors] == [["A2"], ["B1"]]
    books = list(Book.objects.prefetch_related("author").order_by("title"))
    assert books[0]._state.fields_cache["author"].name == "Ann"


def test_one_to_one(library):
    ann = library[0]
    profile = Profile.objects.create(author=ann, bio="hi")
    assert Author.objects.get(pk=ann.pk).profile == profile
    assert Profile.objects.select_related("author").get().author.name == "Ann"
    assert Author.objects.select_related("profile").get(pk=ann.pk).profile.bio == "hi"
    with pytest.raises(Profile.DoesNotExist):
        library[1].profile  # noqa: B018
    assert Author.objects.filter(profile__bio="hi").get() == ann


def test_many_to_many(library):
    ann, _bob, _press, books = library
    python = Tag.objects.create(name="python")
    web = Tag.objects.create(name="web")
    books[0].tags.add(python, web)
    books[0].tags.add(python)  # no duplicate
    books[1].tags.add(web.pk)
    assert [t.name for t in books[0].tags.all()] == ["python", "web"]
    assert [b.title for b in web.books.order_by("title")] == ["A1", "A2"]
    assert Book.objects.filter(tags__name="web").count() == 2
    assert Tag.objects.filter(books__author=ann).distinct().count() == 2
    books[0].tags.remove(web)
    assert [t.name for t in books[0].tags.all()] == ["python"]
    books[0].tags.set([web])
    assert [t.name for t in books[0].tags.all()] == ["web"]
    created = books[2].tags.create(name="new")
    assert list(created.books.all()) == [books[2]]
    books[0].tags.clear()
    assert books[0].tags.count() == 0
    prefetched = list(Book.objects.prefetch_related("tags").order_by("title"))
    assert [[t.name for t in b.tags.all()] for b in prefetched] == [
        [],
        ["web"],
        ["new"],
    ]


def test_m2m_changed_signal(library):
    events = []

    def receiver(sender, action, pk_set, **kwargs):
        events.append((action, pk_set))

    m2m_changed.connect(receiver, sender=Book.tags.through)
    try:
        tag = Tag.objects.create(name="t")
        library[3][0].tags.add(tag)
        library[3][0].tags.remove(tag)
        library[3][0].tags.clear()
    finally:
        m2m_changed.disconnect(receiver, sender=Book.tags.through)
    assert [e[0] for e in events] == [
        "pre_add",
        "post_add",
        "pre_remove",
        "post_remove",
        "pre_clear",
        "post_clear",
    ]
    assert events[0][1] == {tag.pk}


def test_custom_through_and_symmetrical(mdb):
    club = Club.objects.create(name="chess")
    person = Person.objects.create(name="p")
    club.members.add(person, through_defaults={"role": "chair"})
    assert Membership.objects.get().role == "chair"
    assert list(person.clubs.all()) == [club]
    one = Node.objects.create(name="one")
    two = Node.objects.create(name="two")
    one.friends.add(two)
    assert list(two.friends.all()) == [one]
    child = Node.objects.create(name="c", parent=one)
    assert list(one.children.all()) == [child]
    assert Node.objects.filter(parent__name="one").get() == child


def test_cascade_set_null_and_counts(library):
    ann, _bob, press, books = library
    Tag.objects.create(name="x")
    books[0].tags.add(Tag.objects.get())
    count, per_model = ann.delete()
    assert per_model["modelapp.Author"] == 1
    assert per_model["modelapp.Book"] == 2
    assert count == 4  # author, two books, one m2m row
    press.delete()
    assert Book.objects.get(title="B1").publisher_id is None


def test_protect_and_restrict(library):
    _ann, bob, press, _books = library
    Protected.objects.create(publisher=press)
    with pytest.raises(
        ProtectedError, match="referenced through protected foreign keys"
    ):
        press.delete()
    Restricted.objects.create(author=bob)
    with pytest.raises(RestrictedError, match="restricted foreign keys"):
        bob.delete()
    assert Publisher.objects.count() == 1
    assert Author.objects.count() == 2


def test_annotate_count_over_relation(library):
    counts = {
        a.name: a.n for a in Author.objects.annotate(n=Count("books")).order_by("name")
    }
    assert counts == {"Ann": 2, "Bob": 1}
    Author.objects.create(name="Zed")
    rows = list(
        Author.objects.annotate(n=Count("books"))
        .filter(n=0)
        .values_list("name", flat=True)
    )
    assert rows == ["Zed"]


def test_related_object_does_not_exist_is_catchable(library):
    profile_missing = Author.profile.RelatedObjectDoesNotExist
    assert profile_missing is Author.profile.RelatedObjectDoesNotExist
    with pytest.raises(Author.profile.RelatedObjectDoesNotExist) as info:
        library[1].profile  # noqa: B018
    assert isinstance(info.value, Profile.DoesNotExist)
    assert isinstance(info.value, AttributeError)
    assert str(info.value) == "Author has no profile."
