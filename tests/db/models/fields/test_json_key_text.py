"""KT() and KeyTransformTextLookupMixin: JSON keys read as text."""

from __future__ import annotations

from typing import Any

import pytest

from manouche.db.models import F, Transform
from manouche.db.models.fields.json import (
    KT,
    KeyTextTransform,
    KeyTransform,
    KeyTransformTextLookupMixin,
)
from manouche.db.models.lookups import Exact
from tests.db.models.modelapp.models import Everything


def test_kt_builds_the_key_path() -> None:
    transform = KT("data__owner__name")
    assert isinstance(transform, KeyTextTransform)
    assert transform.key_name == "name"
    inner = transform.source_expressions[0]
    assert isinstance(inner, KeyTransform)
    assert inner.key_name == "owner"
    assert inner.source_expressions[0] == F("data")


@pytest.mark.parametrize("lookup", ["data", ""])
def test_kt_needs_a_key(lookup: str) -> None:
    with pytest.raises(
        ValueError, match="Lookup must contain key or index transforms."
    ):
        KT(lookup)


def test_kt_annotations_filter_as_text(mdb: Any) -> None:
    Everything.objects.create(data={"owner": {"name": "Bart"}})
    Everything.objects.create(data={"owner": {"name": "Lisa"}})
    names = Everything.objects.annotate(owner=KT("data__owner__name"))
    assert [e.owner for e in names.filter(owner__contains="ar")] == ["Bart"]


def test_text_lookup_mixin_requires_a_key_transform() -> None:
    class KeyTextExact(KeyTransformTextLookupMixin, Exact):
        pass

    with pytest.raises(TypeError, match="should be an instance of KeyTransform"):
        KeyTextExact(Transform("data"), "x")
    lookup = KeyTextExact(KeyTransform("k", F("data")), "x")
    assert isinstance(lookup.lhs, KeyTextTransform)
