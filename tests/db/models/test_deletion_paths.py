"""Deletion and multi-table saving: restricted rows reached by a cascade, diamonds."""

from __future__ import annotations

from typing import Any

import pytest

from manouche.db import connection, models
from manouche.db.models.deletion import Collector, RestrictedError
from manouche.test.utils import CaptureQueriesContext, isolate_apps
from tests.db.models.modelapp.models import Author, Note, Place, Restaurant

_STATEMENTS = {"SELECT", "INSERT", "UPDATE", "DELETE"}


def _statements(queries: CaptureQueriesContext) -> list[str]:
    """The data statements run (transaction control left out)."""
    words = [q["sql"].split()[0].upper() for q in queries]
    return [word for word in words if word in _STATEMENTS]


def test_restricted_rows_deleted_through_a_cascade_are_allowed(database: Any) -> None:
    with isolate_apps("tests.apps.custom_label"):

        class Top(models.Model):
            class Meta:
                app_label = "custom_label"

        class Middle(models.Model):
            top = models.ForeignKey(Top, models.CASCADE)

            class Meta:
                app_label = "custom_label"

        class Bottom(models.Model):
            middle = models.ForeignKey(Middle, models.RESTRICT)
            top = models.ForeignKey(Top, models.CASCADE)

            class Meta:
                app_label = "custom_label"

        database.create_models(Top, Middle, Bottom)
        top = Top.objects.create()
        middle = Middle.objects.create(top=top)
        bottom = Bottom.objects.create(middle=middle, top=top)
        message = (
            "Cannot delete some instances of model 'Middle' because they are "
            "referenced through restricted foreign keys: 'Bottom.middle'."
        )
        with pytest.raises(RestrictedError, match=message) as caught:
            middle.delete()
        assert caught.value.restricted_objects == {bottom}
        # Bottom goes anyway through Top's cascade (a fast delete).
        top.delete()
        assert not Bottom.objects.exists()
        assert not Middle.objects.exists()


def test_multi_table_child_deletes_parent_without_reading_it(mdb: Any) -> None:
    child = Restaurant.objects.create(name="r")
    Place.objects.create(name="kept")
    with CaptureQueriesContext(connection) as queries:
        child.delete()
    assert _statements(queries) == ["DELETE", "DELETE"]
    assert list(Place.objects.values_list("name", flat=True)) == ["kept"]


def test_instances_can_be_checked_for_fast_delete(mdb: Any) -> None:
    author = Author.objects.create(name="a")
    assert Collector(using="default").can_fast_delete(Note(body="n")) is True
    assert Collector(using="default").can_fast_delete(author) is False


def test_diamond_saves_common_ancestor_once(database: Any) -> None:
    with isolate_apps("tests.apps.custom_label"):

        class Ancestor(models.Model):
            name = models.CharField(max_length=10, default="")

            class Meta:
                app_label = "custom_label"

        class Left(Ancestor):
            left_ptr = models.OneToOneField(Ancestor, models.CASCADE, parent_link=True)

            class Meta:
                app_label = "custom_label"

        class Right(Ancestor):
            right_ptr = models.OneToOneField(Ancestor, models.CASCADE, parent_link=True)

            class Meta:
                app_label = "custom_label"

        class Both(Left, Right):
            both_left = models.OneToOneField(Left, models.CASCADE, parent_link=True)
            both_right = models.OneToOneField(Right, models.CASCADE, parent_link=True)

            class Meta:
                app_label = "custom_label"

        database.create_models(Ancestor, Left, Right, Both)
        with CaptureQueriesContext(connection) as queries:
            both = Both.objects.create(name="d")
        assert _statements(queries) == ["INSERT"] * 4
        assert Ancestor.objects.count() == 1
        both.save()
        assert Ancestor.objects.get().name == "d"


def test_relation_cached_on_a_parent_row_is_reused(database: Any) -> None:
    with isolate_apps("tests.apps.custom_label"):

        class Spot(models.Model):
            class Meta:
                app_label = "custom_label"

        class Base(models.Model):
            spot = models.ForeignKey(Spot, models.CASCADE)

            class Meta:
                app_label = "custom_label"

        class Child(Base):
            class Meta:
                app_label = "custom_label"

        database.create_models(Spot, Base, Child)
        spot = Spot.objects.create()
        Child.objects.create(spot=spot)
        base = Base.objects.get()
        assert base.spot == spot
        child = base.child
        with CaptureQueriesContext(connection) as queries:
            assert child.spot is base.spot
        assert len(queries) == 0
