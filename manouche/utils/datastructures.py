"""Container types used across the framework: multi-value dicts and friends."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator, Mapping, MutableSet
from typing import Any, TypeVar

__all__ = [
    "CaseInsensitiveMapping",
    "DictWrapper",
    "ImmutableList",
    "MultiValueDict",
    "MultiValueDictKeyError",
    "OrderedSet",
]

T = TypeVar("T")


class OrderedSet(MutableSet[T]):
    """A set that remembers insertion order."""

    def __init__(self, iterable: Iterable[T] | None = None) -> None:
        self.dict: dict[T, None] = dict.fromkeys(iterable or ())

    def add(self, item: T) -> None:
        self.dict[item] = None

    def remove(self, item: T) -> None:
        del self.dict[item]

    def discard(self, item: T) -> None:
        self.dict.pop(item, None)

    def __iter__(self) -> Iterator[T]:
        return iter(self.dict)

    def __reversed__(self) -> Iterator[T]:
        return reversed(self.dict)

    def __contains__(self, item: object) -> bool:
        return item in self.dict

    def __bool__(self) -> bool:
        return bool(self.dict)

    def __len__(self) -> int:
        return len(self.dict)

    def __repr__(self) -> str:
        data = repr(list(self.dict)) if self.dict else ""
        return f"{type(self).__qualname__}({data})"


class MultiValueDictKeyError(KeyError):
    """A key is missing from a MultiValueDict."""


class MultiValueDict(dict[str, list[Any]]):
    """A dict of lists whose item access returns the last value of each list."""

    def __init__(self, key_to_list_mapping: Any = ()) -> None:
        super().__init__(key_to_list_mapping)

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {super().__repr__()}>"

    def __getitem__(self, key: str) -> Any:
        try:
            list_ = super().__getitem__(key)
        except KeyError:
            raise MultiValueDictKeyError(key)
        try:
            return list_[-1]
        except IndexError:
            return []

    def __setitem__(self, key: str, value: Any) -> None:
        super().__setitem__(key, [value])

    def __copy__(self) -> MultiValueDict:
        return self.__class__([(k, v[:]) for k, v in self.lists()])

    def __deepcopy__(self, memo: dict[int, Any]) -> MultiValueDict:
        result = self.__class__()
        memo[id(self)] = result
        for key, value in dict.items(self):
            dict.__setitem__(
                result, copy.deepcopy(key, memo), copy.deepcopy(value, memo)
            )
        return result

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_data": {k: self._getlist(k) for k in self}}

    def __setstate__(self, obj_dict: dict[str, Any]) -> None:
        data = obj_dict.pop("_data", {})
        for key, value in data.items():
            self.setlist(key, value)
        self.__dict__.update(obj_dict)

    def get(self, key: str, default: Any = None) -> Any:
        """Return the last value for ``key``, or ``default``."""
        if type(self).__getitem__ is _PLAIN_GETITEM:
            # self[key] without raising and catching for a missing key.
            values = dict.get(self, key)
            if not values:
                return default
            value = values[-1]
        else:
            try:
                value = self[key]
            except KeyError:
                return default
        if value == []:
            return default
        return value

    def _getlist(self, key: str, default: Any = None, force_list: bool = False) -> Any:
        try:
            values = super().__getitem__(key)
        except KeyError:
            if default is None:
                return []
            return default
        if force_list:
            values = list(values) if values is not None else None
        return values

    def getlist(self, key: str, default: Any = None) -> list[Any]:
        """Return the list of values for ``key`` (empty, or ``default``, if missing)."""
        return self._getlist(key, default, force_list=True)  # type: ignore[no-any-return]

    def setlist(self, key: str, list_: list[Any]) -> None:
        """Replace the values of ``key`` with ``list_``."""
        super().__setitem__(key, list_)

    def setdefault(self, key: str, default: Any = None) -> Any:
        """Set ``key`` to ``default`` if missing; return its value."""
        if key not in self:
            self[key] = default
        return self[key]

    def setlistdefault(
        self, key: str, default_list: list[Any] | None = None
    ) -> list[Any]:
        """Set the list of ``key`` to ``default_list`` if missing; return the list."""
        if key not in self:
            if default_list is None:
                default_list = []
            self.setlist(key, default_list)
        return self._getlist(key)  # type: ignore[no-any-return]

    def appendlist(self, key: str, value: Any) -> None:
        """Append ``value`` to the list of ``key``."""
        self.setlistdefault(key).append(value)

    def items(self) -> Iterator[tuple[str, Any]]:  # type: ignore[override]
        """Yield (key, last value) pairs."""
        for key in self:
            yield key, self[key]

    def lists(self) -> Iterator[tuple[str, list[Any]]]:
        """Yield (key, list of values) pairs."""
        return iter(super().items())

    def values(self) -> Iterator[Any]:  # type: ignore[override]
        """Yield the last value of each key."""
        for key in self:
            yield self[key]

    def copy(self) -> MultiValueDict:
        """Return a shallow copy."""
        return copy.copy(self)

    def update(self, *args: Any, **kwargs: Any) -> None:
        """Extend the lists rather than replace them."""
        if len(args) > 1:
            raise TypeError(f"update expected at most 1 argument, got {len(args)}")
        if args:
            arg = args[0]
            if isinstance(arg, MultiValueDict):
                for key, value_list in arg.lists():
                    self.setlistdefault(key).extend(value_list)
            else:
                if isinstance(arg, Mapping):
                    arg = arg.items()
                for key, value in arg:
                    self.setlistdefault(key).append(value)
        for key, value in kwargs.items():
            self.setlistdefault(key).append(value)

    def dict(self) -> dict[str, Any]:
        """Return a plain dict with the last value of each key."""
        return {key: self[key] for key in self}


_PLAIN_GETITEM = MultiValueDict.__getitem__


class ImmutableList(tuple[Any, ...]):
    """A tuple that raises a helpful error on attempts to change it."""

    warning: str

    def __new__(
        cls,
        *args: Any,
        warning: str = "ImmutableList object is immutable.",
        **kwargs: Any,
    ) -> ImmutableList:
        self = tuple.__new__(cls, *args, **kwargs)
        self.warning = warning
        return self

    def complain(self, *args: Any, **kwargs: Any) -> Any:
        """Refuse any change."""
        raise AttributeError(self.warning)

    __delitem__ = complain
    __delslice__ = complain
    __iadd__ = complain
    __imul__ = complain
    __setitem__ = complain
    __setslice__ = complain
    append = complain
    extend = complain
    insert = complain
    pop = complain
    remove = complain
    sort = complain
    reverse = complain


class DictWrapper(dict[str, Any]):
    """A dict that applies ``func`` to values whose key starts with ``prefix``."""

    def __init__(self, data: Mapping[str, Any], func: Any, prefix: str) -> None:
        super().__init__(data)
        self.func = func
        self.prefix = prefix

    def __getitem__(self, key: str) -> Any:
        use_func = key.startswith(self.prefix)
        key = key.removeprefix(self.prefix)
        value = super().__getitem__(key)
        if use_func:
            return self.func(value)
        return value


class CaseInsensitiveMapping(Mapping[str, Any]):
    """A read-only mapping whose keys compare case-insensitively but keep their case."""

    def __init__(self, data: Any) -> None:
        self._store = {k.lower(): (k, v) for k, v in self._unpack_items(data)}

    def __getitem__(self, key: str) -> Any:
        return self._store[key.lower()][1]

    def __len__(self) -> int:
        return len(self._store)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Mapping):
            return NotImplemented
        return {k.lower(): v for k, v in self.items()} == {
            str(k).lower(): v for k, v in other.items()
        }

    __hash__ = None  # type: ignore[assignment]

    def __iter__(self) -> Iterator[str]:
        return (original_key for original_key, value in self._store.values())

    def __repr__(self) -> str:
        return repr(dict(self._store.values()))

    def copy(self) -> CaseInsensitiveMapping:
        """Return itself: the mapping is immutable."""
        return self

    @staticmethod
    def _unpack_items(data: Any) -> Iterator[tuple[str, Any]]:
        if isinstance(data, Mapping | dict):
            yield from data.items()
            return
        for i, elem in enumerate(data):
            if len(elem) != 2:
                raise ValueError(
                    f"dictionary update sequence element #{i} has length {len(elem)}; "
                    "2 is required."
                )
            if not isinstance(elem[0], str):
                raise ValueError(
                    f"Element key {elem[0]!r} invalid, only strings are allowed"
                )
            yield elem
