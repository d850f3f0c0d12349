"""exclude() keeps rows whose compared values are NULL; related managers'
filters share the manager's joins through the intermediate model."""

from __future__ import annotations

from typing import Any

import pytest

from manouche.db.models import F
from tests.db.models.modelapp.models import Club, Everything, Membership, Person


def test_exclude_against_a_nullable_reference_keeps_null_rows(mdb: Any) -> None:
    missing = Everything.objects.create(small=1, ratio=1.0)
    Everything.objects.create(small=2, ratio=2.0, amount=2)
    # small = amount is unknown (NULL) for the first row: not excluded.
    assert list(Everything.objects.exclude(small=F("amount"))) == [missing]
    assert list(Everything.objects.exclude(ratio=F("amount"))) == [missing]


@pytest.fixture
def clubs(mdb: Any) -> dict[str, Any]:
    alex, jane = Person.objects.create(name="Alex"), Person.objects.create(name="Jane")
    chess = Club.objects.create(name="chess")
    golf = Club.objects.create(name="golf")
    rowing = Club.objects.create(name="rowing")
    for club, person, role in [
        (chess, alex, "captain"),
        (chess, alex, "member"),
        (golf, alex, "member"),
        (rowing, alex, "member"),
        (rowing, jane, "captain"),
    ]:
        Membership.objects.create(club=club, person=person, role=role)
    return {"alex": alex, "chess": chess, "golf": golf, "rowing": rowing}


def names(queryset: Any) -> list[str]:
    return sorted({club.name for club in queryset})


def test_through_model_filter_shares_the_many_to_many_join(
    clubs: dict[str, Any],
) -> None:
    captained = clubs["alex"].clubs.filter(membership__role="captain")
    # Jane captains rowing: that membership is not one of Alex's.
    assert names(captained) == ["chess"]
    one_call = Club.objects.filter(members=clubs["alex"], membership__role="captain")
    assert names(one_call) == ["chess"]


def test_related_manager_exclude_tests_the_managers_rows(
    clubs: dict[str, Any],
) -> None:
    not_captain = clubs["alex"].clubs.exclude(membership__role="captain")
    # Alex is also a plain member of chess; rowing's captain is Jane.
    assert names(not_captain) == ["chess", "golf", "rowing"]
    # A plain exclude() still rejects clubs having any such membership.
    assert names(Club.objects.exclude(membership__role="captain")) == ["golf"]


def test_exclude_across_a_deep_many_valued_step_rejects_every_match(
    mdb: Any,
) -> None:
    from tests.db.models.modelapp.models import Author, Book, Edition, Publisher, Tag

    ann = Author.objects.create(name="Ann")
    red, blue = Tag.objects.create(name="red"), Tag.objects.create(name="blue")
    two_tags = Book.objects.create(title="Two", author=ann)
    two_tags.tags.add(red, blue)
    only_blue = Book.objects.create(title="Blue", author=ann)
    only_blue.tags.add(blue)
    publisher = Publisher.objects.create(name="P")
    first = Edition.objects.create(isbn="1", publisher=publisher, book=two_tags)
    second = Edition.objects.create(isbn="2", publisher=publisher, book=only_blue)
    reprint = Edition.objects.create(isbn="3", publisher=publisher, lead=first)
    other = Edition.objects.create(isbn="4", publisher=publisher, lead=second)
    # lead -> book -> tags: "Two" has a red tag, even if its blue one is not.
    kept = Edition.objects.filter(lead__isnull=False).exclude(
        lead__book__tags__name="red"
    )
    assert list(kept) == [other]
    assert reprint not in kept


def test_multivalued_exclude_in_update_and_delete(clubs: dict[str, Any]) -> None:
    without_captain = Club.objects.exclude(membership__role="captain")
    assert without_captain.update(name="quiet") == 1
    assert names(Club.objects.all()) == ["chess", "quiet", "rowing"]
    deleted, _ = Club.objects.exclude(membership__role="captain").delete()
    assert deleted >= 1
    assert names(Club.objects.all()) == ["chess", "rowing"]


def test_exclude_on_a_nullable_keys_target_keeps_null_keys(mdb: Any) -> None:
    from tests.db.models.modelapp.models import Author, Book, Publisher

    ann = Author.objects.create(name="Ann")
    publisher = Publisher.objects.create(name="P")
    Book.objects.create(title="Published", author=ann, publisher=publisher)
    unpublished = Book.objects.create(title="Draft", author=ann)
    # publisher__id reads publisher_id: NULL is not "equal to", so kept.
    assert list(Book.objects.exclude(publisher__id=publisher.pk)) == [unpublished]
    assert list(Book.objects.exclude(publisher__pk=publisher.pk)) == [unpublished]


def test_related_manager_exclude_needing_its_own_joins(mdb: Any) -> None:
    from tests.db.models.modelapp.models import Author, Book, Tag

    ann = Author.objects.create(name="Ann")
    red, blue = Tag.objects.create(name="red"), Tag.objects.create(name="blue")
    mixed = Book.objects.create(title="Mixed", author=ann)
    mixed.tags.add(red, blue)
    only_blue = Book.objects.create(title="Blue", author=ann)
    only_blue.tags.add(blue)
    # Not joined by the manager: any red tag excludes the book.
    assert list(ann.books.exclude(tags__name="red")) == [only_blue]
