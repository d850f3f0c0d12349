"""Which setting changes make ContentType's cache forget what it knows."""

from __future__ import annotations

from typing import Any

from manouche.contrib.contenttypes.models import ContentType
from manouche.test.utils import CaptureQueriesContext, override_settings
from tests.contrib.contenttypes.genericapp.models import Bookmark
from tests.db.conftest import DatabaseFixture


class _WriteElsewhere:
    def db_for_write(self, model: Any, **hints: Any) -> str:
        return "other"


def test_changing_the_routers_keeps_the_cached_types(tables: DatabaseFixture) -> None:
    bookmark_type = ContentType.objects.get_for_model(Bookmark)
    with (
        override_settings(DATABASE_ROUTERS=[_WriteElsewhere()]),
        CaptureQueriesContext(tables.connection) as queries,
    ):
        assert ContentType.objects.get_for_model(Bookmark) == bookmark_type
    assert len(queries) == 0
