"""Fields of installed models pickle as references; copies stay copies."""

from __future__ import annotations

import copy
import pickle

from manouche.db import models
from manouche.test.utils import isolate_apps
from tests.db.models.modelapp.models import Everything

with isolate_apps("tests.db.models.fields.fieldsapp"):

    class Loose(models.Model):
        label = models.CharField(max_length=5)

        class Meta:
            app_label = "fieldsapp"


def test_a_models_field_unpickles_as_the_same_field() -> None:
    field = Everything._meta.get_field("data")
    assert pickle.loads(pickle.dumps(field)) is field
    both = pickle.loads(pickle.dumps([field, Everything._meta.get_field("amount")]))
    assert both[0] is field
    assert both[1] is Everything._meta.get_field("amount")


def test_copying_a_models_field_gives_a_new_field() -> None:
    field = Everything._meta.get_field("data")
    shallow = copy.copy(field)
    deep = copy.deepcopy(field)
    assert shallow is not field
    assert deep is not field
    assert (shallow.name, shallow.model) == (field.name, field.model)
    assert deep.name == field.name


def test_unbound_and_unregistered_fields_pickle_by_value() -> None:
    loose = models.CharField(max_length=7)
    again = pickle.loads(pickle.dumps(loose))
    assert again is not loose
    assert again.max_length == 7
    label = Loose._meta.get_field("label")
    restored = pickle.loads(pickle.dumps(label))
    assert restored is not label
    assert (restored.name, restored.max_length) == ("label", 5)
