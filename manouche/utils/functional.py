"""Laziness helpers: cached properties, lazy values and lazily built objects."""

from __future__ import annotations

import copy
import functools
import operator
from collections.abc import Callable
from typing import Any, Generic, TypeVar, overload

__all__ = [
    "LazyObject",
    "Promise",
    "SimpleLazyObject",
    "cached_property",
    "classproperty",
    "empty",
    "keep_lazy",
    "keep_lazy_text",
    "lazy",
    "lazystr",
    "new_method_proxy",
    "partition",
]

T = TypeVar("T")
R = TypeVar("R")


class cached_property(Generic[T]):
    """Compute a property once per instance, then keep it in the instance dict."""

    name: str | None = None

    def __init__(self, func: Callable[[Any], T], name: str | None = None) -> None:
        self.real_func = func
        self.__doc__ = func.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        if self.name is None:
            self.name = name
            self.func = self.real_func
        elif name != self.name:
            raise TypeError(
                "Cannot assign the same cached_property to two different names "
                f"({self.name!r} and {name!r})."
            )

    @overload
    def __get__(
        self, instance: None, cls: type | None = None
    ) -> cached_property[T]: ...
    @overload
    def __get__(self, instance: object, cls: type | None = None) -> T: ...

    def __get__(self, instance: object | None, cls: type | None = None) -> Any:
        if instance is None:
            return self
        if self.name is None:
            raise TypeError(
                "Cannot use cached_property instance without calling __set_name__() "
                "on it."
            )
        value = instance.__dict__[self.name] = self.func(instance)
        return value


class classproperty(Generic[T]):
    """A read-only property computed on the class."""

    def __init__(self, method: Callable[[Any], T] | None = None) -> None:
        self.fget = method

    def __get__(self, instance: object | None, cls: type | None = None) -> T:
        assert self.fget is not None
        return self.fget(cls)

    def getter(self, method: Callable[[Any], T]) -> classproperty[T]:
        """Set the getter, for use as a decorator."""
        self.fget = method
        return self


class Promise:
    """Base class of lazy values: recognised by code that must force them."""


def lazy(  # noqa: C901 - the proxy class body counts as branches
    func: Callable[..., Any], *resultclasses: type
) -> Callable[..., Any]:
    """Turn ``func`` into one that returns a proxy evaluated on each use."""

    class __proxy__(Promise):
        def __init__(self, args: tuple[Any, ...], kw: dict[str, Any]) -> None:
            self._args = args
            self._kw = kw

        def _proxy_cast(self) -> Any:
            return func(*self._args, **self._kw)

        def __reduce__(self) -> Any:
            return (_lazy_proxy_unpickle, (func, self._args, self._kw, *resultclasses))

        def __deepcopy__(self, memo: dict[int, Any]) -> Any:
            memo[id(self)] = self
            return self

        def __repr__(self) -> str:
            return repr(self._proxy_cast())

        def __str__(self) -> str:
            return str(self._proxy_cast())

        def __eq__(self, other: object) -> bool:
            if isinstance(other, Promise):
                other = other._proxy_cast()  # type: ignore[attr-defined]
            return bool(self._proxy_cast() == other)

        def __ne__(self, other: object) -> bool:
            return not self == other

        def __lt__(self, other: Any) -> bool:
            if isinstance(other, Promise):
                other = other._proxy_cast()  # type: ignore[attr-defined]
            return bool(self._proxy_cast() < other)

        def __hash__(self) -> int:
            return hash(self._proxy_cast())

        def __mod__(self, other: Any) -> Any:
            return self._proxy_cast() % other

        def __add__(self, other: Any) -> Any:
            return self._proxy_cast() + other

        def __radd__(self, other: Any) -> Any:
            return other + self._proxy_cast()

        def __mul__(self, other: Any) -> Any:
            return self._proxy_cast() * other

    _copy_result_methods(__proxy__, resultclasses)

    @functools.wraps(func)
    def __wrapper__(*args: Any, **kw: Any) -> Any:
        return __proxy__(args, kw)

    return __wrapper__


_PROXIED_DUNDERS = {"__len__", "__iter__", "__getitem__", "__contains__", "__bytes__"}


def _copy_result_methods(proxy: type, resultclasses: tuple[type, ...]) -> None:
    """Give the proxy the public methods of its result classes."""
    for resultclass in resultclasses:
        for type_ in resultclass.mro():
            for name in type_.__dict__:
                own = name in proxy.__dict__ or hasattr(Promise, name)
                public = not name.startswith("__") and not own
                if name in _PROXIED_DUNDERS or public:
                    setattr(proxy, name, _promise_method(name))


def _promise_method(method_name: str) -> Callable[..., Any]:
    def method(self: Any, *args: Any, **kw: Any) -> Any:
        return getattr(self._proxy_cast(), method_name)(*args, **kw)

    return method


def _lazy_proxy_unpickle(
    func: Callable[..., Any], args: Any, kwargs: Any, *resultclasses: type
) -> Any:
    return lazy(func, *resultclasses)(*args, **kwargs)


def lazystr(text: Any) -> Any:
    """Return a lazy ``str(text)``."""
    return lazy(str, str)(text)


def keep_lazy(*resultclasses: type) -> Callable[[Callable[..., R]], Callable[..., R]]:
    """Make a function return a lazy result when any argument is lazy."""

    def decorator(func: Callable[..., R]) -> Callable[..., R]:
        lazy_func = lazy(func, *resultclasses)

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> R:
            if any(isinstance(arg, Promise) for arg in (*args, *kwargs.values())):
                return lazy_func(*args, **kwargs)  # type: ignore[no-any-return]
            return func(*args, **kwargs)

        return wrapper

    return decorator


def keep_lazy_text(func: Callable[..., R]) -> Callable[..., R]:
    """Shortcut for ``keep_lazy(str)``."""
    return keep_lazy(str)(func)


empty = object()


def new_method_proxy(func: Callable[..., R]) -> Callable[..., R]:
    """Build a method that sets up the wrapped object, then calls ``func`` on it."""

    def inner(self: Any, *args: Any) -> R:
        if (wrapped := self._wrapped) is empty:
            self._setup()
            wrapped = self._wrapped
        return func(wrapped, *args)

    inner._mask_wrapped = False  # type: ignore[attr-defined]
    return inner


class LazyObject:
    """A proxy that builds the object it wraps on first use (via ``_setup``)."""

    _wrapped: Any = None

    def __init__(self) -> None:
        self._wrapped = empty

    def __getattribute__(self, name: str) -> Any:
        if name == "_wrapped":
            return super().__getattribute__(name)
        value = super().__getattribute__(name)
        if not getattr(value, "_mask_wrapped", True):
            raise AttributeError
        return value

    __getattr__ = new_method_proxy(getattr)

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "_wrapped":
            self.__dict__["_wrapped"] = value
        else:
            if self._wrapped is empty:
                self._setup()
            setattr(self._wrapped, name, value)

    def __delattr__(self, name: str) -> None:
        if name == "_wrapped":
            raise TypeError("can't delete _wrapped.")
        if self._wrapped is empty:
            self._setup()
        delattr(self._wrapped, name)

    def _setup(self) -> None:
        """Build the wrapped object and store it in ``self._wrapped``."""
        raise NotImplementedError(
            "subclasses of LazyObject must provide a _setup() method"
        )

    def __reduce__(self) -> Any:
        if self._wrapped is empty:
            self._setup()
        return (_unpickle_lazyobject, (self._wrapped,))

    def __copy__(self) -> Any:
        if self._wrapped is empty:
            return type(self)()
        return copy.copy(self._wrapped)

    def __deepcopy__(self, memo: dict[int, Any]) -> Any:
        if self._wrapped is empty:
            result = type(self)()
            memo[id(self)] = result
            return result
        return copy.deepcopy(self._wrapped, memo)

    __bytes__ = new_method_proxy(bytes)
    __str__ = new_method_proxy(str)
    __bool__ = new_method_proxy(bool)
    __dir__ = new_method_proxy(dir)
    __class__ = property(new_method_proxy(operator.attrgetter("__class__")))
    __eq__ = new_method_proxy(operator.eq)
    __lt__ = new_method_proxy(operator.lt)
    __gt__ = new_method_proxy(operator.gt)
    __ne__ = new_method_proxy(operator.ne)
    __hash__ = new_method_proxy(hash)
    __getitem__ = new_method_proxy(operator.getitem)
    __setitem__ = new_method_proxy(operator.setitem)
    __delitem__ = new_method_proxy(operator.delitem)
    __iter__ = new_method_proxy(iter)
    __len__ = new_method_proxy(len)
    __contains__ = new_method_proxy(operator.contains)


def _unpickle_lazyobject(wrapped: Any) -> Any:
    return wrapped


class SimpleLazyObject(LazyObject):
    """A lazy object built by calling ``func`` on first use."""

    def __init__(self, func: Callable[[], Any]) -> None:
        self.__dict__["_setupfunc"] = func
        super().__init__()

    def _setup(self) -> None:
        self._wrapped = self._setupfunc()

    def __repr__(self) -> str:
        if self._wrapped is empty:
            repr_attr = self._setupfunc
        else:
            repr_attr = self._wrapped
        return f"<{type(self).__name__}: {repr_attr!r}>"

    def __copy__(self) -> Any:
        if self._wrapped is empty:
            return SimpleLazyObject(self._setupfunc)
        return copy.copy(self._wrapped)

    def __deepcopy__(self, memo: dict[int, Any]) -> Any:
        if self._wrapped is empty:
            result = SimpleLazyObject(self._setupfunc)
            memo[id(self)] = result
            return result
        return copy.deepcopy(self._wrapped, memo)

    __add__ = new_method_proxy(operator.add)

    def __radd__(self, other: Any) -> Any:
        if self._wrapped is empty:
            self._setup()
        return other + self._wrapped


def partition(predicate: Callable[[T], bool], values: Any) -> tuple[list[T], list[T]]:
    """Split ``values`` into (false, true) lists by ``predicate``."""
    results: tuple[list[T], list[T]] = ([], [])
    for item in values:
        results[predicate(item)].append(item)
    return results
