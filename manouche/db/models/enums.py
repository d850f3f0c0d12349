"""Enumerations for field ``choices``: Choices, TextChoices, IntegerChoices."""

from __future__ import annotations

import enum
from typing import Any

from manouche.utils.functional import Promise

__all__ = ["Choices", "IntegerChoices", "TextChoices"]


class ChoicesType(enum.EnumType):
    """Metaclass reading ``(value, label)`` tuples from member definitions."""

    def __new__(
        metacls,
        classname: str,
        bases: tuple[type, ...],
        classdict: Any,
        **kwds: Any,
    ) -> Any:
        labels = []
        for key in classdict._member_names:
            value = classdict[key]
            if (
                isinstance(value, (list, tuple))
                and len(value) > 1
                and isinstance(value[-1], (Promise, str))
            ):
                *value, label = value
                value = tuple(value)
            else:
                label = key.replace("_", " ").title()
            labels.append(label)
            dict.__setitem__(classdict, key, value)
        cls: Any = super().__new__(metacls, classname, bases, classdict, **kwds)
        member: Any
        for member, label in zip(cls.__members__.values(), labels, strict=True):
            member._label_ = label
        return enum.unique(cls)

    @property
    def names(cls) -> list[str]:
        empty = ["__empty__"] if hasattr(cls, "__empty__") else []
        members: list[Any] = list(cls)
        return empty + [member.name for member in members]

    @property
    def choices(cls) -> list[tuple[Any, Any]]:
        empty = [(None, cls.__empty__)] if hasattr(cls, "__empty__") else []
        members: list[Any] = list(cls)
        return empty + [(member.value, member.label) for member in members]

    @property
    def labels(cls) -> list[Any]:
        return [label for _, label in cls.choices]

    @property
    def values(cls) -> list[Any]:
        return [value for value, _ in cls.choices]

    def __contains__(cls, member: object) -> bool:
        if not isinstance(member, enum.Enum):
            members: list[Any] = list(cls)
            return any(x.value == member for x in members)
        return super().__contains__(member)


class Choices(enum.Enum, metaclass=ChoicesType):
    """Base class for choice enumerations."""

    _label_: Any

    @property
    def label(self) -> Any:
        """Return the human-readable label."""
        return self._label_

    @property
    def do_not_call_in_templates(self) -> bool:
        """Keep templates from calling the enum class."""
        return True

    def __str__(self) -> str:
        return str(self.value)

    def __repr__(self) -> str:
        return f"{self.__class__.__qualname__}.{self._name_}"


class IntegerChoices(int, Choices):
    """Choices whose values are integers."""


class TextChoices(str, Choices):
    """Choices whose values are strings; auto() gives the member name."""

    @staticmethod
    def _generate_next_value_(
        name: str, start: int, count: int, last_values: list[Any]
    ) -> str:
        return name
