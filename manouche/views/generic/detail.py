"""Detail views: SingleObjectMixin, BaseDetailView and DetailView."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from manouche.core.exceptions import ImproperlyConfigured
from manouche.http import Http404
from manouche.utils.translation import gettext as _
from manouche.views.generic.base import ContextMixin, TemplateResponseMixin, View

if TYPE_CHECKING:
    from manouche.http import HttpRequest, HttpResponseBase

__all__ = [
    "BaseDetailView",
    "DetailView",
    "SingleObjectMixin",
    "SingleObjectTemplateResponseMixin",
]


def _is_model_instance(value: Any) -> bool:
    from manouche.db.models import Model

    return isinstance(value, Model)


def _is_model_class(value: Any) -> bool:
    from manouche.db.models import Model

    return isinstance(value, type) and issubclass(value, Model)


class SingleObjectMixin(ContextMixin):
    """Find one object from the URL's ``pk`` or ``slug`` keyword argument."""

    model: Any = None
    queryset: Any = None
    slug_field = "slug"
    context_object_name: str | None = None
    slug_url_kwarg = "slug"
    pk_url_kwarg = "pk"
    query_pk_and_slug = False
    request: HttpRequest
    kwargs: dict[str, Any]
    object: Any

    def get_object(self, queryset: Any = None) -> Any:
        """Return the object the URL names, or raise Http404.

        The pk wins over the slug unless ``query_pk_and_slug`` asks for both.
        """
        if queryset is None:
            queryset = self.get_queryset()
        pk = self.kwargs.get(self.pk_url_kwarg)
        slug = self.kwargs.get(self.slug_url_kwarg)
        if pk is not None:
            queryset = queryset.filter(pk=pk)
        if slug is not None and (pk is None or self.query_pk_and_slug):
            queryset = queryset.filter(**{self.get_slug_field(): slug})
        if pk is None and slug is None:
            raise AttributeError(
                f"Generic detail view {self.__class__.__name__} must be called with "
                "either an object pk or a slug in the URLconf."
            )
        try:
            return queryset.get()
        except queryset.model.DoesNotExist:
            raise Http404(
                _("No %(verbose_name)s found matching the query")
                % {"verbose_name": queryset.model._meta.verbose_name}
            ) from None

    def get_queryset(self) -> Any:
        """Return the QuerySet to look the object up in."""
        if self.queryset is None:
            if self.model is not None:
                return self.model._default_manager.all()
            name = self.__class__.__name__
            raise ImproperlyConfigured(
                f"{name} is missing a QuerySet. Define {name}.model, "
                f"{name}.queryset, or override {name}.get_queryset()."
            )
        return self.queryset.all()

    def get_slug_field(self) -> str:
        """Return the model field the slug is matched against."""
        return self.slug_field

    def get_context_object_name(self, obj: Any) -> str | None:
        """Return the context name for the object: its model name by default."""
        if self.context_object_name:
            return self.context_object_name
        if _is_model_instance(obj):
            return str(obj._meta.model_name)
        return None

    def get_context_data(self, **kwargs: Any) -> Any:
        """Add the object as ``object`` and under its context object name."""
        context: dict[str, Any] = {}
        if self.object:
            context["object"] = self.object
            context_object_name = self.get_context_object_name(self.object)
            if context_object_name:
                context[context_object_name] = self.object
        context.update(kwargs)
        return super().get_context_data(**context)


class BaseDetailView(SingleObjectMixin, View):
    """Show one object; the response comes from render_to_response()."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        """Look the object up and render it."""
        self.object = self.get_object()
        context = self.get_context_data(object=self.object)
        # render_to_response() comes from a template mixin, as in DetailView.
        return self.render_to_response(context)  # type: ignore[attr-defined,no-any-return]


class SingleObjectTemplateResponseMixin(TemplateResponseMixin):
    """Fall back on ``<app_label>/<model_name><suffix>.html`` template names."""

    template_name_field: str | None = None
    template_name_suffix = "_detail"
    object: Any
    model: Any

    def get_template_names(self) -> list[str]:
        """Return ``template_name``, else the object's field and model names."""
        try:
            return super().get_template_names()
        except ImproperlyConfigured:
            names: list[str] = []
        obj: Any = getattr(self, "object", None)
        if obj and self.template_name_field:
            name = getattr(obj, self.template_name_field, None)
            if name:
                names.append(name)
        opts: Any = None
        if _is_model_instance(obj):
            opts = obj._meta
        elif _is_model_class(getattr(self, "model", None)):
            opts = self.model._meta
        if opts is not None:
            names.append(
                f"{opts.app_label}/{opts.model_name}{self.template_name_suffix}.html"
            )
        if not names:
            raise ImproperlyConfigured(
                f"{SingleObjectTemplateResponseMixin.__name__} requires a definition "
                "of 'template_name', 'template_name_field', or 'model'; "
                "or an implementation of 'get_template_names()'."
            )
        return names


class DetailView(SingleObjectTemplateResponseMixin, BaseDetailView):
    """Render one object, found by ``pk`` or ``slug`` in the URL."""
