"""Error containers, attribute flattening and the renderable mixins of forms.

ErrorDict and ErrorList render themselves through the form renderer's
templates; they hold ValidationError instances so callers can read codes and
params (``as_data``) as well as messages.
"""

from __future__ import annotations

import json
from collections import UserList
from typing import Any

from manouche.core.exceptions import ValidationError
from manouche.utils.html import escape, format_html_join
from manouche.utils.safestring import SafeString, mark_safe

__all__ = [
    "ErrorDict",
    "ErrorList",
    "RenderableErrorMixin",
    "RenderableFieldMixin",
    "RenderableFormMixin",
    "RenderableMixin",
    "flatatt",
    "from_current_timezone",
    "pretty_name",
    "to_current_timezone",
]


def pretty_name(name: str) -> str:
    """Turn a field name such as ``first_name`` into ``First name``."""
    if not name:
        return ""
    return name.replace("_", " ").capitalize()


def flatatt(attrs: dict[str, Any]) -> SafeString:
    """Render ``attrs`` as HTML attributes with a leading space each.

    ``True`` renders the bare name, ``False`` and ``None`` drop the attribute.
    """
    key_value_attrs = []
    boolean_attrs = []
    for attr, value in attrs.items():
        if isinstance(value, bool):
            if value:
                boolean_attrs.append((attr,))
        elif value is not None:
            key_value_attrs.append((attr, value))
    return mark_safe(  # type: ignore[no-any-return]
        format_html_join("", ' {}="{}"', sorted(key_value_attrs))
        + format_html_join("", " {}", sorted(boolean_attrs))
    )


class RenderableMixin:
    """Render an object through a template chosen by the form renderer."""

    renderer: Any
    template_name: str

    def get_context(self) -> dict[str, Any]:
        """Return the template context (subclasses implement)."""
        raise NotImplementedError(
            "Subclasses of RenderableMixin must provide a get_context() method."
        )

    def render(
        self,
        template_name: str | None = None,
        context: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        """Render with ``template_name`` (or the default) and ``context``."""
        renderer = renderer or self.renderer
        template = template_name or self.template_name
        context = context or self.get_context()
        return mark_safe(  # type: ignore[no-any-return]
            renderer.render(template, context)
        )

    def __str__(self) -> str:
        return self.render()

    def __html__(self) -> str:
        """Render: the object is its own safe HTML."""
        return self.render()


class RenderableFieldMixin(RenderableMixin):
    """The output styles of a bound field."""

    def as_field_group(self) -> SafeString:
        """Render label, help text, errors and widget together."""
        return self.render()

    def as_hidden(self, *args: Any, **kwargs: Any) -> SafeString:
        """Render as a hidden input (subclasses implement)."""
        raise NotImplementedError()

    def as_widget(self, *args: Any, **kwargs: Any) -> SafeString:
        """Render the widget (subclasses implement)."""
        raise NotImplementedError()

    def __str__(self) -> str:
        """Render the widget, plus hidden initial when show_hidden_initial."""
        if self.field.show_hidden_initial:  # type: ignore[attr-defined]
            return self.as_widget() + self.as_hidden(only_initial=True)
        return self.as_widget()

    def __html__(self) -> str:
        """Render the widget."""
        return str(self)


class RenderableFormMixin(RenderableMixin):
    """The output styles of a form: div (default), p, table and ul."""

    template_name_div: str
    template_name_p: str
    template_name_table: str
    template_name_ul: str

    def as_p(self) -> SafeString:
        """Render as ``<p>`` elements."""
        return self.render(template_name=self.template_name_p)

    def as_table(self) -> SafeString:
        """Render as table rows (without the ``<table>``)."""
        return self.render(template_name=self.template_name_table)

    def as_ul(self) -> SafeString:
        """Render as ``<li>`` elements (without the ``<ul>``)."""
        return self.render(template_name=self.template_name_ul)

    def as_div(self) -> SafeString:
        """Render as ``<div>`` elements."""
        return self.render(template_name=self.template_name_div)


class RenderableErrorMixin(RenderableMixin):
    """The output styles of error containers."""

    template_name_text: str
    template_name_ul: str

    def as_json(self, escape_html: bool = False) -> str:
        """Return the errors as JSON."""
        return json.dumps(self.get_json_data(escape_html))

    def get_json_data(self, escape_html: bool = False) -> Any:
        """Return the errors as JSON-serialisable data (subclasses implement)."""
        raise NotImplementedError()

    def as_text(self) -> SafeString:
        """Render as plain text bullets."""
        return self.render(self.template_name_text)

    def as_ul(self) -> SafeString:
        """Render as an HTML list."""
        return self.render(self.template_name_ul)


def _renderer(renderer: Any) -> Any:
    if renderer is not None:
        return renderer
    from manouche.forms.renderers import get_default_renderer

    return get_default_renderer()


class ErrorDict(dict[str, Any], RenderableErrorMixin):
    """Field name to ErrorList; renders as a nested ``<ul>`` by default."""

    template_name = "manouche/forms/errors/dict/default.html"
    template_name_text = "manouche/forms/errors/dict/text.txt"
    template_name_ul = "manouche/forms/errors/dict/ul.html"

    def __init__(self, *args: Any, renderer: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.renderer = _renderer(renderer)

    def as_data(self) -> dict[str, list[ValidationError]]:
        """Return the ValidationError instances by field."""
        return {f: e.as_data() for f, e in self.items()}

    def get_json_data(self, escape_html: bool = False) -> dict[str, Any]:
        """Return ``{field: [{"message": ..., "code": ...}]}``."""
        return {f: e.get_json_data(escape_html) for f, e in self.items()}

    def get_context(self) -> dict[str, Any]:
        """Expose the errors and the error class to the template."""
        return {"errors": self.items(), "error_class": "errorlist"}


class ErrorList(UserList[Any], list[Any], RenderableErrorMixin):  # type: ignore[misc]
    """A list of errors; renders as ``<ul class="errorlist">``."""

    template_name = "manouche/forms/errors/list/default.html"
    template_name_text = "manouche/forms/errors/list/text.txt"
    template_name_ul = "manouche/forms/errors/list/ul.html"

    def __init__(
        self,
        initlist: Any = None,
        error_class: str | None = None,
        renderer: Any = None,
        field_id: str | None = None,
    ) -> None:
        super().__init__(initlist)
        if error_class is None:
            self.error_class = "errorlist"
        else:
            self.error_class = f"errorlist {error_class}"
        self.renderer = _renderer(renderer)
        self.field_id = field_id

    def as_data(self) -> list[ValidationError]:
        """Return the ValidationError instances."""
        return ValidationError(self.data).error_list

    def copy(self) -> ErrorList:
        """Return a copy keeping the error class and renderer."""
        copy = super().copy()
        copy.error_class = self.error_class
        copy.renderer = self.renderer
        copy.field_id = self.field_id
        return copy

    def get_json_data(self, escape_html: bool = False) -> list[dict[str, Any]]:
        """Return ``[{"message": ..., "code": ...}]``."""
        errors = []
        for error in self.as_data():
            message = next(iter(error))
            errors.append(
                {
                    "message": escape(message) if escape_html else message,
                    "code": error.code or "",
                }
            )
        return errors

    def get_context(self) -> dict[str, Any]:
        """Expose the messages and the error class to the template."""
        return {"errors": self, "error_class": self.error_class}

    def __contains__(self, item: object) -> bool:
        return item in list(self)

    def __eq__(self, other: object) -> bool:
        return list(self) == other

    __hash__ = None  # type: ignore[assignment]

    def __getitem__(self, i: Any) -> Any:
        error = self.data[i]
        if isinstance(error, ValidationError):
            return next(iter(error))
        return error

    def __reduce_ex__(self, *args: Any, **kwargs: Any) -> Any:
        info: Any = super(UserList, self).__reduce_ex__(*args, **kwargs)
        return (*info[:3], None, None)


def from_current_timezone(value: Any) -> Any:
    """Make a naive datetime from a form aware in the current time zone.

    Raise ValidationError when the local time does not exist or is ambiguous.
    """
    from manouche.conf import settings
    from manouche.utils import timezone

    if settings.USE_TZ and value is not None and timezone.is_naive(value):
        current_timezone = timezone.get_current_timezone()
        try:
            if _ambiguous_or_imaginary(value, current_timezone):
                raise ValueError("Ambiguous or non-existent time.")
            return timezone.make_aware(value, current_timezone)
        except Exception as exc:
            from manouche.utils.translation import gettext as _

            raise ValidationError(
                _(
                    "%(datetime)s couldn't be interpreted in time zone "
                    "%(current_timezone)s; it may be ambiguous or it may not "
                    "exist."
                ),
                code="ambiguous_timezone",
                params={"datetime": value, "current_timezone": current_timezone},
            ) from exc
    return value


def to_current_timezone(value: Any) -> Any:
    """Convert an aware datetime to a naive one in the current time zone."""
    from manouche.conf import settings
    from manouche.utils import timezone

    if settings.USE_TZ and value is not None and timezone.is_aware(value):
        return timezone.make_naive(value)
    return value


def _ambiguous_or_imaginary(value: Any, tz: Any) -> bool:
    # With zoneinfo, a wall time in a DST gap or overlap has two offsets.
    first = value.replace(tzinfo=tz, fold=0).utcoffset()
    second = value.replace(tzinfo=tz, fold=1).utcoffset()
    return bool(first != second)
