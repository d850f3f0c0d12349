"""F("name")[...]: substrings with Python slice semantics, composed before SQL."""

from __future__ import annotations

from typing import Any

import pytest

from manouche.db import NotSupportedError
from manouche.db.models import F
from manouche.db.models.functions import Upper
from tests.db.models.modelapp.models import Author


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        (F("name")[:3], "Exa"),
        (F("name")[8:], "Inc."),
        (F("name")[2:7], "ample"),
        (F("name")[0], "E"),
        (F("name")[13], ""),
        (F("name")[1:][:3], "xam"),
        (F("name")[2:2], ""),
    ],
)
def test_slices_select_substrings(mdb: Any, expression: Any, expected: str) -> None:
    Author.objects.create(name="Example Inc.")
    assert Author.objects.annotate(part=expression).get().part == expected


def test_slices_apply_to_annotations_and_updates(mdb: Any) -> None:
    author = Author.objects.create(name="lowercase")
    loud = Author.objects.annotate(loud=Upper("name")).annotate(head=F("loud")[:4])
    assert loud.get().head == "LOWE"
    Author.objects.update(name=F("name")[5:])
    author.refresh_from_db()
    assert author.name == "case"


@pytest.mark.parametrize(
    ("subscript", "error", "message"),
    [
        (slice(0, -4), ValueError, "Negative indexing is not supported."),
        (-5, ValueError, "Negative indexing is not supported."),
        (slice(4, 2), ValueError, "Slice stop must be greater than slice start."),
        (slice(None, None, 4), ValueError, "Step argument is not supported."),
        ("x", TypeError, "Argument to slice must be either int or slice instance."),
    ],
)
def test_bad_subscripts_are_refused(
    subscript: Any, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message.replace(".", "\\.")):
        F("name")[subscript]


def test_non_text_fields_refuse_slicing(mdb: Any) -> None:
    Author.objects.create(name="a", age=3)
    with pytest.raises(NotSupportedError, match="does not support slicing"):
        list(Author.objects.annotate(x=F("age")[:1]))


def test_f_is_not_iterable() -> None:
    with pytest.raises(TypeError, match="'F' object is not iterable"):
        iter(F("name"))
