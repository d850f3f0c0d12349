"""manouche.utils.choices: the normalisation model and form fields share."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from manouche import forms
from manouche.db import models
from manouche.utils.choices import (
    BaseChoiceIterator,
    BlankChoiceIterator,
    CallableChoiceIterator,
    flatten_choices,
    normalize_choices,
)

SUITS = [("C", "Club"), ("D", "Diamond")]
MEDIA = [("Audio", [("cd", "CD")]), ("other", "Other")]


class Numbers(BaseChoiceIterator):
    def __iter__(self) -> Iterator[Any]:
        return ((i, f"#{i}") for i in range(1, 4))


def test_iterator_without_iter_says_what_is_missing() -> None:
    with pytest.raises(NotImplementedError, match="must implement __iter__"):
        iter(BaseChoiceIterator())


def test_iterator_equals_the_pairs_it_yields() -> None:
    assert Numbers() == [(1, "#1"), (2, "#2"), (3, "#3")]
    # The list on the left: equality must hold from both sides.
    assert [(1, "#1"), (2, "#2"), (3, "#3")] == Numbers()  # noqa: SIM300
    assert Numbers() != [(1, "#1"), (2, "#2")]
    assert Numbers() != [(1, "#1"), (2, "#2"), (3, "#3"), None]
    assert Numbers() != "abc"


def test_iterator_indexing() -> None:
    assert Numbers()[0] == (1, "#1")
    assert Numbers()[-1] == (3, "#3")
    for index in (4, -4):
        with pytest.raises(IndexError, match="index out of range"):
            Numbers()[index]


def test_callable_is_called_at_iteration_not_before() -> None:
    calls: list[int] = []

    def get_choices() -> dict[str, str]:
        calls.append(1)
        return dict(SUITS)

    result = normalize_choices(get_choices)
    assert isinstance(result, CallableChoiceIterator)
    assert calls == []
    assert result == SUITS
    assert calls == [1]


@pytest.mark.parametrize(
    "choices",
    [
        dict(SUITS),
        SUITS,
        [list(pair) for pair in SUITS],
        iter(SUITS),
    ],
    ids=["mapping", "pairs", "lists", "iterator"],
)
def test_shapes_become_pairs(choices: Any) -> None:
    assert normalize_choices(choices) == SUITS


def test_groups_are_normalised_one_level_deep() -> None:
    nested = {"Audio": {"cd": "CD"}, "other": "Other"}
    assert normalize_choices(nested) == MEDIA
    assert normalize_choices(lambda: [("Audio", lambda: {"cd": "CD"}), MEDIA[1]]) == (
        MEDIA
    )
    deeper = [("Group", [("Value", {"a": "b"})])]
    assert normalize_choices(deeper) == deeper


def test_enumeration_gives_its_choices() -> None:
    class Medal(models.TextChoices):
        GOLD = "G", "Gold"

    assert normalize_choices(Medal) == [("G", "Gold")]


@pytest.mark.parametrize(
    "value",
    [None, 123, "invalid", b"x", ["ab"], [123], [("v",)], [("v", "l", "x")]],
)
def test_values_it_cannot_read_come_back_unmodified(value: Any) -> None:
    # The model checks (fields.E004/E005) report these; they must see them.
    assert normalize_choices(value) == value


def test_flatten_opens_groups_lazily() -> None:
    result = flatten_choices(MEDIA)
    assert isinstance(result, Iterator)
    assert list(result) == [("cd", "CD"), ("other", "Other")]
    assert list(flatten_choices(None)) == []


def test_blank_choice_added_only_when_no_blank_exists() -> None:
    assert list(BlankChoiceIterator(SUITS, [("", "---")])) == [("", "---"), *SUITS]
    with_blank = [("", "None"), *SUITS]
    assert list(BlankChoiceIterator(with_blank, [("", "---")])) == with_blank


def test_model_and_form_fields_share_the_normalisation() -> None:
    field = models.CharField(max_length=1, choices=lambda: SUITS)
    assert isinstance(field.choices, CallableChoiceIterator)
    assert field.flatchoices == SUITS
    assert field.deconstruct()[3]["choices"] == SUITS
    assert forms.CallableChoiceIterator is CallableChoiceIterator
    assert forms.ChoiceField(choices=dict(SUITS)).choices == SUITS
