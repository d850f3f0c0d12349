"""A failed save() inside atomic() breaks the block, as Django users expect."""

from __future__ import annotations

import inspect
from typing import Any

import pytest

from manouche.db import IntegrityError, transaction
from manouche.db.models import QuerySet
from manouche.db.transaction import TransactionManagementError
from tests.db.models.modelapp.models import Author, Publisher


def test_queries_after_a_failed_save_are_refused(mdb: Any) -> None:
    Publisher.objects.create(name="taken")
    with transaction.atomic():
        with pytest.raises(IntegrityError):
            Publisher(name="taken").save()
        with pytest.raises(TransactionManagementError) as caught:
            Author.objects.create(name="later")
    assert isinstance(caught.value.__cause__, IntegrityError)
    assert not Author.objects.exists()
    assert Publisher.objects.count() == 1


def test_a_failed_save_in_a_savepoint_leaves_the_outer_block_usable(
    mdb: Any,
) -> None:
    Publisher.objects.create(name="taken")
    with transaction.atomic():
        with pytest.raises(IntegrityError), transaction.atomic():
            Publisher(name="taken").save()
        Author.objects.create(name="later")
    assert Author.objects.count() == 1


def test_manager_methods_show_the_queryset_parameters() -> None:
    signature = inspect.signature(Author.objects.bulk_create)
    assert str(signature) == str(
        inspect.signature(QuerySet.bulk_create).replace(
            parameters=[
                p.replace(annotation=inspect.Parameter.empty)
                for p in inspect.signature(QuerySet.bulk_create).parameters.values()
            ][1:],
            return_annotation=inspect.Signature.empty,
        )
    )
    assert "objs, batch_size=None" in str(signature)
    assert Author.objects.count.__doc__ == QuerySet.count.__doc__
