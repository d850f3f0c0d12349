"""Check messages: what a system check reports, at which level, about what."""

from __future__ import annotations

from typing import Any

__all__ = [
    "CRITICAL",
    "DEBUG",
    "ERROR",
    "INFO",
    "WARNING",
    "CheckMessage",
    "Critical",
    "Debug",
    "Error",
    "Info",
    "Warning",
]

DEBUG = 10
INFO = 20
WARNING = 30
ERROR = 40
CRITICAL = 50


class CheckMessage:
    """One finding of a system check; compared by value so tests can assert on it."""

    def __init__(
        self,
        level: int,
        msg: str,
        hint: str | None = None,
        obj: Any = None,
        id: str | None = None,
    ) -> None:
        if not isinstance(level, int):
            raise TypeError("The first argument should be level.")
        self.level = level
        self.msg = msg
        self.hint = hint
        self.obj = obj
        self.id = id

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CheckMessage):
            return NotImplemented
        return all(
            getattr(self, attr) == getattr(other, attr)
            for attr in ("level", "msg", "hint", "obj", "id")
        )

    __hash__ = None  # type: ignore[assignment]

    def __str__(self) -> str:
        meta = getattr(self.obj, "_meta", None)
        if self.obj is None:
            obj = "?"
        elif isinstance(self.obj, type) and meta is not None:
            obj = str(meta.label)
        else:
            obj = str(self.obj)
        prefix = f"({self.id}) " if self.id else ""
        hint = f"\n\tHINT: {self.hint}" if self.hint else ""
        return f"{obj}: {prefix}{self.msg}{hint}"

    def __repr__(self) -> str:
        return (
            f"<{type(self).__name__}: level={self.level!r}, msg={self.msg!r}, "
            f"hint={self.hint!r}, obj={self.obj!r}, id={self.id!r}>"
        )

    def is_serious(self, level: int = ERROR) -> bool:
        """Tell whether this message is at ``level`` or above."""
        return self.level >= level

    def is_silenced(self) -> bool:
        """Tell whether SILENCED_SYSTEM_CHECKS names this message's id."""
        from manouche.conf import settings

        return self.id in settings.SILENCED_SYSTEM_CHECKS


class Debug(CheckMessage):
    """A message at DEBUG level."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(DEBUG, *args, **kwargs)


class Info(CheckMessage):
    """A message at INFO level."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(INFO, *args, **kwargs)


class Warning(CheckMessage):
    """A message at WARNING level."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(WARNING, *args, **kwargs)


class Error(CheckMessage):
    """A message at ERROR level: stops commands that run checks."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(ERROR, *args, **kwargs)


class Critical(CheckMessage):
    """A message at CRITICAL level."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(CRITICAL, *args, **kwargs)
