"""Lookups registered on one field instance, and the class-lookup cache."""

from __future__ import annotations

from manouche.db import models
from manouche.db.models.lookups import StartsWith
from manouche.test.utils import register_lookup
from tests.db.models.modelapp.models import Book


class _Prefixed(StartsWith):
    lookup_name = "prefixed"


def test_instance_lookups_register_and_unregister() -> None:
    title = Book._meta.get_field("title")
    other = Book._meta.get_field("status")
    with register_lookup(title, _Prefixed):
        assert title.get_lookup("prefixed") is _Prefixed
        assert other.get_lookup("prefixed") is None
    assert title.get_lookup("prefixed") is None


def test_class_lookup_cache_is_cleared_by_registration() -> None:
    title = Book._meta.get_field("title")
    title.get_class_lookups.cache_clear()
    assert "prefixed" not in title.get_lookups()
    with register_lookup(models.CharField, _Prefixed):
        assert "prefixed" in title.get_lookups()
        assert models.CharField.get_class_lookups()["prefixed"] is _Prefixed
    assert "prefixed" not in title.get_lookups()
