"""The loader interface: template sources, contents, and the tried list."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from manouche.template.base import Origin, Template
from manouche.template.exceptions import TemplateDoesNotExist

__all__ = ["Loader"]


class Loader:
    """Find template sources and build Templates from them."""

    def __init__(self, engine: Any) -> None:
        self.engine = engine

    def get_template(self, template_name: str, skip: Any = None) -> Template:
        """Return the first source that exists, listing every one tried."""
        tried = []
        for origin in self.get_template_sources(template_name):
            if skip is not None and origin in skip:
                tried.append((origin, "Skipped to avoid recursion"))
                continue
            try:
                contents = self.get_contents(origin)
            except TemplateDoesNotExist:
                tried.append((origin, "Source does not exist"))
                continue
            return Template(contents, origin, origin.template_name, self.engine)
        raise TemplateDoesNotExist(template_name, tried=tried)

    def get_template_sources(self, template_name: str) -> Iterator[Origin]:
        """Yield an Origin for each place ``template_name`` may live."""
        raise NotImplementedError(
            "subclasses of Loader must provide a get_template_sources() method"
        )

    def get_contents(self, origin: Origin) -> str:
        """Return the source of ``origin``; raise TemplateDoesNotExist."""
        raise NotImplementedError(
            "subclasses of Loader must provide a get_contents() method"
        )

    def reset(self) -> None:
        """Forget cached state (only the cached loader has any)."""
