"""Form renderers: which template engine renders forms, fields and widgets.

``FORM_RENDERER`` names the renderer class. The default builds its own
template engine over manouche's form templates plus the installed apps'
``templates`` directories, independent of the TEMPLATES setting;
TemplatesSetting uses the project's TEMPLATES so projects can override them.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from manouche.core.signals import setting_changed
from manouche.template.backends.manouche import DjangoTemplates as _DjangoBackend
from manouche.template.loader import get_template
from manouche.utils.functional import cached_property
from manouche.utils.module_loading import import_string

__all__ = [
    "BaseRenderer",
    "DjangoDivFormRenderer",
    "DjangoTemplates",
    "EngineMixin",
    "Jinja2",
    "Jinja2DivFormRenderer",
    "TemplatesSetting",
    "get_default_renderer",
]

ROOT = Path(__file__).resolve().parent


@functools.lru_cache
def get_default_renderer() -> Any:
    """Return the renderer named by ``FORM_RENDERER`` (cached)."""
    from manouche.conf import settings

    renderer_class = import_string(settings.FORM_RENDERER)
    return renderer_class()


def _clear_renderer_cache(*, setting: str, **kwargs: Any) -> None:
    if setting in {"FORM_RENDERER", "INSTALLED_APPS", "TEMPLATES", "DEBUG"}:
        get_default_renderer.cache_clear()


setting_changed.connect(_clear_renderer_cache, dispatch_uid="manouche.forms.renderer")


class BaseRenderer:
    """Name the templates used for forms, formsets and fields."""

    form_template_name = "manouche/forms/div.html"
    formset_template_name = "manouche/forms/formsets/div.html"
    field_template_name = "manouche/forms/field.html"

    def get_template(self, template_name: str) -> Any:
        """Return a template with ``render(context, request)``."""
        raise NotImplementedError("subclasses must implement get_template()")

    def render(
        self, template_name: str, context: dict[str, Any], request: Any = None
    ) -> str:
        """Render ``template_name`` with ``context``; strip the trailing newline."""
        template = self.get_template(template_name)
        return str(template.render(context, request=request)).strip()


class EngineMixin:
    """Build a private engine over the form templates and app templates."""

    backend: Any

    def get_template(self, template_name: str) -> Any:
        """Load ``template_name`` from the private engine."""
        return self.engine.get_template(template_name)

    @cached_property
    def engine(self) -> Any:
        """The private engine, created on first use."""
        return self.backend(
            {
                "APP_DIRS": True,
                "DIRS": [ROOT / self.backend.app_dirname],
                "NAME": "manoucheforms",
                "OPTIONS": {},
            }
        )


class DjangoTemplates(EngineMixin, BaseRenderer):
    """Render with the Django template language (the default)."""

    backend = _DjangoBackend


class Jinja2(EngineMixin, BaseRenderer):
    """Render with Jinja2 (templates under ``manouche/forms/jinja2``)."""

    @cached_property
    def backend(self) -> Any:
        """The Jinja2 backend class, imported lazily (Jinja2 is optional)."""
        from manouche.template.backends.jinja2 import Jinja2 as Backend

        return Backend


class DjangoDivFormRenderer(DjangoTemplates):
    """Kept for Django compatibility: div output is already the default."""


class Jinja2DivFormRenderer(Jinja2):
    """Kept for Django compatibility: div output is already the default."""


class TemplatesSetting(BaseRenderer):
    """Load templates through the TEMPLATES setting (project overrides win)."""

    def get_template(self, template_name: str) -> Any:
        """Load ``template_name`` with the configured engines."""
        return get_template(template_name)
