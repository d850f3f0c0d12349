"""Date and time fields: DateField, DateTimeField, TimeField, DurationField."""

from __future__ import annotations

import datetime
from typing import Any, ClassVar

import sqlalchemy as sa

from manouche.core.exceptions import ValidationError
from manouche.db.models.fields import _types
from manouche.db.models.fields._base import (
    Field,
)
from manouche.utils.dateparse import (
    parse_date,
    parse_datetime,
    parse_duration,
    parse_time,
)


class DateTimeCheckMixin:
    """auto_now / auto_now_add handling shared by date and time fields."""

    _deconstruct_extra: ClassVar[tuple[tuple[str, str, Any], ...]] = (
        ("auto_now", "auto_now", False),
        ("auto_now_add", "auto_now_add", False),
    )

    auto_now: bool
    auto_now_add: bool

    def _setup_auto(self, kwargs: dict[str, Any]) -> None:
        self.auto_now = kwargs.pop("auto_now", False)
        self.auto_now_add = kwargs.pop("auto_now_add", False)
        if self.auto_now or self.auto_now_add:
            kwargs["editable"] = False
            kwargs["blank"] = True

    def deconstruct(self) -> tuple[str, str, list[Any], dict[str, Any]]:
        """Leave out editable/blank: auto_now(_add) implies them."""
        name, path, args, kwargs = super().deconstruct()  # type: ignore[misc]
        if self.auto_now or self.auto_now_add:
            kwargs.pop("editable", None)
            kwargs.pop("blank", None)
        return name, path, args, kwargs

    def _now(self) -> Any:
        raise NotImplementedError

    def pre_save(self, model_instance: Any, add: bool) -> Any:
        """Stamp auto_now/auto_now_add fields."""
        if self.auto_now or (self.auto_now_add and add):
            value = self._now()
            setattr(model_instance, self.attname, value)  # type: ignore[attr-defined]
            return value
        return super().pre_save(model_instance, add)  # type: ignore[misc]


class DateField(DateTimeCheckMixin, Field):
    """A calendar date."""

    empty_strings_allowed = False
    default_error_messages: ClassVar[dict[str, str]] = {
        "invalid": "“%(value)s” value has an invalid date format. It must be in "
        "YYYY-MM-DD format.",
        "invalid_date": "“%(value)s” value has the correct format (YYYY-MM-DD) "
        "but it is an invalid date.",
    }

    def __init__(
        self, verbose_name: Any = None, name: str | None = None, **kwargs: Any
    ):
        self._setup_auto(kwargs)
        super().__init__(verbose_name, name, **kwargs)

    def _now(self) -> Any:
        from manouche.utils import timezone

        return timezone.localdate() if _use_tz() else datetime.date.today()

    def to_python(self, value: Any) -> Any:
        if value is None:
            return value
        if isinstance(value, datetime.datetime):
            if _use_tz() and value.tzinfo is not None:
                from manouche.utils import timezone

                value = timezone.make_naive(value, timezone.get_default_timezone())
            return value.date()
        if isinstance(value, datetime.date):
            return value
        return _parsed(self, parse_date, value, "invalid_date")

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or hasattr(value, "as_sa"):
            return value
        return self.to_python(value)

    def sa_type(self) -> Any:
        return sa.Date()


def _parsed(field: Field, parse: Any, value: Any, impossible: str) -> Any:
    """``parse(str(value))``, or the field's ValidationError.

    Well-formed text naming an impossible date or time gets the
    ``impossible`` message; anything else unreadable gets ``invalid``.
    """
    try:
        parsed = parse(str(value))
    except ValueError:
        raise ValidationError(
            field.error_messages[impossible], code=impossible, params={"value": value}
        )
    if parsed is None:
        raise ValidationError(
            field.error_messages["invalid"], code="invalid", params={"value": value}
        )
    return parsed


def _use_tz() -> bool:
    from manouche.conf import settings

    return bool(settings.USE_TZ)


class DateTimeField(DateField):
    """A date and time; timezone-aware when USE_TZ is on."""

    default_error_messages: ClassVar[dict[str, str]] = {
        "invalid": "“%(value)s” value has an invalid format. It must be in "
        "YYYY-MM-DD HH:MM[:ss[.uuuuuu]][TZ] format.",
        "invalid_date": "“%(value)s” value has the correct format (YYYY-MM-DD) "
        "but it is an invalid date.",
        "invalid_datetime": "“%(value)s” value has the correct format "
        "(YYYY-MM-DD HH:MM[:ss[.uuuuuu]][TZ]) but it is an invalid date/time.",
    }

    def _now(self) -> Any:
        from manouche.utils import timezone

        return timezone.now()

    def to_python(self, value: Any) -> Any:
        if value is None:
            return value
        if isinstance(value, datetime.datetime):
            return value
        if isinstance(value, datetime.date):
            value = datetime.datetime(value.year, value.month, value.day)
            if _use_tz():
                from manouche.utils import timezone

                value = timezone.make_aware(value, timezone.get_default_timezone())
            return value
        text = str(value)
        # Well-formed text naming an impossible moment gets its own message.
        code = "invalid_datetime"
        try:
            parsed = parse_datetime(text)
            if parsed is None:
                code = "invalid_date"
                date = parse_date(text)
                if date is not None:
                    parsed = datetime.datetime(date.year, date.month, date.day)
        except ValueError:
            raise ValidationError(
                self.error_messages[code], code=code, params={"value": value}
            )
        if parsed is None:
            raise ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": value}
            )
        return parsed

    def get_prep_value(self, value: Any) -> Any:
        value = Field.get_prep_value(self, value)
        if value is None or hasattr(value, "as_sa"):
            return value
        value = self.to_python(value)
        if _use_tz() and value.tzinfo is None:
            from manouche.utils import timezone

            value = timezone.make_aware(value, timezone.get_default_timezone())
        return value

    def sa_type(self) -> Any:
        return _types.AwareDateTime()


class TimeField(DateTimeCheckMixin, Field):
    """A time of day."""

    empty_strings_allowed = False
    default_error_messages: ClassVar[dict[str, str]] = {
        "invalid": "“%(value)s” value has an invalid format. It must be in "
        "HH:MM[:ss[.uuuuuu]] format.",
        "invalid_time": "“%(value)s” value has the correct format "
        "(HH:MM[:ss[.uuuuuu]]) but it is an invalid time.",
    }

    def __init__(
        self, verbose_name: Any = None, name: str | None = None, **kwargs: Any
    ):
        self._setup_auto(kwargs)
        super().__init__(verbose_name, name, **kwargs)

    def _now(self) -> Any:
        return datetime.datetime.now().time()

    def to_python(self, value: Any) -> Any:
        if value is None or isinstance(value, datetime.time):
            return value
        if isinstance(value, datetime.datetime):
            return value.time()
        return _parsed(self, parse_time, value, "invalid_time")

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or hasattr(value, "as_sa"):
            return value
        return self.to_python(value)

    def sa_type(self) -> Any:
        return _types.PreciseTime()


class DurationField(Field):
    """A timedelta."""

    empty_strings_allowed = False
    default_error_messages: ClassVar[dict[str, str]] = {
        "invalid": "“%(value)s” value has an invalid format. It must be in "
        "[DD] [[HH:]MM:]ss[.uuuuuu] format.",
    }

    def to_python(self, value: Any) -> Any:
        if value is None or isinstance(value, datetime.timedelta):
            return value
        parsed = parse_duration(str(value))
        if parsed is None:
            raise ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": value}
            )
        return parsed

    def sa_type(self) -> Any:
        return _types.Duration()
