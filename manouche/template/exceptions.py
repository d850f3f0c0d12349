"""Exceptions raised while finding, parsing and rendering templates."""

from __future__ import annotations

from typing import Any

__all__ = ["TemplateDoesNotExist", "TemplateSyntaxError"]


class TemplateDoesNotExist(Exception):
    """No template could be found for a name.

    ``tried`` lists ``(origin, reason)`` pairs for every path a loader looked at;
    ``chain`` holds the exceptions of the engines tried one after another.
    """

    def __init__(
        self,
        msg: object,
        tried: list[tuple[Any, str]] | None = None,
        backend: Any = None,
        chain: list[TemplateDoesNotExist] | None = None,
    ) -> None:
        self.backend = backend
        self.tried = tried if tried is not None else []
        self.chain = chain if chain is not None else []
        super().__init__(msg)


class TemplateSyntaxError(Exception):
    """The template source is not valid template language."""

    template_debug: dict[str, Any]
