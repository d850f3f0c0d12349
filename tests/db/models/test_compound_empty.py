"""A union/intersection/difference that can have no row is not sent."""

from __future__ import annotations

from typing import Any

from manouche.test.utils import CaptureQueriesContext
from tests.db.models.modelapp.models import Author


def test_union_of_empty_members_sends_nothing(mdb: Any) -> None:
    Author.objects.create(name="Ann")
    empty = Author.objects.filter(pk__in=[])
    with CaptureQueriesContext(mdb.connection) as queries:
        assert list(empty.union(empty)) == []
        assert list(empty.union(empty, all=True)[:5]) == []
    assert len(queries) == 0


def test_a_member_with_rows_is_still_asked(mdb: Any) -> None:
    ann = Author.objects.create(name="Ann")
    empty = Author.objects.filter(pk__in=[])
    every = Author.objects.all()
    assert list(empty.union(every)) == [ann]
    features = mdb.connection.features
    if features.supports_select_difference:
        assert list(every.difference(empty)) == [ann]
        with CaptureQueriesContext(mdb.connection) as queries:
            assert list(empty.difference(every)) == []
        assert len(queries) == 0
    if features.supports_select_intersection:
        with CaptureQueriesContext(mdb.connection) as queries:
            assert list(every.intersection(empty)) == []
        assert len(queries) == 0
