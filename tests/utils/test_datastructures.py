from __future__ import annotations

import copy
import pickle

import pytest

from manouche.utils.datastructures import (
    CaseInsensitiveMapping,
    ImmutableList,
    MultiValueDict,
    MultiValueDictKeyError,
    OrderedSet,
)


def test_multivaluedict_returns_last_value_and_keeps_lists():
    data = MultiValueDict({"name": ["Adrian", "Simon"], "position": ["Developer"]})
    assert data["name"] == "Simon"
    assert data.getlist("name") == ["Adrian", "Simon"]
    assert data.get("missing", "default") == "default"
    assert data.getlist("missing") == []
    assert list(data.items()) == [("name", "Simon"), ("position", "Developer")]
    assert dict(data.lists()) == {
        "name": ["Adrian", "Simon"],
        "position": ["Developer"],
    }


def test_multivaluedict_missing_key_error_names_the_key():
    with pytest.raises(MultiValueDictKeyError, match="'missing'"):
        MultiValueDict()["missing"]


def test_multivaluedict_update_extends_lists():
    data = MultiValueDict({"a": ["1"]})
    data.update({"a": "2"}, b="3")
    data.update(MultiValueDict({"a": ["4", "5"]}))
    assert data.getlist("a") == ["1", "2", "4", "5"]
    assert data["b"] == "3"


def test_multivaluedict_copies_are_independent():
    data = MultiValueDict({"a": ["1"]})
    shallow = data.copy()
    shallow.appendlist("a", "2")
    assert data.getlist("a") == ["1"]
    deep = copy.deepcopy(data)
    deep.getlist("a").append("x")
    assert data.getlist("a") == ["1"]
    assert pickle.loads(pickle.dumps(data)).getlist("a") == ["1"]


def test_immutable_list_refuses_changes_with_its_warning():
    items = ImmutableList([1, 2], warning="Read only!")
    with pytest.raises(AttributeError, match="Read only!"):
        items.append(3)
    with pytest.raises(AttributeError, match="Read only!"):
        items[0] = 5


def test_case_insensitive_mapping_keeps_original_case():
    headers = CaseInsensitiveMapping({"Content-Type": "text/html"})
    assert headers["content-type"] == "text/html"
    assert list(headers) == ["Content-Type"]
    assert headers == {"CONTENT-TYPE": "text/html"}


def test_case_insensitive_mapping_rejects_bad_pairs():
    with pytest.raises(ValueError, match="has length 3; 2 is required"):
        CaseInsensitiveMapping([("a", "b", "c")])


def test_ordered_set_keeps_insertion_order():
    items = OrderedSet([3, 1, 3, 2])
    items.add(0)
    items.discard(1)
    assert list(items) == [3, 2, 0]
    assert list(reversed(items)) == [0, 2, 3]
    assert repr(items) == "OrderedSet([3, 2, 0])"


def test_multivaluedict_get_defaults_for_missing_and_empty_lists():
    data = MultiValueDict({"empty": [], "nested": [[]], "one": ["x"]})
    assert data.get("missing", "d") == "d"
    assert data.get("empty", "d") == "d"
    assert data.get("nested", "d") == "d"  # a last value of [] counts as none
    assert data.get("one") == "x"


def test_multivaluedict_get_goes_through_an_overridden_getitem():
    class Upper(MultiValueDict):
        def __getitem__(self, key: str) -> object:
            return str(super().__getitem__(key)).upper()

    data = Upper({"name": ["adrian"]})
    assert data.get("name") == "ADRIAN"
    assert data.get("missing", "d") == "d"
