"""Signal arguments: ``raw`` from save_base(raw=True), ``origin`` of deletions."""

from __future__ import annotations

from typing import Any

from manouche.db.models import signals
from tests.db.models.modelapp.models import Author, Book


class Recorder:
    """Connect to signals for a block and record (signal, sender, kwargs)."""

    def __init__(self, *pairs: tuple[Any, Any]) -> None:
        self.pairs = pairs
        self.events: list[tuple[Any, Any, dict[str, Any]]] = []

    def __call__(self, sender: Any, **kwargs: Any) -> None:
        self.events.append((kwargs.pop("signal"), sender, kwargs))

    def __enter__(self) -> Recorder:
        for signal, sender in self.pairs:
            signal.connect(self, sender=sender, weak=False)
        return self

    def __exit__(self, *exc: object) -> None:
        for signal, sender in self.pairs:
            signal.disconnect(self, sender=sender)


def test_save_base_raw_sends_save_signals_with_raw_true(mdb):
    author = Author(name="From fixture")
    with Recorder((signals.pre_save, Author), (signals.post_save, Author)) as rec:
        author.save_base(raw=True)
    assert [(e[0], e[2]["raw"]) for e in rec.events] == [
        (signals.pre_save, True),
        (signals.post_save, True),
    ]
    assert rec.events[1][2]["created"] is True
    assert author.pk is not None
    assert Author.objects.get(pk=author.pk).name == "From fixture"
    # A second raw save updates the row, still with raw=True.
    author.name = "Renamed"
    with Recorder((signals.post_save, Author)) as rec:
        author.save_base(raw=True, using="default")
    assert rec.events[0][2]["raw"] is True
    assert rec.events[0][2]["created"] is False
    assert Author.objects.get(pk=author.pk).name == "Renamed"


def test_plain_save_sends_raw_false(mdb):
    with Recorder((signals.pre_save, Author)) as rec:
        Author.objects.create(name="x")
    assert rec.events[0][2]["raw"] is False


def test_instance_delete_reports_the_instance_as_origin(mdb):
    author = Author.objects.create(name="A")
    Book.objects.create(title="B1", author=author)
    pairs = [
        (signal, model)
        for signal in (signals.pre_delete, signals.post_delete)
        for model in (Author, Book)
    ]
    with Recorder(*pairs) as rec:
        author.delete()
    assert len(rec.events) == 4
    assert {e[1] for e in rec.events} == {Author, Book}
    assert all(e[2]["origin"] is author for e in rec.events)


def test_queryset_delete_reports_the_queryset_as_origin(mdb):
    author = Author.objects.create(name="A")
    Book.objects.create(title="B1", author=author)
    queryset = Author.objects.filter(name="A")
    with Recorder((signals.pre_delete, Book), (signals.post_delete, Author)) as rec:
        queryset.delete()
    assert [e[1] for e in rec.events] == [Book, Author]
    assert all(e[2]["origin"] is queryset for e in rec.events)
