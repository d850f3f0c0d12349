"""Load templates from a dict: handy in tests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from manouche.template.base import Origin
from manouche.template.exceptions import TemplateDoesNotExist
from manouche.template.loaders.base import Loader as BaseLoader

__all__ = ["Loader"]


class Loader(BaseLoader):
    """Serve templates from ``templates_dict`` (name -> source)."""

    def __init__(self, engine: Any, templates_dict: dict[str, str]) -> None:
        self.templates_dict = templates_dict
        super().__init__(engine)

    def get_contents(self, origin: Origin) -> str:
        """Return the source registered under the name."""
        try:
            return self.templates_dict[origin.name]
        except KeyError:
            raise TemplateDoesNotExist(origin) from None

    def get_template_sources(self, template_name: str) -> Iterator[Origin]:
        """Yield the single possible origin."""
        yield Origin(name=template_name, template_name=template_name, loader=self)
