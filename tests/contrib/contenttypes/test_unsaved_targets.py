"""An unsaved object assigned to a GenericForeignKey is refused, not lost."""

from __future__ import annotations

import re

import pytest

from tests.contrib.contenttypes.genericapp.models import Bookmark, TaggedItem
from tests.db.conftest import DatabaseFixture


def test_save_refuses_an_unsaved_generic_target(tables: DatabaseFixture) -> None:
    item = TaggedItem(tag="x", content_object=Bookmark(title="unsaved"))
    message = "save() prohibited to prevent data loss due to unsaved related object"
    with pytest.raises(ValueError, match=re.escape(f"{message} 'content_object'.")):
        item.save()
    with pytest.raises(ValueError, match=r"^bulk_create\(\) prohibited"):
        TaggedItem.objects.bulk_create([item])
    assert not TaggedItem.objects.exists()
