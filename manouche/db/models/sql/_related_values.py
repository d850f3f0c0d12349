"""Which model instances and QuerySets a lookup across a relation accepts.

``filter(author=book)`` would compare an author key with a book's key and
silently match the wrong rows: instances (and QuerySets) of an unrelated
model are refused when the filter is added. A proxy, a multi-table parent
or a child of the related model is accepted: it shares the key values.
"""

from __future__ import annotations

from typing import Any

from manouche.core.exceptions import FieldDoesNotExist
from manouche.db.models.query_utils import LOOKUP_SEP

__all__ = ["check_related_values"]

_COLLECTIONS = (list, tuple, set, frozenset)


def _compatible(model: Any, opts: Any) -> bool:
    """Whether instances of ``model`` hold keys of ``opts``'s model."""
    concrete = opts.concrete_model
    return bool(
        model._meta.concrete_model is concrete
        or concrete in model._meta.get_parent_list()
        or model in opts.get_parent_list()
    )


def _accepts(model: Any, field: Any) -> bool:
    opts = field.related_model._meta
    if _compatible(model, opts):
        return True
    # A primary key that is a relation (a multi-table child's parent link)
    # also holds keys of the model it is declared on.
    return bool(getattr(field, "primary_key", False)) and _compatible(
        model, field.model._meta
    )


def _final_relation(model: Any, path: str) -> tuple[Any, list[str]]:
    """Return the relation a lookup path ends on and the lookups after it.

    The relation is None when the path ends on a plain field.
    """
    opts = model._meta
    field = None
    parts = path.split(LOOKUP_SEP)
    for index, part in enumerate(parts):
        try:
            field = opts.pk if part == "pk" else opts.get_field(part)
        except FieldDoesNotExist:
            return (field if index else None), parts[index:]
        related = getattr(field, "related_model", None)
        if not field.is_relation or related is None or isinstance(related, str):
            return None, []
        opts = related._meta
    return field, []


def _check_key_values(field: Any, lookups: list[str], value: Any) -> None:
    """Prepare plain key values now, so that a malformed one fails in filter()."""
    if lookups not in ([], ["exact"], ["in"]):
        return
    target = getattr(field, "target_field", None)
    if target is None or getattr(target, "is_relation", False):
        return
    values = value if lookups == ["in"] and isinstance(value, _COLLECTIONS) else [value]
    for item in values:
        if isinstance(item, (str, int)) and not isinstance(item, bool):
            target.get_prep_value(item)


def _is_instance(value: Any) -> bool:
    return not isinstance(value, type) and hasattr(value, "_meta")


def check_related_values(model: Any, path: str, value: Any) -> None:
    """Raise ValueError if ``value`` cannot be compared with ``path``'s relation.

    Plain values compared with a relation's key are prepared too: a
    malformed key (``tag="abc"`` for an integer key) fails here.
    """
    if isinstance(value, _COLLECTIONS):
        candidates = [item for item in value if _is_instance(item)]
    elif _is_instance(value):
        candidates = [value]
    else:
        candidates = []
    is_queryset = hasattr(value, "query") and hasattr(value, "model")
    field, lookups = _final_relation(model, path)
    if field is None:
        return
    if not candidates and not is_queryset:
        _check_key_values(field, lookups, value)
        return
    target = field.related_model._meta
    if is_queryset:
        if value.query.has_select_fields() or _accepts(value.model, field):
            return
        raise ValueError(
            f'Cannot use QuerySet for "{value.model._meta.object_name}": Use a '
            f'QuerySet for "{target.object_name}".'
        )
    for candidate in candidates:
        if not _accepts(type(candidate), field):
            raise ValueError(
                f'Cannot query "{candidate}": Must be "{target.object_name}" instance.'
            )
