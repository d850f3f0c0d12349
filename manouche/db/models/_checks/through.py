"""System checks of ManyToManyField and its intermediate (``through``) model.

The ``fields.E330``-``E340`` and ``W340``-``W345`` ids: options that have no
effect, a through model that is missing or ambiguous, ``through_fields`` that
do not name two keys, and join tables whose name is taken.
"""

from __future__ import annotations

from typing import Any

from manouche.core import checks
from manouche.core.exceptions import FieldDoesNotExist

__all__ = ["check_many_to_many"]

Messages = list[checks.CheckMessage]


def check_many_to_many(field: Any, **kwargs: Any) -> Messages:
    """Return the problems of the many-to-many ``field``."""
    return [
        *_check_unique(field),
        *_check_ignored_options(field),
        *_check_relationship_model(field),
        *_check_table_uniqueness(field),
    ]


def _check_unique(field: Any) -> Messages:
    if field.unique:
        message = "ManyToManyFields cannot be unique."
        return [checks.Error(message, obj=field, id="fields.E330")]
    return []


def _check_ignored_options(field: Any) -> Messages:
    rel = field.remote_field
    warnings: Messages = []
    if getattr(field, "has_null_arg", False):
        message = "null has no effect on ManyToManyField."
        warnings.append(checks.Warning(message, obj=field, id="fields.W340"))
    if getattr(field, "_declared_validators", None):
        message = "ManyToManyField does not support validators."
        warnings.append(checks.Warning(message, obj=field, id="fields.W341"))
    if field.db_comment:
        message = "db_comment has no effect on ManyToManyField."
        warnings.append(checks.Warning(message, obj=field, id="fields.W346"))
    through = rel.through
    custom_through = through is not None and (
        isinstance(through, str) or not through._meta.auto_created
    )
    if rel.limit_choices_to and custom_through:
        message = (
            "limit_choices_to has no effect on ManyToManyField with a through model."
        )
        warnings.append(checks.Warning(message, obj=field, id="fields.W343"))
    if getattr(field, "_declared_related_name", None) and rel.symmetrical:
        message = (
            "related_name has no effect on ManyToManyField with a symmetrical "
            'relationship, e.g. to "self".'
        )
        warnings.append(checks.Warning(message, obj=field, id="fields.W345"))
    return warnings


def _qualified_name(model: Any) -> str:
    if isinstance(model, str):
        return model
    return f"{model._meta.app_label}.{model.__name__}"


def _keys_to(through: Any, model: Any) -> list[Any]:
    """Return the fields of ``through`` relating to ``model``."""
    return [
        f
        for f in through._meta.fields
        if getattr(getattr(f, "remote_field", None), "model", None) == model
    ]


def _check_relationship_model(field: Any) -> Messages:
    rel = field.remote_field
    through = rel.through
    apps = field.opts.apps
    if through is None:
        return []
    if isinstance(through, str) or through not in apps.get_models(
        include_auto_created=True
    ):
        return [
            checks.Error(
                "Field specifies a many-to-many relation through model "
                f"'{_qualified_name(through)}', which has not been installed.",
                obj=field,
                id="fields.E331",
            )
        ]
    target = rel.model
    if isinstance(target, str) or through._meta.auto_created:
        return []
    if rel.through_fields:
        return _check_through_fields(field, through, target)
    return _check_ambiguous_keys(field, through, target)


def _check_ambiguous_keys(field: Any, through: Any, target: Any) -> Messages:
    source = field.model
    source_name = source._meta.object_name
    target_name = target._meta.object_name
    prefix = f"The model is used as an intermediate model by '{field}', but it has"
    if source == target:
        if len(_keys_to(through, source)) > 2:
            return [
                checks.Error(
                    f"{prefix} more than two foreign keys to '{source_name}', which "
                    "is ambiguous. You must specify which two foreign keys manouche "
                    "should use via the through_fields keyword argument.",
                    hint=(
                        "Use through_fields to specify which two foreign keys "
                        "manouche should use."
                    ),
                    obj=through,
                    id="fields.E333",
                )
            ]
        return []
    hint = (
        "If you want to create a recursive relationship, use "
        f'ManyToManyField("self", through="{through._meta.object_name}").'
    )
    errors: Messages = []
    seen_from = len(_keys_to(through, source))
    seen_to = len(_keys_to(through, target))
    if seen_from > 1:
        errors.append(
            checks.Error(
                f"{prefix} more than one foreign key from '{source_name}', which is "
                "ambiguous. You must specify which foreign key manouche should use "
                "via the through_fields keyword argument.",
                hint=hint,
                obj=field,
                id="fields.E334",
            )
        )
    if seen_to > 1:
        errors.append(
            checks.Error(
                f"{prefix} more than one foreign key to '{target_name}', which is "
                "ambiguous. You must specify which foreign key manouche should use "
                "via the through_fields keyword argument.",
                hint=hint,
                obj=field,
                id="fields.E335",
            )
        )
    if seen_from == 0 or seen_to == 0:
        errors.append(
            checks.Error(
                f"The model is used as an intermediate model by '{field}', but it "
                f"does not have a foreign key to '{source_name}' or "
                f"'{target_name}'.",
                obj=through,
                id="fields.E336",
            )
        )
    return errors


def _check_through_fields(field: Any, through: Any, target: Any) -> Messages:
    names = tuple(field.remote_field.through_fields)
    qualified = _qualified_name(through)
    if len(names) < 2 or not names[0] or not names[1]:
        return [
            checks.Error(
                "Field specifies 'through_fields' but does not provide the names of "
                "the two link fields that should be used for the relation through "
                f"model '{qualified}'.",
                hint=(
                    "Make sure you specify 'through_fields' as "
                    "through_fields=('field1', 'field2')"
                ),
                obj=field,
                id="fields.E337",
            )
        ]
    errors: Messages = []
    for name, related_model in ((names[0], field.model), (names[1], target)):
        candidates = [f.name for f in _keys_to(through, related_model)]
        hint = (
            "Did you mean one of the following foreign keys to "
            f"'{related_model._meta.object_name}': {', '.join(candidates)}?"
            if candidates
            else None
        )
        try:
            link = through._meta.get_field(name)
        except FieldDoesNotExist:
            errors.append(
                checks.Error(
                    f"The intermediary model '{qualified}' has no field '{name}'.",
                    hint=hint,
                    obj=field,
                    id="fields.E338",
                )
            )
            continue
        remote = getattr(link, "remote_field", None)
        if getattr(remote, "model", None) != related_model:
            errors.append(
                checks.Error(
                    f"'{through._meta.object_name}.{name}' is not a foreign key to "
                    f"'{related_model._meta.object_name}'.",
                    hint=hint,
                    obj=field,
                    id="fields.E339",
                )
            )
    return errors


def _check_table_uniqueness(field: Any) -> Messages:
    """Report a join table whose name another model's table already uses."""
    through = field.remote_field.through
    if through is None or isinstance(through, str) or not through._meta.managed:
        return []
    tables = {
        model._meta.db_table: model
        for model in field.opts.apps.get_models(include_auto_created=True)
        if model is not through and model._meta.managed
    }
    table = through._meta.db_table
    clash = tables.get(table)
    if clash is None or clash._meta.concrete_model is through._meta.concrete_model:
        return []
    owner = clash._meta.auto_created
    if owner:
        names = [
            f.name for f in owner._meta.many_to_many if f.remote_field.through is clash
        ]
        clashing = f"{owner._meta.label}.{names[0] if names else clash.__name__}"
    else:
        clashing = clash._meta.label
    from manouche.conf import settings

    message = (
        f"The field's intermediary table '{table}' clashes with the table name of "
        f"'{clashing}'."
    )
    if settings.DATABASE_ROUTERS:
        return [
            checks.Warning(
                message,
                hint=(
                    "You have configured settings.DATABASE_ROUTERS. Verify that the "
                    f"table of '{clashing}' is correctly routed to a separate "
                    "database."
                ),
                obj=field,
                id="fields.W344",
            )
        ]
    return [checks.Error(message, obj=field, id="fields.E340")]
