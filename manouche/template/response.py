"""Responses rendered lazily from a template, once middleware had its say."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from manouche.http import HttpResponse

__all__ = ["ContentNotRenderedError", "SimpleTemplateResponse", "TemplateResponse"]


class ContentNotRenderedError(Exception):
    """The content was read before the response was rendered."""


class SimpleTemplateResponse(HttpResponse):
    """A response holding a template and context until ``render()``."""

    non_picklable_attrs = frozenset(
        ["template_name", "context_data", "_post_render_callbacks"]
    )
    rendering_attrs = ["template_name", "context_data", "_post_render_callbacks"]

    def __init__(
        self,
        template: Any,
        context: dict[str, Any] | None = None,
        content_type: str | None = None,
        status: int | None = None,
        charset: str | None = None,
        using: str | None = None,
        headers: Any = None,
    ) -> None:
        self.template_name = template
        self.context_data = context
        self.using = using
        self._post_render_callbacks: list[Callable[..., Any]] = []
        self._request: Any = None
        super().__init__("", content_type, status, charset=charset, headers=headers)
        self._is_rendered = False

    def __getstate__(self) -> dict[str, Any]:
        if not self._is_rendered:
            raise ContentNotRenderedError(
                "The response content must be rendered before it can be pickled."
            )
        obj_dict = self.__dict__.copy()
        for attr in self.non_picklable_attrs:
            obj_dict.pop(attr, None)
        return obj_dict

    def resolve_template(self, template: Any) -> Any:
        """Return a template for a name, a list of names, or a template."""
        from manouche.template import loader

        if isinstance(template, (list, tuple)):
            return loader.select_template(template, using=self.using)
        if isinstance(template, str):
            return loader.get_template(template, using=self.using)
        return template

    def resolve_context(self, context: Any) -> Any:
        """Return the context to render with."""
        return context

    @property
    def rendered_content(self) -> str:
        """Render now and return the content (without storing it)."""
        template = self.resolve_template(self.template_name)
        context = self.resolve_context(self.context_data)
        return template.render(context, self._request)  # type: ignore[no-any-return]

    def add_post_render_callback(self, callback: Callable[..., Any]) -> None:
        """Run ``callback(response)`` after rendering (now, if already done)."""
        if self._is_rendered:
            callback(self)
        else:
            self._post_render_callbacks.append(callback)

    def render(self) -> Any:
        """Render once; post-render callbacks may replace the response."""
        retval: Any = self
        if not self._is_rendered:
            self.content = self.rendered_content
            for post_callback in self._post_render_callbacks:
                newretval = post_callback(retval)
                if newretval is not None:
                    retval = newretval
        return retval

    @property
    def is_rendered(self) -> bool:
        """Whether ``render()`` has run."""
        return self._is_rendered

    def __iter__(self) -> Any:
        if not self._is_rendered:
            raise ContentNotRenderedError(
                "The response content must be rendered before it can be iterated over."
            )
        return super().__iter__()

    @property
    def content(self) -> bytes:
        """The rendered body; reading it before rendering is an error."""
        if not self._is_rendered:
            raise ContentNotRenderedError(
                "The response content must be rendered before it can be accessed."
            )
        return HttpResponse.content.fget(self)  # type: ignore[attr-defined, no-any-return]

    @content.setter
    def content(self, value: Any) -> None:
        HttpResponse.content.fset(self, value)  # type: ignore[attr-defined]
        self._is_rendered = True


class TemplateResponse(SimpleTemplateResponse):
    """A SimpleTemplateResponse that renders with the request (context processors)."""

    rendering_attrs = [*SimpleTemplateResponse.rendering_attrs, "_request"]

    def __init__(
        self,
        request: Any,
        template: Any,
        context: dict[str, Any] | None = None,
        content_type: str | None = None,
        status: int | None = None,
        charset: str | None = None,
        using: str | None = None,
        headers: Any = None,
    ) -> None:
        super().__init__(
            template, context, content_type, status, charset, using, headers=headers
        )
        self._request = request
