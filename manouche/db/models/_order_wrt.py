"""``Meta.order_with_respect_to``: rows kept in order within their related object.

A model ordered with respect to a relation (a ForeignKey or a
GenericForeignKey) has a hidden ``_order`` column (see ``fields.proxy``). A
new row goes last among the rows sharing its related object; the instance
gains ``get_next_in_order()``/``get_previous_in_order()`` and the related
model ``get_<model>_order()``/``set_<model>_order()``.
"""

from __future__ import annotations

from functools import partialmethod
from typing import Any

from manouche.db.models._io import Operation

__all__ = [
    "install_generic_order_accessors",
    "install_order_accessors",
    "install_related_order_accessors",
    "next_order_operation",
    "ordered_by_generic_key",
]


def _generic(field: Any) -> bool:
    """Tell whether ``field`` is a GenericForeignKey (content type + object id)."""
    return hasattr(field, "ct_field") and hasattr(field, "fk_field")


def _ct_attname(field: Any) -> str:
    return str(field.model._meta.get_field(field.ct_field).attname)


def _siblings_filter(field: Any, instance: Any) -> dict[str, Any]:
    """Return the filter matching the rows that share ``instance``'s related object."""
    if _generic(field):
        ct_attname = _ct_attname(field)
        return {
            ct_attname: getattr(instance, ct_attname),
            field.fk_field: getattr(instance, field.fk_field),
        }
    return {field.attname: getattr(instance, field.attname)}


def _related_filter(field: Any, related: Any) -> dict[str, Any]:
    """Return the filter matching the ordered rows that point at ``related``."""
    if _generic(field):
        content_type = field.get_content_type(obj=related)
        return {_ct_attname(field): content_type.pk, field.fk_field: related.pk}
    return {field.attname: getattr(related, field.target_field.attname)}


def next_order_operation(instance: Any, cls: Any, using: str) -> Operation:
    """Return (as an operation) the ``_order`` a new row of ``cls`` takes: last."""
    from manouche.db.models.aggregates import Max
    from manouche.db.models.expressions import Value
    from manouche.db.models.functions import Coalesce

    field = cls._meta.order_with_respect_to
    queryset = cls._base_manager.using(using).filter(
        **_siblings_filter(field, instance)
    )
    last = Coalesce(Max("_order") + Value(1), Value(0))
    result = yield from queryset._aggregate_operation((), {"next": last})
    return int(result["next"])


def _get_next_or_previous_in_order(self: Any, is_next: bool) -> Any:
    """Return the neighbouring row in ``_order`` among the rows sharing the relation.

    Raises the model's DoesNotExist at either end.
    """
    cache_name = f"_{'next' if is_next else 'previous'}_in_order_cache"
    if cache_name in self.__dict__:
        return self.__dict__[cache_name]
    from manouche.db.models.expressions import Subquery

    manager = type(self)._default_manager
    field = self._meta.order_with_respect_to
    own_order = Subquery(manager.filter(pk=self.pk).values("_order"))
    lookup = "_order__gt" if is_next else "_order__lt"
    neighbour = (
        manager.filter(**_siblings_filter(field, self))
        .filter(**{lookup: own_order})
        .order_by("_order" if is_next else "-_order")[:1]
        .get()
    )
    self.__dict__[cache_name] = neighbour
    return neighbour


def install_order_accessors(cls: Any) -> None:
    """Give an ordered model ``get_next_in_order()`` and ``get_previous_in_order()``."""
    cls.get_next_in_order = partialmethod(_get_next_or_previous_in_order, is_next=True)
    cls.get_previous_in_order = partialmethod(
        _get_next_or_previous_in_order, is_next=False
    )


def _get_order(self: Any, ordered_model: Any) -> Any:
    """Return the primary keys of the ``ordered_model`` rows of ``self``, in order."""
    field = ordered_model._meta.order_with_respect_to
    pk_name = ordered_model._meta.pk.name
    return ordered_model._default_manager.filter(
        **_related_filter(field, self)
    ).values_list(pk_name, flat=True)


def _set_order(
    self: Any, ordered_model: Any, id_list: list[Any], using: str | None = None
) -> None:
    """Give the rows of ``self`` in ``id_list`` the positions of their ids.

    One UPDATE (a CASE on the primary key) limited to the rows of ``self``:
    a listed id that belongs to another object is left alone.
    """
    from manouche.db.models.expressions import Case, Value, When
    from manouche.db.models.fields import IntegerField

    ids = list(id_list)
    if not ids:
        return
    field = ordered_model._meta.order_with_respect_to
    positions = Case(
        *(When(pk=pk, then=Value(index)) for index, pk in enumerate(ids)),
        output_field=IntegerField(),
    )
    ordered_model._default_manager.db_manager(using).filter(
        **_related_filter(field, self), pk__in=ids
    ).update(_order=positions)


def install_related_order_accessors(ordered_model: Any, related_model: Any) -> None:
    """Give ``related_model`` ``get_<model>_order()`` and ``set_<model>_order()``."""
    model_name = ordered_model.__name__.lower()
    setattr(
        related_model,
        f"get_{model_name}_order",
        partialmethod(_get_order, ordered_model),
    )
    setattr(
        related_model,
        f"set_{model_name}_order",
        partialmethod(_set_order, ordered_model),
    )


def install_generic_order_accessors(relation: Any, model: Any) -> None:
    """Give ``model`` the order accessors of the GenericRelation ``relation``.

    Only when the model it points at is ordered with respect to the
    GenericForeignKey that ``relation`` reverses (checked once both are ready).
    """
    from manouche.db.models.fields.related import lazy_related_operation

    def install(related_model: Any, ordered_model: Any) -> None:
        if ordered_by_generic_key(ordered_model, relation):
            install_related_order_accessors(ordered_model, related_model)

    lazy_related_operation(install, model, relation.remote_field.model)


def ordered_by_generic_key(ordered_model: Any, relation: Any) -> bool:
    """Tell whether ``ordered_model`` is ordered by the generic key ``relation`` uses.

    ``relation`` is a GenericRelation: its content type and object id fields
    name the GenericForeignKey it reverses.
    """
    field = ordered_model._meta.order_with_respect_to
    return (
        field is not None
        and _generic(field)
        and field.ct_field == relation.content_type_field_name
        and field.fk_field == relation.object_id_field_name
    )
