"""Generated row builders store values exactly as ``__dict__`` writes would.

Plain attribute stores are only generated where they cannot run user code:
a data descriptor (e.g. a property with a setter) or a custom ``__setattr__``
must never see the values of a fetched row.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from manouche.db.models._row_builder import rows_builder


class _Guarded:
    """A data descriptor that records writes (a builder must bypass it)."""

    def __init__(self) -> None:
        self.writes: list[Any] = []

    def __get__(self, instance: Any, owner: Any = None) -> Any:
        if instance is None:
            return self
        return instance.__dict__["guarded"]

    def __set__(self, instance: Any, value: Any) -> None:
        self.writes.append(value)


def _model(**attributes: Any) -> Any:
    return type("Fake", (), {"_meta": SimpleNamespace(), **attributes})


def test_data_descriptor_is_bypassed() -> None:
    guard = _Guarded()
    model = _model(guarded=guard)
    (obj,) = rows_builder(model, ["id", "guarded"], whole_row=True)([(1, "v")], "db")
    assert guard.writes == []
    assert obj.__dict__ == {"id": 1, "guarded": "v", "_state_db": "db"}


def test_custom_setattr_is_bypassed() -> None:
    calls: list[str] = []

    def setattr_(self: Any, name: str, value: Any) -> None:
        calls.append(name)

    model = _model(__setattr__=setattr_)
    (obj,) = rows_builder(model, ["id", "name"], whole_row=True)([(1, "a")], "db")
    assert calls == []
    assert obj.__dict__ == {"id": 1, "name": "a", "_state_db": "db"}


def test_inherited_setattr_is_bypassed() -> None:
    calls: list[str] = []

    class Base:
        def __setattr__(self, name: str, value: Any) -> None:
            calls.append(name)

    model = type("Fake", (Base,), {"_meta": SimpleNamespace()})
    (obj,) = rows_builder(model, ["id"], whole_row=True)([(3,)], "db")
    assert calls == []
    assert obj.__dict__ == {"id": 3, "_state_db": "db"}


def test_non_data_descriptor_is_shadowed_like_a_dict_write() -> None:
    model = _model(label=staticmethod(len))
    (obj,) = rows_builder(model, ["label"], whole_row=True)([("x",)], "db")
    assert obj.label == "x"
    assert obj.__dict__ == {"label": "x", "_state_db": "db"}
