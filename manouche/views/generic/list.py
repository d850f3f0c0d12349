"""List views: MultipleObjectMixin, BaseListView and ListView, with pagination."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from manouche.core.exceptions import ImproperlyConfigured
from manouche.core.paginator import InvalidPage, Paginator
from manouche.http import Http404
from manouche.utils.translation import gettext as _
from manouche.views.generic.base import ContextMixin, TemplateResponseMixin, View

if TYPE_CHECKING:
    from manouche.http import HttpRequest, HttpResponseBase

__all__ = [
    "BaseListView",
    "ListView",
    "MultipleObjectMixin",
    "MultipleObjectTemplateResponseMixin",
]


def _is_queryset(value: Any) -> bool:
    from manouche.db.models.query import QuerySet

    return isinstance(value, QuerySet)


class MultipleObjectMixin(ContextMixin):
    """Work with a list of objects: the queryset, ordering and pagination."""

    allow_empty = True
    queryset: Any = None
    model: Any = None
    paginate_by: int | None = None
    paginate_orphans = 0
    context_object_name: str | None = None
    paginator_class: type[Paginator] = Paginator
    page_kwarg = "page"
    ordering: str | list[str] | tuple[str, ...] | None = None
    request: HttpRequest
    kwargs: dict[str, Any]
    object_list: Any

    def get_queryset(self) -> Any:
        """Return the objects to list: ``queryset``, else all of ``model``."""
        if self.queryset is not None:
            queryset = self.queryset
            if _is_queryset(queryset):
                # A fresh clone per request: never reuse the class's cache.
                queryset = queryset.all()
        elif self.model is not None:
            queryset = self.model._default_manager.all()
        else:
            name = self.__class__.__name__
            raise ImproperlyConfigured(
                f"{name} is missing a QuerySet. Define {name}.model, "
                f"{name}.queryset, or override {name}.get_queryset()."
            )
        ordering = self.get_ordering()
        if ordering:
            if isinstance(ordering, str):
                ordering = (ordering,)
            queryset = queryset.order_by(*ordering)
        return queryset

    def get_ordering(self) -> str | list[str] | tuple[str, ...] | None:
        """Return the field names to order the queryset by."""
        return self.ordering

    def paginate_queryset(
        self, queryset: Any, page_size: int
    ) -> tuple[Paginator, Any, Any, bool]:
        """Return (paginator, page, page objects, is_paginated); Http404 if bad."""
        paginator = self.get_paginator(
            queryset,
            page_size,
            orphans=self.get_paginate_orphans(),
            allow_empty_first_page=self.get_allow_empty(),
        )
        page_kwarg = self.page_kwarg
        page = self.kwargs.get(page_kwarg) or self.request.GET.get(page_kwarg) or 1
        try:
            page_number = int(page)
        except ValueError:
            if page == "last":
                page_number = paginator.num_pages
            else:
                raise Http404(
                    _("Page is not “last”, nor can it be converted to an int.")
                ) from None
        try:
            page_obj = paginator.page(page_number)
        except InvalidPage as exc:
            raise Http404(
                _("Invalid page (%(page_number)s): %(message)s")
                % {"page_number": page_number, "message": str(exc)}
            ) from exc
        return (paginator, page_obj, page_obj.object_list, page_obj.has_other_pages())

    def get_paginate_by(self, queryset: Any) -> int | None:
        """Return the page size, or None to show everything on one page."""
        return self.paginate_by

    def get_paginator(
        self,
        queryset: Any,
        per_page: int,
        orphans: int = 0,
        allow_empty_first_page: bool = True,
        **kwargs: Any,
    ) -> Paginator:
        """Return a ``paginator_class`` instance for this view."""
        return self.paginator_class(
            queryset,
            per_page,
            orphans=orphans,
            allow_empty_first_page=allow_empty_first_page,
            **kwargs,
        )

    def get_paginate_orphans(self) -> int:
        """Return how many items the last page may fold into the previous one."""
        return self.paginate_orphans

    def get_allow_empty(self) -> bool:
        """Tell whether an empty list renders (True) or answers 404 (False)."""
        return self.allow_empty

    def get_context_object_name(self, object_list: Any) -> str | None:
        """Return the context name for the list: ``<model_name>_list`` by default."""
        if self.context_object_name:
            return self.context_object_name
        if hasattr(object_list, "model"):
            return f"{object_list.model._meta.model_name}_list"
        return None

    def get_context_data(self, *, object_list: Any = None, **kwargs: Any) -> Any:
        """Add the list, and the paginator and page when paginating."""
        queryset = object_list if object_list is not None else self.object_list
        page_size = self.get_paginate_by(queryset)
        context_object_name = self.get_context_object_name(queryset)
        if page_size:
            paginator, page, queryset, is_paginated = self.paginate_queryset(
                queryset, page_size
            )
            context: dict[str, Any] = {
                "paginator": paginator,
                "page_obj": page,
                "is_paginated": is_paginated,
                "object_list": queryset,
            }
        else:
            context = {
                "paginator": None,
                "page_obj": None,
                "is_paginated": False,
                "object_list": queryset,
            }
        if context_object_name is not None:
            context[context_object_name] = queryset
        context.update(kwargs)
        return super().get_context_data(**context)


class BaseListView(MultipleObjectMixin, View):
    """Show a list of objects; the response comes from render_to_response()."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        """Render the list, or 404 when it is empty and ``allow_empty`` is off."""
        self.object_list = self.get_queryset()
        if not self.get_allow_empty():
            # With pagination, exists() is cheaper than fetching every row.
            if self.get_paginate_by(self.object_list) is not None and hasattr(
                self.object_list, "exists"
            ):
                is_empty = not self.object_list.exists()
            else:
                is_empty = not self.object_list
            if is_empty:
                raise Http404(
                    _("Empty list and “%(class_name)s.allow_empty” is False.")
                    % {"class_name": self.__class__.__name__}
                )
        context = self.get_context_data()
        # render_to_response() comes from a template mixin, as in ListView.
        return self.render_to_response(context)  # type: ignore[attr-defined,no-any-return]


class MultipleObjectTemplateResponseMixin(TemplateResponseMixin):
    """Add ``<app_label>/<model_name><suffix>.html`` to the template names."""

    template_name_suffix = "_list"
    object_list: Any

    def get_template_names(self) -> list[str]:
        """Return ``template_name`` (if set), then the model's conventional name."""
        try:
            names = super().get_template_names()
        except ImproperlyConfigured:
            names = []
        if hasattr(self.object_list, "model"):
            opts = self.object_list.model._meta
            names.append(
                f"{opts.app_label}/{opts.model_name}{self.template_name_suffix}.html"
            )
        elif not names:
            raise ImproperlyConfigured(
                f"{self.__class__.__name__} requires either a 'template_name' "
                "attribute or a get_queryset() method that returns a QuerySet."
            )
        return names


class ListView(MultipleObjectTemplateResponseMixin, BaseListView):
    """Render a list of objects, paginated when ``paginate_by`` is set."""
