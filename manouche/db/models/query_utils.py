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
    "check_alias",
    "check_identifier",
    "check_path",
]

LOOKUP_SEP = "__"
_PATH_RE = re.compile(r"\A[^\W\d]\w*\Z")
# After the first part, anything but NUL: JSON array indexes (``data__tags__0``)
# and keys (``data__%total``) only ever reach the SQL as bound values, and
# other parts are only looked up by name.
_KEY_RE = re.compile(r"\A[^\x00]+\Z")


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


ALIAS_MESSAGE = (
    "Column aliases cannot contain whitespace characters, hashes, control "
    "characters, quotation marks, semicolons, or SQL comments."
)
# Word characters, then also dots and dashes (``pub.date``, ``dashed-value``):
# a strict grammar, so nothing that could close the quoted label, start a
# comment or a new statement ever reaches the SQL.
_ALIAS_RE = re.compile(r"\A[^\W\d][\w.\-]*\Z")


def check_alias(alias: Any) -> str:
    """Refuse a column alias (annotate, aggregate, extra select) outside the grammar."""
    if not isinstance(alias, str) or not _ALIAS_RE.match(alias) or "--" in alias:
        raise ValueError(f"{ALIAS_MESSAGE} Got {alias!r}.")
    return alias


def check_path(path: Any) -> list[str]:
    """Split a ``a__b__c`` field path, refusing anything but identifiers."""
    if not isinstance(path, str):
        raise FieldError(f"Field paths must be strings, got {path!r}.")
    parts = path.split(LOOKUP_SEP)
    for index, part in enumerate(parts):
        if not (_KEY_RE if index else _PATH_RE).match(part):
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
        if _connector not in (None, self.AND, self.OR, self.XOR):
            raise ValueError(
                f"_connector must be one of {self.AND!r}, {self.OR!r}, {self.XOR!r}, "
                "or None."
            )
        self.children: list[Any] = [*args, *sorted(kwargs.items())]
        self.connector = _connector or self.default
        self.negated = _negated

    @classmethod
    def create(
        cls, children: Any = None, connector: str | None = None, negated: bool = False
    ) -> Q:
        """Build a node from a list of children (tuples, Q objects, expressions)."""
        node = cls(_connector=connector, _negated=negated)
        node.children = list(children or [])
        return node

    def _combine(self, other: Any, connector: str) -> Any:
        if getattr(other, "conditional", False) is False:
            raise TypeError(other)
        if not self:
            return other.copy() if hasattr(other, "copy") else other
        if isinstance(other, Q) and not other:
            return self.copy()
        combined = Q(_connector=connector)
        combined.children = [*_spliced(self, connector), *_spliced(other, connector)]
        return combined

    def __or__(self, other: Any) -> Any:
        return self._combine(other, self.OR)

    def __and__(self, other: Any) -> Any:
        return self._combine(other, self.AND)

    def __xor__(self, other: Any) -> Any:
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

    @property
    def identity(self) -> tuple[Any, ...]:
        """Return a hashable identity: equal for equal conditions.

        Lookup values compare by content, so ``pk__in=[1, 2]`` equals
        ``pk__in=(1, 2)`` and hashes alike.
        """
        children = []
        for child in self.children:
            if isinstance(child, tuple) and len(child) == 2:
                children.append((child[0], make_hashable(child[1])))
            else:
                children.append(make_hashable(child))
        return (type(self), self.connector, self.negated, *children)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Q) and self.identity == other.identity

    def __hash__(self) -> int:
        return hash(self.identity)

    def get_refs(self) -> set[str]:
        """Return the field paths and F() names this condition refers to."""
        refs: set[str] = set()
        for child in self.children:
            if isinstance(child, tuple) and len(child) == 2:
                refs.add(child[0])
                child = child[1]
            if hasattr(child, "get_refs"):
                refs |= child.get_refs()
        return refs

    def check(self, against: dict[str, Any], using: str = "default") -> bool:
        """Tell whether the condition holds for the given field values.

        Names in the condition take the values (or expressions) of
        ``against``; the database evaluates it (see ``_q_check``).
        """
        from manouche.db.models._q_check import check_condition

        return check_condition(self, against, using)

    @property
    def referenced_base_fields(self) -> set[str]:
        """Return the first part of every field path the condition refers to."""
        return {ref.split(LOOKUP_SEP, 1)[0] for ref in self.get_refs()}

    def __str__(self) -> str:
        template = "(NOT (%s: %s))" if self.negated else "(%s: %s)"
        children = ", ".join(str(child) for child in self.children)
        return template % (self.connector, children)

    def __repr__(self) -> str:
        return f"<Q: {self}>"

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
        return "manouche.db.models.Q", tuple(self.children), kwargs

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


def _spliced(node: Any, connector: str) -> list[Any]:
    # A plain node with the same connector (or a single child) adds its
    # children directly: (a & b) & c is one AND of three, as written.
    if (
        isinstance(node, Q)
        and not node.negated
        and (node.connector == connector or len(node.children) == 1)
    ):
        return list(node.children)
    return [node]


def make_hashable(value: Any) -> Any:
    """Return ``value`` hashable: lists, sets and views become tuples."""
    if isinstance(value, dict):
        return tuple(sorted((k, make_hashable(v)) for k, v in value.items()))
    try:
        hash(value)
    except TypeError:
        if hasattr(value, "__iter__"):
            return tuple(make_hashable(item) for item in value)
        raise
    return value


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
    def get_class_lookups(cls) -> dict[str, Any]:
        """Return the lookups and transforms registered on the class.

        Cached per class (``get_class_lookups.cache_clear()`` empties it);
        registering or unregistering a lookup clears it. Do not mutate.
        """
        merged: dict[str, Any] = {}
        mro = cls.__mro__
        for index, parent in enumerate(mro):
            if parent.__dict__.get("own_lookup_registry", False):
                # Relations (ForeignObject) ignore the lookups of plain fields.
                mro = mro[: index + 1]
                break
        for parent in reversed(mro):
            merged.update(parent.__dict__.get("class_lookups", {}))
        return merged

    _merged_lookups = get_class_lookups

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

    def _unregister_instance_lookup(
        self, lookup: Any, lookup_name: str | None = None
    ) -> None:
        name = lookup_name or lookup.lookup_name
        del self.__dict__["instance_lookups"][name]

    register_lookup = _HybridMethod(register_class_lookup, register_instance_lookup)
    _unregister_lookup = _HybridMethod(
        _unregister_class_lookup, _unregister_instance_lookup
    )


def _all_subclasses(cls: type[Any]) -> Iterator[type[Any]]:
    yield cls
    subclass: type[Any]
    for subclass in cls.__subclasses__():
        yield from _all_subclasses(subclass)
