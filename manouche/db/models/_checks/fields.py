"""System checks of one model field (``Field.check()``): the ``fields.*`` ids.

Checks only read the field and its model; they never touch a database except
to read the feature flags of the aliases passed as ``databases``. Relation
fields get their extra checks from :mod:`manouche.db.models._checks.related`.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from typing import Any

from manouche.core import checks
from manouche.db.models._checks._databases import connections_for, supports

__all__ = ["check_field"]

LOOKUP_SEP = "__"
Messages = list[checks.CheckMessage]


def check_field(field: Any, **kwargs: Any) -> Messages:
    """Return every problem found in ``field``, by Django's ``fields.*`` ids."""
    errors: Messages = [
        *_check_field_name(field),
        *_check_choices(field),
        *_check_db_default(field),
        *_check_db_index(field),
        *_check_db_comment(field, kwargs.get("databases")),
        *_check_null_allowed_for_primary_keys(field),
        *_check_backend_specific_checks(field, **kwargs),
        *_check_validators(field),
        *_check_deprecation_details(field),
    ]
    for kind, check in _type_checks():
        if isinstance(field, kind):
            errors.extend(check(field, **kwargs))
    if field.is_relation:
        from manouche.db.models._checks.related import check_related_field

        errors.extend(check_related_field(field, **kwargs))
    return errors


# -- every field ---------------------------------------------------------------
def _check_field_name(field: Any) -> Messages:
    name = field.name
    if name.endswith("_"):
        message = "Field names must not end with an underscore."
        return [checks.Error(message, obj=field, id="fields.E001")]
    if LOOKUP_SEP in name:
        message = f'Field names must not contain "{LOOKUP_SEP}".'
        return [checks.Error(message, obj=field, id="fields.E002")]
    if name == "pk":
        message = "'pk' is a reserved word that cannot be used as a field name."
        return [checks.Error(message, obj=field, id="fields.E003")]
    return []


def _is_value(value: Any) -> bool:
    """Tell whether ``value`` can be a choice value or label (not a group)."""
    from manouche.utils.functional import Promise

    return isinstance(value, (str, bytes, Promise)) or not _is_iterable(value)


def _is_iterable(value: Any) -> bool:
    try:
        iter(value)
    except TypeError:
        return False
    return True


def _group_pairs(group_choices: Any) -> list[tuple[Any, Any]] | None:
    """Return a group's (value, label) pairs, or None if it is not a group."""
    if _is_value(group_choices):
        return None
    pairs = []
    for item in group_choices:
        try:
            value, label = item
        except (TypeError, ValueError):
            return None
        if not (_is_value(value) and _is_value(label)):
            return None
        pairs.append((value, label))
    return pairs


def _choice_pairs(choices: Any) -> list[tuple[Any, Any]] | None:
    """Flatten choices (groups included) to pairs; None when malformed."""
    pairs: list[tuple[Any, Any]] = []
    for choice in choices:
        if isinstance(choice, str):  # choices=["ab"] unpacks, but is a mistake
            return None
        try:
            name, content = choice
        except (TypeError, ValueError):
            return None
        if isinstance(content, dict):
            content = list(content.items())
        group = _group_pairs(content)
        if group is not None and _is_value(name):
            pairs.extend(group)
        elif _is_value(name) and _is_value(content):
            pairs.append((name, content))
        else:
            return None
    return pairs


def _check_choices(field: Any) -> Messages:
    choices = field.choices
    if not choices:
        return []
    if isinstance(choices, dict):
        choices = list(choices.items())
    if not _is_iterable(choices) or isinstance(choices, (str, bytes)):
        message = (
            "'choices' must be a mapping (e.g. a dictionary) or an iterable "
            "(e.g. a list or tuple)."
        )
        return [checks.Error(message, obj=field, id="fields.E004")]
    pairs = _choice_pairs(choices)
    if pairs is None:
        message = (
            "'choices' must be a mapping of actual values to human readable names "
            "or an iterable containing (actual value, human readable name) tuples."
        )
        return [checks.Error(message, obj=field, id="fields.E005")]
    max_length = field.max_length
    if isinstance(max_length, int) and not isinstance(max_length, bool):
        longest = max(
            (len(value) for value, _ in pairs if isinstance(value, str)), default=0
        )
        if longest > max_length:
            message = (
                "'max_length' is too small to fit the longest value in 'choices' "
                f"({longest} characters)."
            )
            return [checks.Error(message, obj=field, id="fields.E009")]
    return []


def _check_db_default(field: Any) -> Messages:
    """A db_default must be computable by the database without a row or a group.

    Column references (F) and aggregate or window expressions cannot be column
    defaults; literals and functions such as Now() can.
    """
    from manouche.db.models.expressions import F
    from manouche.db.models.fields import NOT_PROVIDED

    value = field.db_default
    if value is NOT_PROVIDED or not hasattr(value, "as_sa"):
        return []
    if not any(
        isinstance(part, F)
        or getattr(part, "contains_aggregate", False)
        or getattr(part, "contains_over_clause", False)
        for part in _walk(value)
    ):
        return []
    message = f"{value} cannot be used in db_default."
    return [checks.Error(message, obj=field, id="fields.E012")]


def _walk(expression: Any) -> Iterable[Any]:
    yield expression
    sources = getattr(expression, "get_source_expressions", None)
    for source in sources() if sources is not None else ():
        if source is not None:
            yield from _walk(source)


def _check_db_index(field: Any) -> Messages:
    if field.db_index not in (None, True, False):
        message = "'db_index' must be None, True or False."
        return [checks.Error(message, obj=field, id="fields.E006")]
    return []


def _check_db_comment(field: Any, databases: Any) -> Messages:
    if not field.db_comment or field.model is None:
        return []
    errors: Messages = []
    for connection in connections_for(field.model, databases):
        if not supports(connection, field.model, "supports_comments"):
            errors.append(
                checks.Warning(
                    f"{connection.display_name} does not support comments on "
                    "columns (db_comment).",
                    obj=field,
                    id="fields.W163",
                )
            )
    return errors


def _check_null_allowed_for_primary_keys(field: Any) -> Messages:
    if field.primary_key and field.null:
        return [
            checks.Error(
                "Primary keys must not have null=True.",
                hint=(
                    "Set null=False on the field, or remove primary_key=True argument."
                ),
                obj=field,
                id="fields.E007",
            )
        ]
    return []


def _check_backend_specific_checks(field: Any, **kwargs: Any) -> Messages:
    if field.model is None:
        return []
    errors: Messages = []
    for connection in connections_for(field.model, kwargs.get("databases")):
        errors.extend(connection.validation.check_field(field, **kwargs))
    return errors


def _check_validators(field: Any) -> Messages:
    errors: Messages = []
    declared = getattr(field, "_declared_validators", None)
    validators = field.validators if declared is None else declared
    for index, validator in enumerate(validators):
        if not callable(validator):
            errors.append(
                checks.Error(
                    "All 'validators' must be callable.",
                    hint=(
                        f"validators[{index}] ({validator!r}) isn't a function or "
                        "instance of a validator class."
                    ),
                    obj=field,
                    id="fields.E008",
                )
            )
    return errors


def _check_deprecation_details(field: Any) -> Messages:
    name = type(field).__name__
    removed = field.system_check_removed_details
    if removed is not None:
        return [
            checks.Error(
                removed.get(
                    "msg",
                    f"{name} has been removed except for support in historical "
                    "migrations.",
                ),
                hint=removed.get("hint"),
                obj=field,
                id=removed.get("id", "fields.EXXX"),
            )
        ]
    deprecated = field.system_check_deprecated_details
    if deprecated is not None:
        return [
            checks.Warning(
                deprecated.get("msg", f"{name} has been deprecated."),
                hint=deprecated.get("hint"),
                obj=field,
                id=deprecated.get("id", "fields.WXXX"),
            )
        ]
    return []


# -- per field type ---------------------------------------------------------------
def _check_integer_field(field: Any, **kwargs: Any) -> Messages:
    if field.max_length is None:
        return []
    return [
        checks.Warning(
            f"'max_length' is ignored when used with {type(field).__name__}.",
            hint="Remove 'max_length' from field",
            obj=field,
            id="fields.W122",
        )
    ]


def _check_auto_field(field: Any, **kwargs: Any) -> Messages:
    if not field.primary_key:
        message = "AutoFields must set primary_key=True."
        return [checks.Error(message, obj=field, id="fields.E100")]
    return []


def _is_positive_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _check_char_field(field: Any, **kwargs: Any) -> Messages:
    errors: Messages = []
    if field.max_length is None:
        if not _unlimited_charfield(field):
            errors.append(
                checks.Error(
                    "CharFields must define a 'max_length' attribute.",
                    obj=field,
                    id="fields.E120",
                )
            )
    elif not _is_positive_int(field.max_length):
        errors.append(
            checks.Error(
                "'max_length' must be a positive integer.",
                obj=field,
                id="fields.E121",
            )
        )
    errors.extend(_check_db_collation(field, kwargs.get("databases"), "CharFields"))
    return errors


def _unlimited_charfield(field: Any) -> bool:
    """Tell whether the default database stores CharFields without a limit."""
    from manouche.db import connection

    model = field.model
    required = model._meta.required_db_features if model is not None else ()
    return bool(
        getattr(connection.features, "supports_unlimited_charfield", False)
        or "supports_unlimited_charfield" in (required or ())
    )


def _check_db_collation(field: Any, databases: Any, kind: str) -> Messages:
    if not getattr(field, "db_collation", None) or field.model is None:
        return []
    feature = "supports_collation_on_" + kind.lower().removesuffix("s")
    errors: Messages = []
    for connection in connections_for(field.model, databases):
        if not supports(connection, field.model, feature, default=True):
            errors.append(
                checks.Error(
                    f"{connection.display_name} does not support a database "
                    f"collation on {kind}.",
                    obj=field,
                    id="fields.E190",
                )
            )
    return errors


def _check_text_field(field: Any, **kwargs: Any) -> Messages:
    return _check_db_collation(field, kwargs.get("databases"), "TextFields")


def _check_decimal_field(field: Any, **kwargs: Any) -> Messages:
    errors: Messages = []
    places_ok = digits_ok = False
    if field.decimal_places is None:
        message = "DecimalFields must define a 'decimal_places' attribute."
        errors.append(checks.Error(message, obj=field, id="fields.E130"))
    elif _as_int(field.decimal_places) is None or int(field.decimal_places) < 0:
        message = "'decimal_places' must be a non-negative integer."
        errors.append(checks.Error(message, obj=field, id="fields.E131"))
    else:
        places_ok = True
    if field.max_digits is None:
        message = "DecimalFields must define a 'max_digits' attribute."
        errors.append(checks.Error(message, obj=field, id="fields.E132"))
    elif _as_int(field.max_digits) is None or int(field.max_digits) <= 0:
        message = "'max_digits' must be a positive integer."
        errors.append(checks.Error(message, obj=field, id="fields.E133"))
    else:
        digits_ok = True
    if places_ok and digits_ok and int(field.decimal_places) > int(field.max_digits):
        message = "'max_digits' must be greater or equal to 'decimal_places'."
        errors.append(checks.Error(message, obj=field, id="fields.E134"))
    return errors


def _as_int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _check_file_path_field(field: Any, **kwargs: Any) -> Messages:
    if not field.allow_files and not field.allow_folders:
        message = (
            "FilePathFields must have either 'allow_files' or 'allow_folders' set "
            "to True."
        )
        return [checks.Error(message, obj=field, id="fields.E140")]
    return []


def _check_ip_address_field(field: Any, **kwargs: Any) -> Messages:
    if field.blank and not field.null:
        message = (
            "GenericIPAddressFields cannot have blank=True if null=False, as blank "
            "values are stored as nulls."
        )
        return [checks.Error(message, obj=field, id="fields.E150")]
    return []


def _check_date_time_field(field: Any, **kwargs: Any) -> Messages:
    options = [field.auto_now_add, field.auto_now, field.has_default()]
    if sum(bool(option) for option in options) > 1:
        message = (
            "The options auto_now, auto_now_add, and default are mutually "
            "exclusive. Only one of these options may be present."
        )
        return [checks.Error(message, obj=field, id="fields.E160")]
    return _check_fixed_default(field)


def _check_fixed_default(field: Any) -> Messages:
    """Warn when the default is a date or time close to now: likely a mistake."""
    from manouche.db.models.fields import DateTimeField, TimeField

    if not field.has_default() or callable(field.default):
        return []
    value = field.default
    if isinstance(field, (DateTimeField, TimeField)):
        margin = datetime.timedelta(seconds=10)
    else:
        margin = datetime.timedelta(days=1)
    if not any(_near(value, now, margin) for now in _nows()):
        return []
    return [
        checks.Warning(
            "Fixed default value provided.",
            hint=(
                "It seems you set a fixed date / time / datetime value as default "
                "for this field. This may not be what you want. If you want to "
                "have the current date as default, use "
                "`manouche.utils.timezone.now`"
            ),
            obj=field,
            id="fields.W161",
        )
    ]


def _nows() -> list[datetime.datetime]:
    """Return "now" as naive local, UTC and current-time-zone wall clocks.

    A fixed default was typed or computed in one of these frames; comparing
    with each avoids missing it when the process and TIME_ZONE disagree.
    """
    from manouche.utils import timezone

    utc = datetime.datetime.now(datetime.UTC)
    return [
        datetime.datetime.now(),
        utc.replace(tzinfo=None),
        timezone.localtime(utc).replace(tzinfo=None),
    ]


def _near(value: Any, now: datetime.datetime, margin: datetime.timedelta) -> bool:
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(datetime.UTC).replace(tzinfo=None)
        if margin >= datetime.timedelta(days=1):
            return bool(abs(value.date() - now.date()) <= margin)
        return bool(abs(value - now) <= margin)
    if isinstance(value, datetime.date):
        return abs(value - now.date()) <= margin
    if isinstance(value, datetime.time):
        moment = datetime.datetime.combine(now.date(), value.replace(tzinfo=None))
        return abs(moment - now) <= margin
    return False


def _check_binary_field(field: Any, **kwargs: Any) -> Messages:
    if field.has_default() and isinstance(field.default, str):
        message = "BinaryField's default cannot be a string. Use bytes content instead."
        return [checks.Error(message, obj=field, id="fields.E170")]
    return []


def _check_file_field(field: Any, **kwargs: Any) -> Messages:
    errors: Messages = []
    if field.primary_key:
        errors.append(
            checks.Error(
                f"'primary_key' is not a valid argument for a {type(field).__name__}.",
                obj=field,
                id="fields.E201",
            )
        )
    if isinstance(field.upload_to, str) and field.upload_to.startswith("/"):
        errors.append(
            checks.Error(
                f"{type(field).__name__}'s 'upload_to' argument must be a relative "
                "path, not an absolute path.",
                hint="Remove the leading slash.",
                obj=field,
                id="fields.E202",
            )
        )
    return errors


def _check_image_field(field: Any, **kwargs: Any) -> Messages:
    try:
        import PIL.Image  # noqa: F401 - only its presence matters
    except ImportError:
        return [
            checks.Error(
                "Cannot use ImageField because Pillow is not installed.",
                hint=(
                    "Get Pillow at https://pypi.org/project/Pillow/ or run command "
                    '"python -m pip install Pillow".'
                ),
                obj=field,
                id="fields.E210",
            )
        ]
    return []


def _check_json_field(field: Any, **kwargs: Any) -> Messages:
    errors: Messages = []
    if field.model is not None:
        for connection in connections_for(field.model, kwargs.get("databases")):
            if not supports(connection, field.model, "supports_json_field"):
                errors.append(
                    checks.Error(
                        f"{connection.display_name} does not support JSONFields.",
                        obj=field.model,
                        id="fields.E180",
                    )
                )
    return errors


def _check_mutable_default(field: Any, **kwargs: Any) -> Messages:
    """Warn about a shared mutable default ({} or []) on container fields."""
    hint = getattr(field, "_default_hint", None)
    if hint is None or not field.has_default():
        return []
    default = field.default
    if default is None or callable(default):
        return []
    return [
        checks.Warning(
            f"{type(field).__name__} default should be a callable instead of an "
            "instance so that it's not shared between all field instances.",
            hint=(
                f"Use a callable instead, e.g., use `{hint[0]}` instead of `{hint[1]}`."
            ),
            obj=field,
            id="fields.E010",
        )
    ]


def _type_checks() -> Iterable[tuple[type, Callable[..., Messages]]]:
    """Return (field class, check) pairs; imported late to avoid import cycles."""
    from manouche.db.models import fields
    from manouche.db.models.fields.files import FileField, ImageField
    from manouche.db.models.fields.json import JSONField

    return (
        (fields.AutoFieldMixin, _check_auto_field),
        (fields.IntegerField, _check_integer_field),
        (fields.CharField, _check_char_field),
        (fields.TextField, _check_text_field),
        (fields.DecimalField, _check_decimal_field),
        (fields.FilePathField, _check_file_path_field),
        (fields.GenericIPAddressField, _check_ip_address_field),
        (fields.DateTimeCheckMixin, _check_date_time_field),
        (fields.BinaryField, _check_binary_field),
        (FileField, _check_file_field),
        (ImageField, _check_image_field),
        (JSONField, _check_json_field),
        (fields.Field, _check_mutable_default),
    )
