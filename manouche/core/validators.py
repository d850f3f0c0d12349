"""Reusable value validators raising ValidationError, shared by models and forms.

Validators are callables taking one value. They never touch the database or
the network; every regex is linear (no nested quantifiers over user input).
"""

from __future__ import annotations

import ipaddress
import math
import re
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from manouche.core.exceptions import ValidationError

__all__ = [
    "BaseValidator",
    "DecimalValidator",
    "EMPTY_VALUES",
    "EmailValidator",
    "FileExtensionValidator",
    "MaxLengthValidator",
    "MaxValueValidator",
    "MinLengthValidator",
    "MinValueValidator",
    "ProhibitNullCharactersValidator",
    "RegexValidator",
    "StepValueValidator",
    "URLValidator",
    "int_list_validator",
    "validate_comma_separated_integer_list",
    "validate_email",
    "validate_integer",
    "validate_ipv4_address",
    "validate_ipv46_address",
    "validate_ipv6_address",
    "validate_slug",
    "validate_unicode_slug",
]

EMPTY_VALUES: tuple[Any, ...] = (None, "", [], (), {})


class RegexValidator:
    """Check that a string matches (or, with inverse_match, avoids) a regex."""

    regex: Any = ""
    message = "Enter a valid value."
    code = "invalid"
    inverse_match = False
    flags = 0

    def __init__(
        self,
        regex: Any = None,
        message: str | None = None,
        code: str | None = None,
        inverse_match: bool | None = None,
        flags: int | None = None,
    ) -> None:
        if regex is not None:
            self.regex = regex
        if message is not None:
            self.message = message
        if code is not None:
            self.code = code
        if inverse_match is not None:
            self.inverse_match = inverse_match
        if flags is not None:
            self.flags = flags
        if self.flags and not isinstance(self.regex, str):
            raise TypeError(
                "If the flags are set, regex must be a regular expression string."
            )
        if isinstance(self.regex, str):
            self.regex = re.compile(self.regex, self.flags)

    def __call__(self, value: Any) -> None:
        matched = bool(self.regex.search(str(value)))
        if matched == self.inverse_match:
            raise ValidationError(self.message, code=self.code, params={"value": value})

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, RegexValidator)
            and self.regex.pattern == other.regex.pattern
            and self.regex.flags == other.regex.flags
            and self.message == other.message
            and self.code == other.code
            and self.inverse_match == other.inverse_match
        )

    __hash__ = object.__hash__


_HOST_LABEL = (
    r"[a-z0-9\u00a1-\uffff](?:[a-z0-9\u00a1-\uffff-]{0,61}[a-z0-9\u00a1-\uffff])?"
)
_DOMAIN_RE = re.compile(
    rf"^(?:{_HOST_LABEL}\.)*(?:[a-z\u00a1-\uffff-]{{2,63}}|xn--[a-z0-9]{{1,59}})\.?$",
    re.IGNORECASE,
)


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


class URLValidator(RegexValidator):
    """Check an absolute URL with an allowed scheme and a valid host."""

    message = "Enter a valid URL."
    schemes = ["http", "https", "ftp", "ftps"]
    max_length = 2048
    unsafe_chars = frozenset("\t\r\n")

    def __init__(self, schemes: Sequence[str] | None = None, **kwargs: Any) -> None:
        super().__init__(regex=r".", **kwargs)
        if schemes is not None:
            self.schemes = list(schemes)

    def __call__(self, value: Any) -> None:
        if not isinstance(value, str) or len(value) > self.max_length:
            raise ValidationError(self.message, code=self.code, params={"value": value})
        if self.unsafe_chars.intersection(value) or any(c.isspace() for c in value):
            raise ValidationError(self.message, code=self.code, params={"value": value})
        try:
            parts = urlsplit(value)
            port = parts.port
        except ValueError:
            raise ValidationError(self.message, code=self.code, params={"value": value})
        del port
        if parts.scheme.lower() not in self.schemes or not parts.netloc:
            raise ValidationError(self.message, code=self.code, params={"value": value})
        host = parts.hostname or ""
        if host.startswith("[") or ":" in host:
            host = host.strip("[]")
        if not host or len(host) > 253:
            raise ValidationError(self.message, code=self.code, params={"value": value})
        if not (host == "localhost" or _is_ip(host) or _DOMAIN_RE.match(host)):
            raise ValidationError(self.message, code=self.code, params={"value": value})


def validate_integer(value: Any) -> None:
    """Raise ValidationError unless ``value`` is an integer literal."""
    RegexValidator(r"^-?\d+\Z", message="Enter a valid integer.")(value)


class EmailValidator:
    """Check an e-mail address: a dot-atom or quoted user part and a domain."""

    message = "Enter a valid email address."
    code = "invalid"
    user_regex = re.compile(
        r"(^[-!#$%&'*+/=?^_`{}|~0-9A-Z]+(\.[-!#$%&'*+/=?^_`{}|~0-9A-Z]+)*\Z"
        r'|^"([\001-\010\013\014\016-\037!#-\[\]-\177]|\\[\001-\011\013\014\016-\177])*"\Z)',
        re.IGNORECASE,
    )
    domain_allowlist = ["localhost"]

    def __init__(
        self,
        message: str | None = None,
        code: str | None = None,
        allowlist: Sequence[str] | None = None,
    ) -> None:
        if message is not None:
            self.message = message
        if code is not None:
            self.code = code
        if allowlist is not None:
            self.domain_allowlist = list(allowlist)

    def __call__(self, value: Any) -> None:
        if not value or "@" not in value or len(value) > 320:
            raise ValidationError(self.message, code=self.code, params={"value": value})
        user_part, domain_part = value.rsplit("@", 1)
        if not self.user_regex.match(user_part):
            raise ValidationError(self.message, code=self.code, params={"value": value})
        if domain_part not in self.domain_allowlist and not self.validate_domain_part(
            domain_part
        ):
            raise ValidationError(self.message, code=self.code, params={"value": value})

    def validate_domain_part(self, domain_part: str) -> bool:
        """Accept a DNS name or a bracketed IP literal."""
        if _DOMAIN_RE.match(domain_part) and "." in domain_part.strip("."):
            return True
        if domain_part.startswith("[") and domain_part.endswith("]"):
            literal = domain_part[1:-1]
            if literal.lower().startswith("ipv6:"):
                literal = literal[5:]
            return _is_ip(literal)
        return False

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, EmailValidator)
            and self.domain_allowlist == other.domain_allowlist
            and self.message == other.message
            and self.code == other.code
        )

    __hash__ = object.__hash__


validate_email = EmailValidator()

validate_slug = RegexValidator(
    r"^[-a-zA-Z0-9_]+\Z",
    "Enter a valid “slug” consisting of letters, numbers, underscores or hyphens.",
    "invalid",
)
validate_unicode_slug = RegexValidator(
    r"^[-\w]+\Z",
    "Enter a valid “slug” consisting of Unicode letters, numbers, underscores, "
    "or hyphens.",
    "invalid",
)


def validate_ipv4_address(value: Any) -> None:
    """Raise ValidationError unless ``value`` is an IPv4 address."""
    try:
        ipaddress.IPv4Address(value)
    except ValueError:
        raise ValidationError(
            "Enter a valid IPv4 address.", code="invalid", params={"value": value}
        )


def validate_ipv6_address(value: Any) -> None:
    """Raise ValidationError unless ``value`` is an IPv6 address."""
    try:
        ipaddress.IPv6Address(value)
    except ValueError:
        raise ValidationError(
            "Enter a valid IPv6 address.", code="invalid", params={"value": value}
        )


def validate_ipv46_address(value: Any) -> None:
    """Raise ValidationError unless ``value`` is an IPv4 or IPv6 address."""
    try:
        validate_ipv4_address(value)
    except ValidationError:
        try:
            validate_ipv6_address(value)
        except ValidationError:
            raise ValidationError(
                "Enter a valid IPv4 or IPv6 address.",
                code="invalid",
                params={"value": value},
            )


def int_list_validator(
    sep: str = ",",
    message: str | None = None,
    code: str = "invalid",
    allow_negative: bool = False,
) -> RegexValidator:
    """Return a validator for integers separated by ``sep``."""
    sign = "-?" if allow_negative else ""
    separator = re.escape(sep)
    return RegexValidator(
        rf"^{sign}\d+(?:{separator}{sign}\d+)*\Z",
        message=message or "Enter only digits separated by commas.",
        code=code,
    )


validate_comma_separated_integer_list = int_list_validator()


class BaseValidator:
    """Compare a cleaned value against a limit (a value or a callable)."""

    message = "Ensure this value is %(limit_value)s (it is %(show_value)s)."
    code = "limit_value"

    def __init__(self, limit_value: Any, message: str | None = None) -> None:
        self.limit_value = limit_value
        if message:
            self.message = message

    def __call__(self, value: Any) -> None:
        cleaned = self.clean(value)
        limit_value = (
            self.limit_value() if callable(self.limit_value) else (self.limit_value)
        )
        params = {"limit_value": limit_value, "show_value": cleaned, "value": value}
        if self.compare(cleaned, limit_value):
            raise ValidationError(self.message, code=self.code, params=params)

    def compare(self, a: Any, b: Any) -> bool:
        """Return True when the value fails the check."""
        return bool(a is not b)

    def clean(self, x: Any) -> Any:
        """Return the part of the value to compare."""
        return x

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, self.__class__)
            and self.limit_value == other.limit_value
            and self.message == other.message
            and self.code == other.code
        )

    __hash__ = object.__hash__


class MaxValueValidator(BaseValidator):
    """Refuse values greater than the limit."""

    message = "Ensure this value is less than or equal to %(limit_value)s."
    code = "max_value"

    def compare(self, a: Any, b: Any) -> bool:
        return bool(a > b)


class MinValueValidator(BaseValidator):
    """Refuse values smaller than the limit."""

    message = "Ensure this value is greater than or equal to %(limit_value)s."
    code = "min_value"

    def compare(self, a: Any, b: Any) -> bool:
        return bool(a < b)


class StepValueValidator(BaseValidator):
    """Refuse values that are not a multiple of the step (from an offset)."""

    message = "Ensure this value is a multiple of step size %(limit_value)s."
    code = "step_size"

    def __init__(
        self, limit_value: Any, message: str | None = None, offset: Any = None
    ) -> None:
        super().__init__(limit_value, message)
        self.offset = offset

    def compare(self, a: Any, b: Any) -> bool:
        offset = 0 if self.offset is None else self.offset
        return not math.isclose(math.remainder(a - offset, b), 0, abs_tol=1e-9)


class MinLengthValidator(BaseValidator):
    """Refuse values shorter than the limit."""

    message = (
        "Ensure this value has at least %(limit_value)d characters "
        "(it has %(show_value)d)."
    )
    code = "min_length"

    def compare(self, a: Any, b: Any) -> bool:
        return bool(a < b)

    def clean(self, x: Any) -> Any:
        return len(x)


class MaxLengthValidator(BaseValidator):
    """Refuse values longer than the limit."""

    message = (
        "Ensure this value has at most %(limit_value)d characters "
        "(it has %(show_value)d)."
    )
    code = "max_length"

    def compare(self, a: Any, b: Any) -> bool:
        return bool(a > b)

    def clean(self, x: Any) -> Any:
        return len(x)


class DecimalValidator:
    """Check the digit counts of a Decimal against max_digits/decimal_places."""

    messages = {
        "invalid": "Enter a number.",
        "max_digits": "Ensure that there are no more than %(max)s digits in total.",
        "max_decimal_places": (
            "Ensure that there are no more than %(max)s decimal places."
        ),
        "max_whole_digits": (
            "Ensure that there are no more than %(max)s digits before the decimal "
            "point."
        ),
    }

    def __init__(self, max_digits: int | None, decimal_places: int | None) -> None:
        self.max_digits = max_digits
        self.decimal_places = decimal_places

    def __call__(self, value: Decimal) -> None:
        digit_tuple, exponent = value.as_tuple()[1:]
        if exponent in {"F", "n", "N"}:
            raise ValidationError(
                self.messages["invalid"], code="invalid", params={"value": value}
            )
        assert isinstance(exponent, int)
        if exponent >= 0:
            digits = len(digit_tuple)
            if digit_tuple != (0,):
                digits += exponent
            decimals = 0
        elif abs(exponent) > len(digit_tuple):
            digits = decimals = abs(exponent)
        else:
            digits = len(digit_tuple)
            decimals = abs(exponent)
        whole_digits = digits - decimals
        if self.max_digits is not None and digits > self.max_digits:
            self._fail("max_digits", self.max_digits, value)
        if self.decimal_places is not None and decimals > self.decimal_places:
            self._fail("max_decimal_places", self.decimal_places, value)
        if (
            self.max_digits is not None
            and self.decimal_places is not None
            and whole_digits > (self.max_digits - self.decimal_places)
        ):
            self._fail("max_whole_digits", self.max_digits - self.decimal_places, value)

    def _fail(self, code: str, limit: int, value: Any) -> None:
        raise ValidationError(
            self.messages[code], code=code, params={"max": limit, "value": value}
        )

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, DecimalValidator)
            and self.max_digits == other.max_digits
            and self.decimal_places == other.decimal_places
        )

    __hash__ = object.__hash__


class FileExtensionValidator:
    """Refuse file names whose extension is not allowed."""

    message = (
        "File extension “%(extension)s” is not allowed. "
        "Allowed extensions are: %(allowed_extensions)s."
    )
    code = "invalid_extension"

    def __init__(
        self,
        allowed_extensions: Sequence[str] | None = None,
        message: str | None = None,
        code: str | None = None,
    ) -> None:
        self.allowed_extensions = (
            None
            if allowed_extensions is None
            else [ext.lower() for ext in allowed_extensions]
        )
        if message is not None:
            self.message = message
        if code is not None:
            self.code = code

    def __call__(self, value: Any) -> None:
        name = str(getattr(value, "name", value))
        extension = name.rsplit(".", 1)[1].lower() if "." in name else ""
        if (
            self.allowed_extensions is not None
            and extension not in self.allowed_extensions
        ):
            raise ValidationError(
                self.message,
                code=self.code,
                params={
                    "extension": extension,
                    "allowed_extensions": ", ".join(self.allowed_extensions),
                    "value": value,
                },
            )


class ProhibitNullCharactersValidator:
    """Refuse strings containing the NUL character."""

    message = "Null characters are not allowed."
    code = "null_characters_not_allowed"

    def __init__(self, message: str | None = None, code: str | None = None) -> None:
        if message is not None:
            self.message = message
        if code is not None:
            self.code = code

    def __call__(self, value: Any) -> None:
        if "\x00" in str(value):
            raise ValidationError(self.message, code=self.code, params={"value": value})

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, ProhibitNullCharactersValidator)
            and self.message == other.message
            and self.code == other.code
        )

    __hash__ = object.__hash__


Validator = Callable[[Any], None]
