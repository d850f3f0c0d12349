"""Save arguments, explain() checks, compound queries and lookup error messages."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from manouche.core.exceptions import FieldError
from manouche.db import NotSupportedError, connection
from manouche.test.utils import CaptureQueriesContext
from manouche.utils.deprecation import RemovedInDjango60Warning
from tests.db.models.modelapp.models import (
    Author,
    Book,
    Profile,
    Restaurant,
    RestaurantProxy,
    Tag,
    UUIDItem,
)

# -- Model._is_pk_set --------------------------------------------------------------


def test_is_pk_set_false_without_a_primary_key_value(mdb: Any) -> None:
    assert Author()._is_pk_set() is False
    assert Author(id=None)._is_pk_set() is False


def test_is_pk_set_true_for_zero_and_saved_instances(mdb: Any) -> None:
    assert Author(id=0)._is_pk_set() is True
    assert Author.objects.create(name="a")._is_pk_set() is True
    restaurant = Restaurant.objects.create(name="r")
    assert restaurant._is_pk_set(Restaurant._meta.get_parent_list()[0]._meta) is True


# -- save() arguments --------------------------------------------------------------


def test_save_positional_arguments_warn_and_still_apply(mdb: Any) -> None:
    author = Author.objects.create(name="old", age=1)
    author.name = "new"
    author.age = 2
    with pytest.warns(RemovedInDjango60Warning, match="to save\\(\\) is deprecated"):
        author.save(False, False, None, ["name"])
    author.refresh_from_db()
    assert (author.name, author.age) == ("new", 1)


def test_save_rejects_too_many_positional_arguments(mdb: Any) -> None:
    message = "Model.save() takes from 1 to 5 positional arguments but 6 were given"
    with (
        pytest.warns(RemovedInDjango60Warning),
        pytest.raises(TypeError, match=message.replace("(", "\\(").replace(")", "\\)")),
    ):
        Author(name="x").save(False, False, None, None, None)


@pytest.mark.parametrize(
    ("name", "value", "args"),
    [
        ("force_insert", True, [42]),
        ("force_update", None, [42, 41]),
        ("using", "other", [42, 41, 40]),
        ("update_fields", ["name"], [42, 41, 40, 39]),
    ],
)
def test_save_rejects_an_argument_given_twice(
    mdb: Any, name: Any, value: Any, args: list[int]
) -> None:
    with pytest.warns(RemovedInDjango60Warning), pytest.raises(TypeError) as info:
        Author(name="x").save(*args, **{name: value})
    assert str(info.value) == f"Model.save() got multiple values for argument '{name}'"


async def test_asave_names_itself_in_argument_errors(mdb: Any) -> None:
    with pytest.warns(RemovedInDjango60Warning), pytest.raises(TypeError) as info:
        await Author(name="x").asave(42, force_insert=True)
    assert str(info.value) == (
        "Model.asave() got multiple values for argument 'force_insert'"
    )


def test_save_calls_save_base_with_keyword_arguments(
    mdb: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[dict[str, Any]] = []
    author = Author(name="x")
    monkeypatch.setattr(author, "save_base", lambda **kw: calls.append(kw))
    author.save(update_fields=["name"], using="default")
    assert calls == [
        {
            "using": "default",
            "force_insert": False,
            "force_update": False,
            "update_fields": frozenset({"name"}),
        }
    ]


def test_force_update_on_a_pk_with_default_updates_instead_of_inserting(
    mdb: Any,
) -> None:
    item = UUIDItem.objects.create(label="before")
    again = UUIDItem(id=item.id, label="after")
    again.save(force_update=True)
    assert UUIDItem.objects.get().label == "after"
    with pytest.raises(Exception, match="Forced update did not affect any rows"):
        UUIDItem(id=uuid.uuid4(), label="x").save(force_update=True)


def test_update_fields_skip_parent_tables_without_those_fields(mdb: Any) -> None:
    restaurant = Restaurant.objects.create(name="r")
    restaurant.serves_pizza = True
    with CaptureQueriesContext(connection) as queries:
        restaurant.save(update_fields=["serves_pizza"])
    statements = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"] not in {"BEGIN", "COMMIT"}
    ]
    assert len(statements) == 1
    assert statements[0].startswith("UPDATE modelapp_restaurant ")
    assert Restaurant.objects.get().serves_pizza is True


def test_proxy_of_a_multi_table_child_reads_parent_columns(mdb: Any) -> None:
    Restaurant.objects.create(name="r", serves_pizza=True)
    proxy = RestaurantProxy.objects.get()
    assert (proxy.name, proxy.serves_pizza) == ("r", True)
    assert list(RestaurantProxy.objects.values_list("name", flat=True)) == ["r"]


# -- explain() ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ['opt"ion', "o'ption", "opti on", "option--", "option;", "x) SELECT 1; --", "a["],
)
def test_explain_rejects_option_names_that_are_not_words(mdb: Any, name: Any) -> None:
    with pytest.raises(ValueError) as info:
        Author.objects.explain(**{name: True})
    assert str(info.value) == f"Invalid option name: {name!r}."


def test_explain_names_unknown_options(mdb: Any) -> None:
    if connection.vendor == "postgresql":
        Author.objects.explain(verbose=True)
    with pytest.raises(ValueError, match="^Unknown options: TEST, TEST2$"):
        Author.objects.explain(TEST=1, TEST2=1)


def test_explain_unknown_format_lists_the_allowed_ones(mdb: Any) -> None:
    supported = connection.features.supported_explain_formats
    expected = "NOPE is not a recognized format."
    if supported:
        expected += " Allowed formats: " + ", ".join(sorted(supported))
    else:
        expected += f" {connection.display_name} does not support any formats."
    with pytest.raises(ValueError) as info:
        Author.objects.explain(format="nope")
    assert str(info.value) == expected


def test_explain_on_a_backend_without_it_raises_not_supported(
    mdb: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        connection.features, "supports_explaining_query_execution", False
    )
    with pytest.raises(NotSupportedError, match="does not support explaining"):
        Author.objects.explain()


# -- combined queries --------------------------------------------------------------


@pytest.mark.parametrize("operation", ["defer", "only", "distinct", "update"])
def test_operations_unsupported_after_a_combinator_raise(
    mdb: Any, operation: Any
) -> None:
    combined = Author.objects.all().union(Author.objects.all())
    args = {"defer": ("name",), "only": ("name",), "distinct": ()}.get(operation, ())
    kwargs = {"name": "x"} if operation == "update" else {}
    with pytest.raises(NotSupportedError) as info:
        getattr(combined, operation)(*args, **kwargs)
    assert str(info.value) == (
        f"Calling QuerySet.{operation}() after union() is not supported."
    )


def test_union_of_a_union_and_of_sliced_members(mdb: Any) -> None:
    for index in range(4):
        Author.objects.create(name=f"a{index}", age=index)
    everyone = Author.objects.all()
    nested = everyone.union(everyone.union(everyone))
    assert sorted(a.age for a in nested) == [0, 1, 2, 3]
    if connection.features.supports_slicing_ordering_in_compound:
        first = Author.objects.order_by("age")[:1]
        last = Author.objects.order_by("-age")[:1]
        assert sorted(a.age for a in first.union(last)) == [0, 3]
        assert first.union(last).count() == 2


# -- lookup errors -----------------------------------------------------------------


def test_unknown_keyword_lists_names_and_attnames_but_not_pk(mdb: Any) -> None:
    with pytest.raises(FieldError) as info:
        Book.objects.filter(nope=1).count()
    choices = str(info.value).split("Choices are: ")[1].split(", ")
    assert str(info.value).startswith("Cannot resolve keyword 'nope' into field.")
    assert "pk" not in choices
    assert {"author", "author_id", "tags", "title"} <= set(choices)
    assert choices == sorted(choices)


# -- get_prefetch_querysets() ------------------------------------------------------


def _match(result: tuple[Any, ...], instances: list[Any]) -> dict[Any, list[Any]]:
    """Group the fetched rows by the instance they belong to, as prefetch does."""
    queryset, rel_obj_attr, instance_attr, _single, _cache, _is_descriptor = result
    by_key: dict[Any, list[Any]] = {}
    for obj in queryset:
        by_key.setdefault(rel_obj_attr(obj), []).append(obj)
    return {inst.pk: by_key.get(instance_attr(inst), []) for inst in instances}


def test_get_prefetch_querysets_forward_and_reverse_relations(mdb: Any) -> None:
    ann = Author.objects.create(name="Ann")
    bob = Author.objects.create(name="Bob")
    first = Book.objects.create(title="first", author=ann)
    second = Book.objects.create(title="second", author=bob)
    tag = Tag.objects.create(name="t")
    first.tags.add(tag)
    books = list(Book.objects.order_by("pk"))
    authors = [ann, bob]

    forward = Book.author.get_prefetch_querysets(books)
    assert forward[3:] == (True, "author", False)
    assert _match(forward, books) == {first.pk: [ann], second.pk: [bob]}

    reverse = ann.books.get_prefetch_querysets(authors)
    assert reverse[3:] == (False, "books", False)
    assert _match(reverse, authors) == {ann.pk: [first], bob.pk: [second]}

    profile = Profile.objects.create(author=ann)
    one = Author.profile.get_prefetch_querysets(authors)
    assert one[3] is True
    assert _match(one, authors) == {ann.pk: [profile], bob.pk: []}

    m2m = first.tags.get_prefetch_querysets(books)
    assert m2m[3:] == (False, "tags", False)
    assert _match(m2m, books) == {first.pk: [tag], second.pk: []}
    assert _match(tag.books.get_prefetch_querysets([tag]), [tag]) == {tag.pk: [first]}


def test_get_prefetch_querysets_takes_exactly_one_queryset(mdb: Any) -> None:
    author = Author.objects.create(name="Ann")
    message = (
        "querysets argument of get_prefetch_querysets() should have a length of 1."
    )
    for owner, qs in [
        (Book.author, Author.objects.all()),
        (author.books, Book.objects.all()),
        (Author.profile, Profile.objects.all()),
        (Book(pk=1).tags, Tag.objects.all()),
    ]:
        with pytest.raises(ValueError) as info:
            owner.get_prefetch_querysets([author], [qs, qs])
        assert str(info.value) == message
    narrowed = Book.author.get_prefetch_querysets(
        [Book(author=author)], [Author.objects.filter(name="nobody")]
    )
    assert list(narrowed[0]) == []


def test_get_prefetch_queryset_is_deprecated(mdb: Any) -> None:
    with pytest.warns(RemovedInDjango60Warning, match="get_prefetch_querysets"):
        result = Book.author.get_prefetch_queryset([])
    assert result[4] == "author"
