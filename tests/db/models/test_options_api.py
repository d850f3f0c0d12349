"""Options.get_fields() is shared and immutable; the module's public constants."""

from __future__ import annotations

import re

import pytest

from manouche.db.models.options import EMPTY_RELATION_TREE, IMMUTABLE_WARNING
from tests.db.models.modelapp.models import Author


def test_get_fields_result_refuses_changes() -> None:
    fields = Author._meta.get_fields()
    with pytest.raises(AttributeError, match="get_fields\\(\\) is cached and shared"):
        fields += ["x"]  # type: ignore[operator]
    with pytest.raises(AttributeError, match="must not be changed"):
        fields.append("x")  # type: ignore[attr-defined]
    message = re.escape(IMMUTABLE_WARNING % "get_fields()")
    with pytest.raises(AttributeError, match=f"^{message}$"):
        fields.sort()  # type: ignore[attr-defined]


def test_the_empty_relation_tree_is_empty_and_immutable() -> None:
    assert len(EMPTY_RELATION_TREE) == 0
    with pytest.raises(AttributeError):
        EMPTY_RELATION_TREE.append(1)
