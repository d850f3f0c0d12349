"""select_related() of a multi-table child from its parent reads the parent's
columns from the parent row already selected (no second join to it)."""

from __future__ import annotations

from typing import Any

import pytest

from manouche.test.utils import CaptureQueriesContext
from tests.db.models.modelapp.models import Place, Restaurant


def test_child_reached_from_parent_shares_the_parent_row(mdb: Any) -> None:
    Restaurant.objects.create(name="Luigi", address="1 Main St", serves_pizza=True)
    Place.objects.create(name="Park")
    queryset = Place.objects.select_related("restaurant").order_by("name")
    assert str(queryset.query).count("JOIN") == 1
    with CaptureQueriesContext(mdb.connection) as queries:
        luigi, park = list(queryset)
        assert luigi.restaurant.name == "Luigi"
        assert luigi.restaurant.address == "1 Main St"
        assert luigi.restaurant.serves_pizza is True
        assert luigi.restaurant.pk == luigi.pk
    assert len(queries) == 1
    with pytest.raises(Restaurant.DoesNotExist):
        park.restaurant  # noqa: B018 (the access is the test)
