"""An XML reader that refuses DTDs and entities (no entity expansion attacks)."""

from __future__ import annotations

from typing import Any, cast
from xml.dom import pulldom
from xml.sax import expatreader

__all__ = ["DTDForbiddenError", "EntitiesForbiddenError", "parse"]


class DTDForbiddenError(ValueError):
    """The document declares a DTD."""


class EntitiesForbiddenError(ValueError):
    """The document declares or references an entity."""


class _SafeExpatParser(expatreader.ExpatParser):
    """Expat with every DTD and entity hook turned into an error."""

    def reset(self) -> None:
        super().reset()
        parser = cast(Any, self)._parser
        parser.StartDoctypeDeclHandler = self._doctype
        parser.EntityDeclHandler = self._entity
        parser.UnparsedEntityDeclHandler = self._entity
        parser.ExternalEntityRefHandler = self._external

    def _doctype(self, name: str, *args: Any) -> None:
        raise DTDForbiddenError(f"DTD forbidden (<!DOCTYPE {name}>)")

    def _entity(self, name: str, *args: Any) -> None:
        raise EntitiesForbiddenError(f"Entities forbidden (entity {name!r})")

    def _external(self, context: Any, base: Any, system_id: Any, *args: Any) -> None:
        raise EntitiesForbiddenError(f"External entity forbidden ({system_id!r})")


def parse(stream: Any) -> pulldom.DOMEventStream:
    """Return a pulldom event stream over ``stream`` using the safe parser."""
    return pulldom.parse(stream, parser=_SafeExpatParser())
