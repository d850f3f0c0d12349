"""Plain Jinja2 templates behind the template backend API."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2

from manouche.template.backends.base import BaseEngine
from manouche.template.exceptions import TemplateDoesNotExist, TemplateSyntaxError
from manouche.utils.functional import cached_property
from manouche.utils.module_loading import import_string

__all__ = ["Jinja2", "Origin", "Template", "get_exception_info"]


class Jinja2(BaseEngine):
    """Render Jinja2 templates; OPTIONS go to the Environment."""

    app_dirname = "jinja2"

    def __init__(self, params: dict[str, Any]) -> None:
        params = params.copy()
        options = params.pop("OPTIONS").copy()
        super().__init__(params)
        self.context_processors = options.pop("context_processors", [])
        environment = options.pop("environment", "jinja2.Environment")
        environment_cls = import_string(environment)
        from manouche.conf import settings

        if "loader" not in options:
            options["loader"] = jinja2.FileSystemLoader(self.template_dirs)
        options.setdefault("autoescape", True)
        options.setdefault("auto_reload", settings.DEBUG)
        options.setdefault(
            "undefined", jinja2.DebugUndefined if settings.DEBUG else jinja2.Undefined
        )
        self.env = environment_cls(**options)

    def from_string(self, template_code: str) -> Template:
        """Compile a template from a string."""
        return Template(self.env.from_string(template_code), self)

    def get_template(self, template_name: str) -> Template:
        """Load a template, mapping Jinja2 errors to ours."""
        try:
            return Template(self.env.get_template(template_name), self)
        except jinja2.TemplateNotFound as exc:
            raise TemplateDoesNotExist(str(exc.name), backend=self) from exc
        except jinja2.TemplateSyntaxError as exc:
            new = TemplateSyntaxError(exc.args)
            new.template_debug = get_exception_info(exc)
            raise new from exc

    @cached_property
    def template_context_processors(self) -> list[Any]:
        """The context processors, imported."""
        return [import_string(path) for path in self.context_processors]


class Template:
    """A Jinja2 template with ``render(context=None, request=None)``."""

    def __init__(self, template: Any, backend: Jinja2) -> None:
        self.template = template
        self.backend = backend
        self.origin = Origin(name=template.filename, template_name=template.name)

    def render(self, context: dict[str, Any] | None = None, request: Any = None) -> str:
        """Render; with a request add request, csrf_input, csrf_token and processors."""
        if context is None:
            context = {}
        if request is not None:
            from manouche.template.context_processors import get_csrf_token
            from manouche.utils.functional import lazy
            from manouche.utils.html import format_html

            def csrf_token() -> str:
                return get_csrf_token(request) or ""

            def csrf_input() -> str:
                token = csrf_token()
                if not token:
                    return ""
                return str(
                    format_html(
                        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">',
                        token,
                    )
                )

            context = dict(context)
            context["request"] = request
            context["csrf_input"] = lazy(csrf_input, str)()
            context["csrf_token"] = lazy(csrf_token, str)()
            for context_processor in self.backend.template_context_processors:
                context.update(context_processor(request))
        try:
            return self.template.render(context)  # type: ignore[no-any-return]
        except jinja2.TemplateSyntaxError as exc:
            new = TemplateSyntaxError(exc.args)
            new.template_debug = get_exception_info(exc)
            raise new from exc


class Origin:
    """A Jinja2 template's origin (mirrors the DTL Origin)."""

    def __init__(self, name: str | None, template_name: str | None) -> None:
        self.name = name
        self.template_name = template_name


def get_exception_info(exception: Any) -> dict[str, Any]:
    """Debug information for a Jinja2 syntax error (for the 500 page)."""
    context_lines = 10
    lineno = exception.lineno
    source = exception.source
    if source is None:
        exception_file = Path(exception.filename)
        if exception_file.exists():
            source = exception_file.read_text()
    if source is not None:
        lines = list(enumerate(source.strip().split("\n"), start=1))
        during = lines[lineno - 1][1]
        total = len(lines)
        top = max(0, lineno - context_lines - 1)
        bottom = min(total, lineno + context_lines)
    else:
        during = ""
        lines = []
        total = top = bottom = 0
    return {
        "name": exception.filename,
        "message": exception.message,
        "source_lines": lines[top:bottom],
        "line": lineno,
        "before": "",
        "during": during,
        "after": "",
        "total": total,
        "top": top,
        "bottom": bottom,
    }
