from __future__ import annotations

import copy
import pickle

import pytest

from manouche.utils.functional import (
    Promise,
    SimpleLazyObject,
    cached_property,
    classproperty,
    keep_lazy_text,
    lazy,
    lazystr,
)


def test_cached_property_computes_once_per_instance():
    class Thing:
        calls = 0

        @cached_property
        def value(self):
            Thing.calls += 1
            return Thing.calls

    thing = Thing()
    assert (thing.value, thing.value) == (1, 1)
    assert Thing().value == 2
    del thing.value
    assert thing.value == 3


def test_cached_property_refuses_two_names():
    def getter(self):
        return 1

    prop = cached_property(getter)
    with pytest.raises(
        (RuntimeError, TypeError)
    ) as excinfo:  # 3.11 wraps in RuntimeError
        type("Twice", (), {"a": prop, "b": prop})
    assert "Cannot assign the same cached_property to two different names" in str(
        excinfo.value.__cause__ or excinfo.value
    )


def test_classproperty_reads_from_the_class():
    class Config:
        name = "x"

        @classproperty
        def upper(cls):
            return cls.name.upper()

    assert Config.upper == "X"


def test_lazy_evaluates_on_each_use_and_behaves_like_its_result():
    calls = []

    def compute():
        calls.append(1)
        return "hello"

    value = lazy(compute, str)()
    assert calls == []
    assert isinstance(value, Promise)
    assert str(value) == "hello"
    assert value.upper() == "HELLO"
    assert value == "hello"
    assert value + "!" == "hello!"
    assert len(calls) == 4


def test_lazy_values_pickle_and_deepcopy():
    value = lazystr("text")
    assert str(pickle.loads(pickle.dumps(value))) == "text"
    assert copy.deepcopy(value) is value


def test_keep_lazy_text_stays_lazy_only_for_lazy_arguments():
    @keep_lazy_text
    def shout(text):
        return str(text).upper()

    assert shout("a") == "A"
    result = shout(lazystr("b"))
    assert isinstance(result, Promise)
    assert str(result) == "B"


def test_simple_lazy_object_builds_on_first_use():
    built = []

    def build():
        built.append(1)
        return {"key": "value"}

    lazy_dict = SimpleLazyObject(build)
    assert built == []
    assert lazy_dict["key"] == "value"
    assert isinstance(lazy_dict, dict)
    assert len(lazy_dict) == 1
    assert built == [1]
    assert "SimpleLazyObject" in repr(lazy_dict)


def test_simple_lazy_object_copies_unevaluated():
    lazy_list = SimpleLazyObject(lambda: [1, 2])
    copied = copy.copy(lazy_list)
    assert list(copied) == [1, 2]
    assert pickle.loads(pickle.dumps(lazy_list)) == [1, 2]
