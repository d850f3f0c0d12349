"""Query helpers shared by fields and QuerySets: Q, DeferredAttribute, lookups.

Nothing here builds SQL; the compiler in ``manouche.db.models.sql`` turns these
objects into SQLAlchemy Core constructs.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import Any

from manouche.core.exceptions import FieldError

__all__ = [
    "DeferredAttribute",
    "Q",
    "RegisterLookupMixin",
    "check_identifier",
    "check_path",
]

LOOKUP_SEP = "__"
_PATH_RE = re.compile(r"\A[^\W\d]\w*\Z")
# After the first part, digits may lead: JSON array indexes (``data__tags__0``).
_PART_RE = re.compile(r"\A\w+\Z")


def check_identifier(name: Any, what: str = "Column aliases") -> str:
    """Refuse a user-supplied alias that is not a plain identifier.

    Aliases are quoted by the compiler anyway; refusing early keeps injection
    attempts from ever reaching the database and gives a clear message.
    """
    if not isinstance(name, str) or not _PATH_RE.match(name):
        raise ValueError(
            f"{what} cannot contain whitespace characters, quotation marks, "
            f"semicolons, or SQL comments; got {name!r}."
        )
    return name


def check_path(path: Any) -> list[str]:
    """Split a ``a__b__c`` field path, refusing anything but identifiers."""
    if not isinstance(path, str):
        raise FieldError(f"Field paths must be strings, got {path!r}.")
    parts = path.split(LOOKUP_SEP)
    for index, part in enumerate(parts):
        if not (_PART_RE if index else _PATH_RE).match(part):
            raise FieldError(
                f"Invalid field path {path!r}: each part must be an identifier."
            )
    return parts


class Q:
    """A filter condition tree combinable with ``&``, ``|``, ``^`` and ``~``."""

    AND = "AND"
    OR = "OR"
    XOR = "XOR"
    default = AND
    conditional = True

    def __init__(
        self,
        *args: Any,
        _connector: str | None = None,
        _negated: bool = False,
        **kwargs: Any,
    ) -> None:
        self.children: list[Any] = [*args, *sorted(kwargs.items())]
        self.connector = _connector or self.default
        self.negated = _negated

    def _combine(self, other: Any, connector: str) -> Q:
        if getattr(other, "conditional", False) is False:
            raise TypeError(other)
        if not self:
            return other.copy() if isinstance(other, Q) else Q(other)
        if isinstance(other, Q) and not other:
            return self.copy()
        combined = Q(_connector=connector)
        combined.children = [self, other]
        return combined

    def __or__(self, other: Any) -> Q:
        return self._combine(other, self.OR)

    def __and__(self, other: Any) -> Q:
        return self._combine(other, self.AND)

    def __xor__(self, other: Any) -> Q:
        return self._combine(other, self.XOR)

    def __invert__(self) -> Q:
        negated = self.copy()
        negated.negated = not self.negated
        return negated

    def copy(self) -> Q:
        """Return a shallow copy of this node."""
        clone = Q(_connector=self.connector, _negated=self.negated)
        clone.children = list(self.children)
        return clone

    def __bool__(self) -> bool:
        return bool(self.children)

    def __len__(self) -> int:
        return len(self.children)

    def __contains__(self, other: object) -> bool:
        return other in self.children

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Q)
            and self.connector == other.connector
            and self.negated == other.negated
            and self.children == other.children
        )

    def __hash__(self) -> int:
        return hash((self.connector, self.negated, *map(_hashable, self.children)))

    def __repr__(self) -> str:
        template = "(NOT (%s: %s))" if self.negated else "(%s: %s)"
        children = ", ".join(str(child) for child in self.children)
        return "<Q: " + template % (self.connector, children) + ">"

    def flatten(self) -> Iterator[Any]:
        """Yield this node and every descendant."""
        yield self
        for child in self.children:
            if isinstance(child, Q):
                yield from child.flatten()
            else:
                yield child

    def deconstruct(self) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        """Return (path, args, kwargs) that rebuild this Q."""
        kwargs: dict[str, Any] = {}
        if self.connector != self.default:
            kwargs["_connector"] = self.connector
        if self.negated:
            kwargs["_negated"] = True
        args = tuple(self.children)
        if len(self.children) == 1 and isinstance(self.children[0], tuple):
            kwargs.update(dict(self.children))
            args = ()
        return "manouche.db.models.Q", args, kwargs

    @property
    def contains_aggregate(self) -> bool:
        """Tell whether any expression inside aggregates."""
        return any(
            getattr(child, "contains_aggregate", False)
            or (
                isinstance(child, tuple)
                and getattr(child[1], "contains_aggregate", False)
            )
            for child in self.children
        )


def _hashable(value: Any) -> Any:
    try:
        hash(value)
    except TypeError:
        return repr(value)
    return value


class DeferredAttribute:
    """Load a deferred field's value from the database on first access."""

    def __init__(self, field: Any) -> None:
        self.field = field

    def __get__(self, instance: Any, cls: Any = None) -> Any:
        if instance is None:
            return self
        data = instance.__dict__
        attname = self.field.attname
        if attname not in data:
            value = self._check_parent_chain(instance)
            if value is None:
                from manouche.db.models._io import in_async_context

                if in_async_context():
                    from manouche.core.exceptions import SynchronousOnlyOperation

                    raise SynchronousOnlyOperation(
                        f"Accessing the deferred field '{attname}' would run a "
                        "database query, which cannot block the event loop. Load "
                        "it with the query (drop it from defer()/add it to only()) "
                        f"or await obj.arefresh_from_db(fields=['{attname}'])."
                    )
                instance.refresh_from_db(fields=[attname])
            else:
                data[attname] = value
        return data[attname]

    def _check_parent_chain(self, instance: Any) -> Any:
        # A primary key that is also a parent link shares the parent's value.
        link = instance._meta.get_ancestor_link(self.field.model)
        if self.field.primary_key and link is not None and self.field != link:
            return getattr(instance, link.attname)
        return None


class _HybridMethod:
    """Call one function on the class and another on an instance."""

    def __init__(self, class_method: Any, instance_method: Any) -> None:
        self.class_method = class_method
        self.instance_method = instance_method

    def __get__(self, instance: Any, owner: Any) -> Any:
        if instance is None:
            return self.class_method.__get__(owner, owner)
        return self.instance_method.__get__(instance, owner)


class RegisterLookupMixin:
    """Let a class (a field or a transform) register lookups and transforms."""

    class_lookups: dict[str, Any] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.class_lookups = {}

    @classmethod
    @functools.cache
    def _merged_lookups(cls) -> dict[str, Any]:
        merged: dict[str, Any] = {}
        for parent in reversed(cls.__mro__):
            merged.update(parent.__dict__.get("class_lookups", {}))
        return merged

    @classmethod
    def get_class_lookups(cls) -> dict[str, Any]:
        """Return the lookups and transforms registered on the class."""
        return dict(cls._merged_lookups())

    def get_instance_lookups(self) -> dict[str, Any]:
        """Return the class's lookups plus those registered on this object."""
        merged = dict(type(self)._merged_lookups())
        merged.update(self.__dict__.get("instance_lookups", {}))
        return merged

    # Django's API: Field.get_lookups() on the class, field.get_lookups() too.
    get_lookups = _HybridMethod(get_class_lookups.__func__, get_instance_lookups)  # type: ignore[attr-defined]

    def get_lookup(self, lookup_name: str) -> Any:
        """Return the Lookup class called ``lookup_name``, or None."""
        from manouche.db.models.lookups import Lookup

        found = self.get_lookups().get(lookup_name)
        if found is not None and isinstance(found, type) and issubclass(found, Lookup):
            return found
        output_field = getattr(self, "output_field", None)
        if output_field is not None and output_field is not self:
            return output_field.get_lookup(lookup_name)
        return None

    def get_transform(self, lookup_name: str) -> Any:
        """Return the Transform class called ``lookup_name``, or None."""
        from manouche.db.models.lookups import Transform

        found = self.get_lookups().get(lookup_name)
        if (
            found is not None
            and isinstance(found, type)
            and issubclass(found, Transform)
        ):
            return found
        output_field = getattr(self, "output_field", None)
        if output_field is not None and output_field is not self:
            return output_field.get_transform(lookup_name)
        return None

    @classmethod
    def _clear_cached_class_lookups(cls) -> None:
        for subclass in _all_subclasses(RegisterLookupMixin):
            subclass._merged_lookups.cache_clear()

    @classmethod
    def register_class_lookup(cls, lookup: Any, lookup_name: str | None = None) -> Any:
        """Register ``lookup`` for this class and its subclasses."""
        name = lookup_name or lookup.lookup_name
        cls.__dict__["class_lookups"][name] = lookup
        cls._clear_cached_class_lookups()
        return lookup

    def register_instance_lookup(
        self, lookup: Any, lookup_name: str | None = None
    ) -> Any:
        """Register ``lookup`` for this one field instance."""
        name = lookup_name or lookup.lookup_name
        self.__dict__.setdefault("instance_lookups", {})[name] = lookup
        return lookup

    @classmethod
    def _unregister_class_lookup(
        cls, lookup: Any, lookup_name: str | None = None
    ) -> None:
        name = lookup_name or lookup.lookup_name
        del cls.__dict__["class_lookups"][name]
        cls._clear_cached_class_lookups()

    register_lookup = _HybridMethod(register_class_lookup, register_instance_lookup)
    _unregister_lookup = classmethod(_unregister_class_lookup)


def _all_subclasses(cls: type[Any]) -> Iterator[type[Any]]:
    yield cls
    subclass: type[Any]
    for subclass in cls.__subclasses__():
        yield from _all_subclasses(subclass)
