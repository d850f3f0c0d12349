"""ProtectedError names each protecting relation as 'Model.field'."""

from __future__ import annotations

from typing import Any

import pytest

from manouche.db.models import ProtectedError
from tests.db.models.modelapp.models import Protected, Publisher


def test_the_message_names_the_relation_and_lists_the_objects(mdb: Any) -> None:
    press = Publisher.objects.create(name="p")
    first = Protected.objects.create(publisher=press)
    second = Protected.objects.create(publisher=press)
    message = (
        "Cannot delete some instances of model 'Publisher' because they are "
        "referenced through protected foreign keys: 'Protected.publisher'."
    )
    with pytest.raises(ProtectedError) as caught:
        press.delete()
    assert caught.value.args[0] == message
    assert caught.value.protected_objects == {first, second}
