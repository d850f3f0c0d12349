"""``Meta.order_with_respect_to``: the hidden ``_order`` column and its accessors."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest

from manouche.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from manouche.contrib.contenttypes.models import ContentType
from manouche.core.exceptions import FieldDoesNotExist
from manouche.db import connection, models
from manouche.test.utils import CaptureQueriesContext, isolate_apps

LABEL = "custom_label"


def _meta(**options: Any) -> type:
    return type("Meta", (), {"app_label": LABEL, **options})


def _build_models() -> SimpleNamespace:
    class Question(models.Model):
        text = models.CharField(max_length=50)

        Meta = _meta()

    class Answer(models.Model):
        text = models.CharField(max_length=50)
        question = models.ForeignKey(Question, models.CASCADE)

        Meta = _meta(order_with_respect_to="question")

    class Post(models.Model):
        title = models.CharField(max_length=50)
        parent = models.ForeignKey("self", models.SET_NULL, null=True)

        Meta = _meta(order_with_respect_to="parent")

    return SimpleNamespace(Question=Question, Answer=Answer, Post=Post)


@pytest.fixture
def ordered(database: Any) -> Iterator[SimpleNamespace]:
    with isolate_apps(f"tests.apps.{LABEL}"):
        found = _build_models()
        database.create_models(found.Question, found.Answer, found.Post)
        yield found


def _texts(queryset: Any) -> list[str]:
    return [answer.text for answer in queryset]


def test_options_resolve_the_field_and_order_by_the_hidden_column() -> None:
    with isolate_apps(f"tests.apps.{LABEL}"):
        found = _build_models()
    opts = found.Answer._meta
    assert opts.order_with_respect_to is opts.get_field("question")
    assert list(opts.ordering) == ["_order"]
    order = opts.get_field("_order")
    assert isinstance(order, models.OrderWrt)
    assert (order.column, order.editable) == ("_order", False)
    assert found.Question._meta.order_with_respect_to is None
    assert not hasattr(found.Question, "get_next_in_order")


def test_a_declared_order_field_is_not_added_twice() -> None:
    with isolate_apps(f"tests.apps.{LABEL}"):

        class Box(models.Model):
            Meta = _meta()

        class Item(models.Model):
            box = models.ForeignKey(Box, models.CASCADE)
            order = models.OrderWrt()

            Meta = _meta(order_with_respect_to="box")

    kinds = [f for f in Item._meta.local_fields if isinstance(f, models.OrderWrt)]
    assert len(kinds) == 1


def test_an_unknown_field_is_refused() -> None:
    with isolate_apps(f"tests.apps.{LABEL}"), pytest.raises(FieldDoesNotExist):

        class Lost(models.Model):
            Meta = _meta(order_with_respect_to="nowhere")


def test_a_lazy_relation_gets_its_accessors_once_the_target_exists() -> None:
    with isolate_apps(f"tests.apps.{LABEL}"):

        class Step(models.Model):
            recipe = models.ForeignKey("Recipe", models.CASCADE)

            Meta = _meta(order_with_respect_to="recipe")

        class Recipe(models.Model):
            Meta = _meta()

    assert Step._meta.order_with_respect_to.name == "recipe"
    assert callable(getattr(Recipe, "get_step_order", None))
    assert callable(getattr(Recipe, "set_step_order", None))


def test_ordering_with_order_with_respect_to_is_models_e021() -> None:
    with isolate_apps(f"tests.apps.{LABEL}"):

        class Shelf(models.Model):
            Meta = _meta()

        class Book(models.Model):
            shelf = models.ForeignKey(Shelf, models.CASCADE)

            Meta = _meta(order_with_respect_to="shelf", ordering=["shelf"])

        class Ordered(models.Model):
            shelf = models.ForeignKey(Shelf, models.CASCADE)

            Meta = _meta(order_with_respect_to="shelf")

    def errors(model: Any) -> list[str]:
        return [error.id for error in model.check() if error.is_serious()]

    assert errors(Book) == ["models.E021"]
    assert errors(Ordered) == []


def test_insert_order_and_neighbours(ordered: SimpleNamespace) -> None:
    question = ordered.Question.objects.create(text="Beatles?")
    other = ordered.Question.objects.create(text="Stones?")
    for name in ("John", "Paul", "George", "Ringo"):
        ordered.Answer.objects.create(text=name, question=question)
    mick = ordered.Answer.objects.create(text="Mick", question=other)
    assert mick._order == 0
    assert _texts(question.answer_set.all()) == ["John", "Paul", "George", "Ringo"]
    assert [a._order for a in question.answer_set.all()] == [0, 1, 2, 3]
    john, paul, _george, ringo = question.answer_set.all()
    assert paul.get_next_in_order().text == "George"
    assert paul.get_previous_in_order().text == "John"
    with pytest.raises(ordered.Answer.DoesNotExist):
        ringo.get_next_in_order()
    with pytest.raises(ordered.Answer.DoesNotExist):
        john.get_previous_in_order()
    with pytest.raises(ordered.Answer.DoesNotExist):
        mick.get_next_in_order()


def test_a_new_row_goes_after_the_last_even_after_deletions(
    ordered: SimpleNamespace,
) -> None:
    first = ordered.Question.objects.create(text="a")
    second = ordered.Question.objects.create(text="b")
    one, two, three, four = (
        ordered.Answer.objects.create(text=text, question=first)
        for text in ("1", "2", "3", "4")
    )
    three.question = second
    three.save()
    one.delete()
    five = ordered.Answer.objects.create(text="5", question=first)
    assert list(first.answer_set.all()) == [two, four, five]
    assert five._order == 4


def test_get_and_set_order_on_the_related_model(ordered: SimpleNamespace) -> None:
    question = ordered.Question.objects.create(text="q")
    other = ordered.Question.objects.create(text="other")
    answers = [
        ordered.Answer.objects.create(text=text, question=question)
        for text in ("a", "b", "c")
    ]
    stray = ordered.Answer.objects.create(text="stray", question=other)
    assert list(question.get_answer_order()) == [a.pk for a in answers]
    wanted = [answers[2].pk, answers[0].pk, answers[1].pk, stray.pk]
    with CaptureQueriesContext(connection) as seen:
        question.set_answer_order(wanted)
    assert sum(q["sql"].lstrip().upper().startswith("UPDATE") for q in seen) == 1
    assert list(question.get_answer_order()) == wanted[:3]
    assert _texts(question.answer_set.all()) == ["c", "a", "b"]
    assert ordered.Answer.objects.get(pk=stray.pk)._order == 0
    question.set_answer_order([])
    assert list(question.get_answer_order()) == wanted[:3]


def test_recursive_and_null_relations(ordered: SimpleNamespace) -> None:
    top_one = ordered.Post.objects.create(title="1")
    top_two = ordered.Post.objects.create(title="2")
    child_one = ordered.Post.objects.create(title="1.1", parent=top_one)
    ordered.Post.objects.create(title="2.1", parent=top_two)
    child_two = ordered.Post.objects.create(title="1.2", parent=top_one)
    assert (top_one._order, top_two._order) == (0, 1)
    assert list(top_one.get_post_order()) == [child_one.pk, child_two.pk]
    assert top_one.get_next_in_order() == top_two
    assert child_one.get_next_in_order() == child_two


def test_an_update_keeps_the_order(ordered: SimpleNamespace) -> None:
    question = ordered.Question.objects.create(text="q")
    first = ordered.Answer.objects.create(text="a", question=question)
    ordered.Answer.objects.create(text="b", question=question)
    first.text = "A"
    first.save()
    first.refresh_from_db()
    assert first._order == 0


async def test_async_save_sets_the_order(ordered: SimpleNamespace) -> None:
    question = await ordered.Question.objects.acreate(text="q")
    first = await ordered.Answer.objects.acreate(text="a", question=question)
    second = ordered.Answer(text="b", question=question)
    await second.asave()
    assert (first._order, second._order) == (0, 1)
    texts = [a.text async for a in question.answer_set.all()]
    assert texts == ["a", "b"]
    pks = [pk async for pk in question.get_answer_order()]
    assert pks == [first.pk, second.pk]


def test_generic_foreign_key_ordering(database: Any) -> None:
    with isolate_apps(f"tests.apps.{LABEL}"):

        class Topic(models.Model):
            title = models.CharField(max_length=50)
            notes = GenericRelation("Note")

            Meta = _meta()

        class Note(models.Model):
            text = models.CharField(max_length=50)
            # No constraint: the isolated registry cannot see the global table.
            content_type = models.ForeignKey(
                ContentType, models.CASCADE, db_constraint=False
            )
            object_id = models.PositiveIntegerField()
            topic = GenericForeignKey()

            Meta = _meta(order_with_respect_to="topic")

        database.create_models(ContentType, Topic, Note)
        ContentType.objects.clear_cache()
        first, second = (Topic.objects.create(title=t) for t in ("1", "2"))
        notes = [Note.objects.create(text=t, topic=first) for t in ("a", "b", "c")]
        elsewhere = Note.objects.create(text="x", topic=second)
        assert Note._meta.order_with_respect_to.name == "topic"
        assert [n._order for n in notes] == [0, 1, 2]
        assert elsewhere._order == 0
        assert notes[0].get_next_in_order() == notes[1]
        assert list(first.get_note_order()) == [n.pk for n in notes]
        first.set_note_order([notes[2].pk, notes[1].pk, notes[0].pk, elsewhere.pk])
        assert [n.text for n in first.notes.all()] == ["c", "b", "a"]
        assert Note.objects.get(pk=elsewhere.pk)._order == 0
        ContentType.objects.clear_cache()


def test_full_clean_accepts_an_unsaved_row_without_order(
    ordered: SimpleNamespace,
) -> None:
    question = ordered.Question.objects.create(text="q")
    answer = ordered.Answer(text="a", question=question)
    answer.full_clean()
    answer.save()
    assert answer._order == 0
