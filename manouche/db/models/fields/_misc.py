"""Other scalar fields: boolean, binary, UUID and IP address."""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

import sqlalchemy as sa
from sqlalchemy.dialects import mysql

from manouche.core import validators
from manouche.core.exceptions import ValidationError
from manouche.db.models.fields._base import (
    Field,
)


class BooleanField(Field):
    """True or False (None too when null=True)."""

    empty_strings_allowed = False
    default_error_messages: ClassVar[dict[str, str]] = {
        "invalid": "“%(value)s” value must be either True or False.",
        "invalid_nullable": "“%(value)s” value must be either True, False, or None.",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if "default" in kwargs and "null" not in kwargs:
            kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)
        if not self.has_default() and not self.null:
            self.blank = True

    def to_python(self, value: Any) -> Any:
        if self.null and value in self.empty_values:
            return None
        if value in (True, False):
            return bool(value)
        if value in ("t", "True", "1"):
            return True
        if value in ("f", "False", "0"):
            return False
        code = "invalid_nullable" if self.null else "invalid"
        raise ValidationError(
            self.error_messages[code], code=code, params={"value": value}
        )

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        return None if value is None else self.to_python(value)

    def sa_type(self) -> Any:
        return sa.Boolean(create_constraint=False)


class NullBooleanField(BooleanField):
    """Deprecated alias: BooleanField(null=True)."""

    _deconstruct_defaults: ClassVar[dict[str, Any]] = {"null": True, "blank": True}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["null"] = True
        kwargs["blank"] = True
        super().__init__(*args, **kwargs)


class BinaryField(Field):
    """Raw bytes."""

    _deconstruct_defaults: ClassVar[dict[str, Any]] = {"editable": False}

    empty_values: ClassVar[list[Any]] = [None, b""]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)
        if self.max_length is not None:
            self._validators.append(validators.MaxLengthValidator(self.max_length))

    def get_default(self) -> Any:
        if self.has_default() and not callable(self.default):
            return self.default
        default = super().get_default()
        return b"" if default == "" else default

    def to_python(self, value: Any) -> Any:
        if isinstance(value, memoryview):
            return bytes(value)
        if isinstance(value, str):
            import base64

            return base64.b64decode(value.encode("ascii"))
        return value

    def sa_type(self) -> Any:
        return sa.LargeBinary().with_variant(mysql.LONGBLOB(), "mysql", "mariadb")


class UUIDField(Field):
    """A UUID: native on PostgreSQL, 32 hex characters elsewhere."""

    _deconstruct_defaults: ClassVar[dict[str, Any]] = {"max_length": 32}

    empty_strings_allowed = False
    default_error_messages: ClassVar[dict[str, str]] = {
        "invalid": "“%(value)s” is not a valid UUID.",
    }

    def __init__(self, verbose_name: Any = None, **kwargs: Any) -> None:
        kwargs["max_length"] = 32
        super().__init__(verbose_name, **kwargs)

    def to_python(self, value: Any) -> Any:
        if value is not None and not isinstance(value, uuid.UUID):
            try:
                if isinstance(value, int):
                    return uuid.UUID(int=value)
                return uuid.UUID(str(value))
            except (AttributeError, ValueError):
                raise ValidationError(
                    self.error_messages["invalid"],
                    code="invalid",
                    params={"value": value},
                )
        return value

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or hasattr(value, "as_sa"):
            return value
        return self.to_python(value)

    def sa_type(self) -> Any:
        return sa.Uuid()


class GenericIPAddressField(Field):
    """An IPv4 or IPv6 address stored as text."""

    _deconstruct_extra: ClassVar[tuple[tuple[str, str, Any], ...]] = (
        ("protocol", "protocol", "both"),
        ("unpack_ipv4", "unpack_ipv4", False),
    )
    _deconstruct_defaults: ClassVar[dict[str, Any]] = {"max_length": 39}

    empty_strings_allowed = False

    def __init__(
        self,
        verbose_name: Any = None,
        name: str | None = None,
        protocol: str = "both",
        unpack_ipv4: bool = False,
        *args: Any,
        **kwargs: Any,
    ) -> None:
        self.protocol, self.unpack_ipv4 = protocol, unpack_ipv4
        kwargs["max_length"] = 39
        super().__init__(verbose_name, name, *args, **kwargs)
        chosen = {
            "both": validators.validate_ipv46_address,
            "ipv4": validators.validate_ipv4_address,
            "ipv6": validators.validate_ipv6_address,
        }[protocol.lower()]
        self._validators.insert(0, chosen)

    def to_python(self, value: Any) -> Any:
        if value is None:
            return None
        value = str(value).strip()
        if ":" in value:
            import ipaddress

            try:
                address = ipaddress.IPv6Address(value)
            except ValueError:
                return value
            if self.unpack_ipv4 and address.ipv4_mapped is not None:
                return str(address.ipv4_mapped)
            return str(address)
        return value

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return None
        return self.to_python(value)

    def sa_type(self) -> Any:
        return sa.String(39)


class IPAddressField(GenericIPAddressField):
    """Removed in Django; kept as an IPv4-only alias."""

    _deconstruct_defaults: ClassVar[dict[str, Any]] = {"protocol": "ipv4"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["protocol"] = "ipv4"
        super().__init__(*args, **kwargs)
