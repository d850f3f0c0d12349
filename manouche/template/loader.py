"""Find templates across every configured engine: get_template & co."""

from __future__ import annotations

from typing import Any

from manouche.template.exceptions import TemplateDoesNotExist

__all__ = ["get_template", "render_to_string", "select_template"]


def _engine_list(using: str | None = None) -> list[Any]:
    from manouche.template import engines

    return engines.all() if using is None else [engines[using]]


def get_template(template_name: str, using: str | None = None) -> Any:
    """Return the first engine's template called ``template_name``."""
    chain = []
    for engine in _engine_list(using):
        try:
            return engine.get_template(template_name)
        except TemplateDoesNotExist as e:
            chain.append(e)
    raise TemplateDoesNotExist(template_name, chain=chain)


def select_template(template_name_list: Any, using: str | None = None) -> Any:
    """Return the first template of the list any engine has."""
    if isinstance(template_name_list, str):
        raise TypeError(
            "select_template() takes an iterable of template names but got a "
            f"string: {template_name_list!r}. Use get_template() if you want to "
            "load a single template by name."
        )
    chain = []
    engines = _engine_list(using)
    for template_name in template_name_list:
        for engine in engines:
            try:
                return engine.get_template(template_name)
            except TemplateDoesNotExist as e:
                chain.append(e)
    if template_name_list:
        raise TemplateDoesNotExist(", ".join(template_name_list), chain=chain)
    raise TemplateDoesNotExist("No template names provided")


def render_to_string(
    template_name: Any,
    context: dict[str, Any] | None = None,
    request: Any = None,
    using: str | None = None,
) -> str:
    """Load a template (or the first of a list) and render it."""
    if isinstance(template_name, (list, tuple)):
        template = select_template(template_name, using=using)
    else:
        template = get_template(template_name, using=using)
    return template.render(context, request)  # type: ignore[no-any-return]
