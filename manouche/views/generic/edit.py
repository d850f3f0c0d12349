"""Editing views: forms, and creating, updating and deleting model objects."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from manouche.core.exceptions import ImproperlyConfigured
from manouche.forms import Form
from manouche.http import HttpResponseRedirect
from manouche.views.generic.base import ContextMixin, TemplateResponseMixin, View
from manouche.views.generic.detail import (
    BaseDetailView,
    SingleObjectMixin,
    SingleObjectTemplateResponseMixin,
)

if TYPE_CHECKING:
    from manouche.http import HttpRequest, HttpResponseBase

__all__ = [
    "BaseCreateView",
    "BaseDeleteView",
    "BaseFormView",
    "BaseUpdateView",
    "CreateView",
    "DeleteView",
    "DeletionMixin",
    "FormMixin",
    "FormView",
    "ModelFormMixin",
    "ProcessFormView",
    "UpdateView",
]


def _format_success_url(url: Any, obj: Any) -> str:
    """Fill ``{field}`` placeholders from ``obj``, as Django 5.2 does.

    ``%`` stays literal, so percent-encoded URLs (``?q=a%20b``) survive.
    """
    return str(str(url).format(**obj.__dict__))


class FormMixin(ContextMixin):
    """Build, validate and answer a form."""

    initial: dict[str, Any] = {}  # get_initial() hands out copies
    form_class: Any = None
    success_url: Any = None
    prefix: str | None = None
    request: HttpRequest

    def get_initial(self) -> dict[str, Any]:
        """Return a copy of the form's initial data."""
        return self.initial.copy()

    def get_prefix(self) -> str | None:
        """Return the form prefix."""
        return self.prefix

    def get_form_class(self) -> Any:
        """Return the form class to instantiate."""
        return self.form_class

    def get_form(self, form_class: Any = None) -> Any:
        """Return a bound (POST/PUT) or unbound form instance."""
        if form_class is None:
            form_class = self.get_form_class()
        return form_class(**self.get_form_kwargs())

    def get_form_kwargs(self) -> dict[str, Any]:
        """Return the form's keyword arguments, with the data on POST and PUT."""
        kwargs: dict[str, Any] = {
            "initial": self.get_initial(),
            "prefix": self.get_prefix(),
        }
        if self.request.method in ("POST", "PUT"):
            kwargs["data"] = self.request.POST
            kwargs["files"] = self.request.FILES
        return kwargs

    def get_success_url(self) -> str:
        """Return where to redirect once the form is valid."""
        if not self.success_url:
            raise ImproperlyConfigured("No URL to redirect to. Provide a success_url.")
        return str(self.success_url)  # success_url may be lazy (reverse_lazy)

    def form_valid(self, form: Any) -> HttpResponseBase:
        """Redirect to the success URL."""
        return HttpResponseRedirect(self.get_success_url())

    def form_invalid(self, form: Any) -> HttpResponseBase:
        """Render the form again, with its errors."""
        # render_to_response() comes from a template mixin, as in FormView.
        return self.render_to_response(self.get_context_data(form=form))  # type: ignore[attr-defined,no-any-return]

    def get_context_data(self, **kwargs: Any) -> Any:
        """Add ``form`` to the context unless the caller gave one."""
        if "form" not in kwargs:
            kwargs["form"] = self.get_form()
        return super().get_context_data(**kwargs)


class ModelFormMixin(FormMixin, SingleObjectMixin):
    """Build a ModelForm for the view's model, and save it when valid."""

    fields: list[str] | tuple[str, ...] | str | None = None

    def get_form_class(self) -> Any:
        """Return ``form_class``, or a ModelForm built from ``fields``."""
        if self.fields is not None and self.form_class:
            raise ImproperlyConfigured(
                "Specifying both 'fields' and 'form_class' is not permitted."
            )
        if self.form_class:
            return self.form_class
        if self.model is not None:
            model = self.model
        elif getattr(self, "object", None) is not None:
            model = self.object.__class__
        else:
            model = self.get_queryset().model
        if self.fields is None:
            raise ImproperlyConfigured(
                "Using ModelFormMixin (base class of "
                f"{self.__class__.__name__}) without the 'fields' attribute is "
                "prohibited."
            )
        from manouche.forms.models import modelform_factory

        return modelform_factory(model, fields=self.fields)

    def get_form_kwargs(self) -> dict[str, Any]:
        """Add the object being edited as the form's ``instance``."""
        kwargs = super().get_form_kwargs()
        if hasattr(self, "object"):
            kwargs["instance"] = self.object
        return kwargs

    def get_success_url(self) -> str:
        """Return ``success_url`` filled from the object, else its absolute URL."""
        if self.success_url:
            return _format_success_url(self.success_url, self.object)
        try:
            return str(self.object.get_absolute_url())
        except AttributeError:
            raise ImproperlyConfigured(
                "No URL to redirect to.  Either provide a url or define a "
                "get_absolute_url method on the Model."
            ) from None

    def form_valid(self, form: Any) -> HttpResponseBase:
        """Save the form, keep the object, and redirect."""
        self.object = form.save()
        return super().form_valid(form)


class ProcessFormView(View):
    """Render a blank form on GET; validate a submitted one on POST."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        """Render a blank form."""
        # Both methods come from FormMixin and a template mixin.
        context = self.get_context_data()  # type: ignore[attr-defined]
        return self.render_to_response(context)  # type: ignore[attr-defined,no-any-return]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        """Validate the submitted form and answer through form_(in)valid()."""
        form = self.get_form()  # type: ignore[attr-defined]
        if form.is_valid():
            return self.form_valid(form)  # type: ignore[attr-defined,no-any-return]
        return self.form_invalid(form)  # type: ignore[attr-defined,no-any-return]

    def put(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        """Handle PUT like POST (for subclasses that parse PUT bodies)."""
        return self.post(request, *args, **kwargs)


class BaseFormView(FormMixin, ProcessFormView):
    """A form view without a template mixin."""


class FormView(TemplateResponseMixin, BaseFormView):
    """Render a form; redirect to ``success_url`` when it validates."""


class BaseCreateView(ModelFormMixin, ProcessFormView):
    """Create an object with a ModelForm, without a template mixin."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        """Render an empty form (no object yet)."""
        self.object = None
        return super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        """Validate and create."""
        self.object = None
        return super().post(request, *args, **kwargs)


class CreateView(SingleObjectTemplateResponseMixin, BaseCreateView):
    """Create an object, rendering ``<app>/<model>_form.html``."""

    template_name_suffix = "_form"


class BaseUpdateView(ModelFormMixin, ProcessFormView):
    """Edit an existing object with a ModelForm, without a template mixin."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        """Render the form bound to the object's current values."""
        self.object = self.get_object()
        return super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        """Validate and save the object."""
        self.object = self.get_object()
        return super().post(request, *args, **kwargs)


class UpdateView(SingleObjectTemplateResponseMixin, BaseUpdateView):
    """Edit an object, rendering ``<app>/<model>_form.html``."""

    template_name_suffix = "_form"


class DeletionMixin:
    """Delete the view's object and redirect (the ``delete`` method)."""

    success_url: Any = None
    object: Any

    def delete(
        self, request: HttpRequest, *args: Any, **kwargs: Any
    ) -> HttpResponseBase:
        """Delete the object, then redirect to the success URL."""
        self.object = self.get_object()  # type: ignore[attr-defined]
        success_url = self.get_success_url()
        self.object.delete()
        return HttpResponseRedirect(success_url)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        """Delete on POST, as HTML forms cannot send DELETE."""
        return self.delete(request, *args, **kwargs)

    def get_success_url(self) -> str:
        """Return ``success_url`` filled from the deleted object's fields."""
        if self.success_url:
            return _format_success_url(self.success_url, self.object)
        raise ImproperlyConfigured("No URL to redirect to. Provide a success_url.")


class BaseDeleteView(DeletionMixin, FormMixin, BaseDetailView):
    """Confirm on GET; on POST validate ``form_class`` and delete."""

    form_class: Any = Form

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        """Validate the confirmation form, then delete (or re-render)."""
        self.object = self.get_object()
        form = self.get_form()
        if form.is_valid():
            return self.form_valid(form)
        return self.form_invalid(form)

    def form_valid(self, form: Any) -> HttpResponseBase:
        """Delete the object and redirect."""
        success_url = self.get_success_url()
        self.object.delete()
        return HttpResponseRedirect(success_url)


class DeleteView(SingleObjectTemplateResponseMixin, BaseDeleteView):
    """Delete an object, confirming through ``<app>/<model>_confirm_delete.html``."""

    template_name_suffix = "_confirm_delete"
