"""Fields for network identifiers: email, URL, IP address, slug and UUID."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from manouche.core import validators
from manouche.core.exceptions import ValidationError
from manouche.forms.fields._text import CharField
from manouche.forms.widgets import EmailInput, URLInput
from manouche.utils.translation import gettext_lazy as _


class EmailField(CharField):
    """An email address (320 characters at most by default)."""

    widget: Any = EmailInput
    default_validators = [validators.validate_email]

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 320)
        super().__init__(strip=True, **kwargs)

    def to_python(self, value: Any) -> Any:
        """Refuse overlong input before the email regex sees it."""
        value = super().to_python(value)
        if (
            isinstance(value, str)
            and self.max_length is not None
            and len(value) > self.max_length
        ):
            raise ValidationError(
                validators.MaxLengthValidator(self.max_length).message,
                code="max_length",
                params={
                    "limit_value": self.max_length,
                    "show_value": len(value),
                    "value": value,
                },
            )
        return value


def _url_scheme_default() -> str:
    from manouche.conf import settings

    return (
        "https" if getattr(settings, "FORMS_URLFIELD_ASSUME_HTTPS", False) else "http"
    )


class URLField(CharField):
    """A URL; a missing scheme gets ``assume_scheme``."""

    widget: Any = URLInput
    default_error_messages = {"invalid": _("Enter a valid URL.")}
    default_validators = [validators.URLValidator()]

    def __init__(self, *, assume_scheme: str | None = None, **kwargs: Any) -> None:
        self.assume_scheme = assume_scheme or _url_scheme_default()
        super().__init__(strip=True, **kwargs)

    def to_python(self, value: Any) -> Any:
        """Normalise the URL, adding the scheme when missing."""

        def split_url(url: str) -> list[str]:
            try:
                return list(urlsplit(url))
            except ValueError:
                raise ValidationError(self.error_messages["invalid"], code="invalid")

        value = super().to_python(value)
        if value:
            url_fields = split_url(value)
            if not url_fields[0]:
                url_fields[0] = self.assume_scheme
            if not url_fields[1]:
                url_fields[1] = url_fields[2]
                url_fields[2] = ""
                url_fields = split_url(urlunsplit(url_fields))
            value = urlunsplit(url_fields)
        return value


class GenericIPAddressField(CharField):
    """An IPv4 or IPv6 address (normalised)."""

    def __init__(
        self, *, protocol: str = "both", unpack_ipv4: bool = False, **kwargs: Any
    ) -> None:
        self.unpack_ipv4 = unpack_ipv4
        self.default_validators = _ip_address_validators(protocol, unpack_ipv4)
        kwargs.setdefault("max_length", 39)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Any:
        """Return the address, IPv6 compressed (IPv4-mapped unpacked if asked)."""
        if value in self.empty_values:
            return ""
        value = str(value).strip()
        if value and ":" in value:
            return clean_ipv6_address(value, self.unpack_ipv4)
        return value


def clean_ipv6_address(
    ip_str: str,
    unpack_ipv4: bool = False,
    error_message: Any = None,
    max_length: int = 39,
) -> str:
    """Return the compressed form of an IPv6 address, or raise."""
    import ipaddress

    message = error_message or _("This is not a valid IPv6 address.")
    if len(ip_str) > max_length:
        raise ValidationError(message, code="invalid", params={"value": ip_str})
    try:
        addr = ipaddress.IPv6Address(int(ipaddress.IPv6Address(ip_str)))
    except ValueError:
        raise ValidationError(message, code="invalid", params={"value": ip_str})
    if unpack_ipv4 and addr.ipv4_mapped:
        return str(addr.ipv4_mapped)
    if addr.ipv4_mapped:
        return "::ffff:" + str(addr.ipv4_mapped)
    return str(addr)


def _ip_address_validators(protocol: str, unpack_ipv4: bool) -> list[Any]:
    if protocol != "both" and unpack_ipv4:
        raise ValueError(
            "You can only use `unpack_ipv4` if `protocol` is set to 'both'"
        )
    table = {
        "both": validators.validate_ipv46_address,
        "ipv4": validators.validate_ipv4_address,
        "ipv6": validators.validate_ipv6_address,
    }
    try:
        return [table[protocol.lower()]]
    except KeyError:
        raise ValueError(
            f"The protocol '{protocol}' is unknown. Supported: {list(table)}"
        ) from None


class SlugField(CharField):
    """Letters, numbers, underscores and hyphens (Unicode letters if asked)."""

    default_validators = [validators.validate_slug]

    def __init__(self, *, allow_unicode: bool = False, **kwargs: Any) -> None:
        self.allow_unicode = allow_unicode
        if self.allow_unicode:
            self.default_validators = [validators.validate_unicode_slug]
        super().__init__(**kwargs)


class UUIDField(CharField):
    """A UUID."""

    default_error_messages = {"invalid": _("Enter a valid UUID.")}

    def prepare_value(self, value: Any) -> Any:
        """Show UUIDs as strings."""
        if isinstance(value, uuid.UUID):
            return str(value)
        return value

    def to_python(self, value: Any) -> Any:
        """Return a UUID or None."""
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        if not isinstance(value, uuid.UUID):
            if len(value) > 64:
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            try:
                value = uuid.UUID(hex=value)
            except ValueError:
                raise ValidationError(self.error_messages["invalid"], code="invalid")
        return value
