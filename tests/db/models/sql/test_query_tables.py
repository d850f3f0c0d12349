"""Query.alias_map, alias_refcount and count_active_tables describe the
tables the compiled SELECT reads."""

from __future__ import annotations

from typing import Any

from manouche.db.models import Q
from manouche.db.models.sql.constants import LOUTER
from tests.db.models.modelapp.models import Author, Book


def test_one_filter_call_reads_one_join_per_relation(mdb: Any) -> None:
    one_call = Author.objects.filter(books__title="x", books__pages=1).query
    assert one_call.count_active_tables() == 2
    chained = Author.objects.filter(books__title="x").filter(books__pages=1)
    assert chained.query.count_active_tables() == 3
    assert Author.objects.all().query.count_active_tables() == 1


def test_every_listed_alias_is_referenced(mdb: Any) -> None:
    query = Book.objects.filter(Q(author__name="a") | Q(publisher__name="p")).query
    assert query.alias_refcount == dict.fromkeys(query.alias_map, 1)
    outer = [
        join.table_alias
        for join in query.alias_map.values()
        if getattr(join, "join_type", None) == LOUTER
    ]
    # Books always have an author: only the publisher join stays outer.
    assert len(outer) == 1
    assert outer[0].startswith("modelapp_publisher")
