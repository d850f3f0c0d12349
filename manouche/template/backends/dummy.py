"""A minimal backend over ``string.Template`` (``$name`` substitution).

It exists to show (and test) the backend interface with something that is not
the Django template language: templates live in ``template_strings``
directories, and rendering substitutes context values, adding ``csrf_input``
and ``csrf_token`` when a request is given.
"""

from __future__ import annotations

import string
from typing import Any

from manouche.core.exceptions import ImproperlyConfigured
from manouche.template.backends.base import BaseEngine
from manouche.template.exceptions import TemplateDoesNotExist

__all__ = ["Template", "TemplateStrings"]


class TemplateStrings(BaseEngine):
    """The ``string.Template`` backend; it takes no OPTIONS."""

    app_dirname = "template_strings"

    def __init__(self, params: dict[str, Any]) -> None:
        params = params.copy()
        options = params.pop("OPTIONS").copy()
        if options:
            raise ImproperlyConfigured(f"Unknown options: {', '.join(options)}")
        super().__init__(params)

    def from_string(self, template_code: str) -> Template:
        """Wrap ``template_code``."""
        return Template(template_code)

    def get_template(self, template_name: str) -> Template:
        """Read the first file called ``template_name`` in the template dirs."""
        tried = []
        for template_file in self.iter_template_filenames(template_name):
            try:
                with open(template_file, encoding="utf-8") as fp:
                    template_code = fp.read()
            except FileNotFoundError:
                tried.append((template_file, "Source does not exist"))
            else:
                return Template(template_code)
        raise TemplateDoesNotExist(template_name, tried=tried, backend=self)


class Template(string.Template):
    """A ``string.Template`` with the backend template ``render`` signature."""

    def render(self, context: dict[str, Any] | None = None, request: Any = None) -> str:
        """Substitute ``context`` (plus the CSRF values for a request)."""
        from manouche.utils.html import conditional_escape

        if context is None:
            context = {}
        else:
            context = {k: conditional_escape(v) for k, v in context.items()}
        if request is not None:
            from manouche.template.context_processors import get_csrf_token
            from manouche.utils.html import format_html

            token = get_csrf_token(request) or ""
            context["csrf_token"] = token
            context["csrf_input"] = (
                format_html(
                    '<input type="hidden" name="csrfmiddlewaretoken" value="{}">',
                    token,
                )
                if token
                else ""
            )
        return self.safe_substitute(context)
