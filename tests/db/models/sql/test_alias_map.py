"""Query.alias_map: which tables a compiled query reads and how they are joined."""

from __future__ import annotations

from typing import Any

from manouche.db.models import Q
from manouche.db.models.sql.constants import INNER, LOUTER
from manouche.db.models.sql.datastructures import BaseTable, Join
from tests.db.models.modelapp.models import Book


def _joins(queryset: Any) -> dict[str, str]:
    return {
        entry.path: entry.join_type
        for entry in queryset.query.alias_map.values()
        if isinstance(entry, Join)
    }


def test_a_query_without_relations_reads_only_its_table(mdb: Any) -> None:
    entries = list(Book.objects.filter(title="x").query.alias_map.values())
    assert entries == [BaseTable("modelapp_book", "modelapp_book")]


def test_required_relations_join_inner_and_nullable_ones_left_outer(mdb: Any) -> None:
    either = Book.objects.filter(Q(author__name="a") | Q(publisher__name="p"))
    assert _joins(either) == {"author": INNER, "publisher": LOUTER}
    # As in the FROM clause: a filter rejecting NULL makes a nullable one INNER.
    queryset = Book.objects.filter(author__name="a", publisher__name="p")
    assert _joins(queryset) == {"author": INNER, "publisher": INNER}
    join = next(e for e in queryset.query.alias_map.values() if isinstance(e, Join))
    assert join.table_name == "modelapp_author"
    assert not join.nullable
