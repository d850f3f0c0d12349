"""Python implementations of the SQL functions SQLite lacks.

Registered on every connection under ``manouche_*`` names, so they never
shadow a built-in with different rules. Each returns NULL for a NULL
argument and for an argument outside the function's domain (``ln(0)``,
``acos(2)``), as MariaDB does, instead of aborting the query. All but
``manouche_random`` are deterministic, so SQLite may use them in indexes.
"""

from __future__ import annotations

import decimal
import functools
import hashlib
import math
import random
from collections.abc import Callable
from typing import Any

from manouche.db.backends.sqlite3._datetime_functions import DATETIME_FUNCTIONS

__all__ = ["register_functions"]

_Number = int | float


def _number(value: Any) -> _Number:
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, bytes):
        value = value.decode()
    text = str(value)
    try:
        return int(text)
    except ValueError:
        return float(text)


def _null_safe_math(function: Callable[..., Any]) -> Callable[..., Any]:
    """Return None for NULL arguments, non-numbers and domain errors."""

    @functools.wraps(function)
    def wrapper(*args: Any) -> Any:
        if any(arg is None for arg in args):
            return None
        try:
            return function(*(_number(arg) for arg in args))
        except (ValueError, ArithmeticError, TypeError):
            return None

    return wrapper


def _null_safe_text(function: Callable[..., Any]) -> Callable[..., Any]:
    """Return None for NULL arguments; text arguments arrive as ``str``."""

    @functools.wraps(function)
    def wrapper(*args: Any) -> Any:
        if any(arg is None for arg in args):
            return None
        return function(*args)

    return wrapper


def _text(value: Any) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def _count(value: Any) -> int | None:
    try:
        return int(_number(value))
    except (ValueError, OverflowError):
        return None


def _round(value: _Number, places: _Number = 0) -> _Number:
    """Round half away from zero (as SQL does), integers stay integers."""
    exponent = decimal.Decimal(1).scaleb(-int(places))
    rounded = decimal.Decimal(repr(value) if isinstance(value, float) else value)
    rounded = rounded.quantize(exponent, rounding=decimal.ROUND_HALF_UP)
    return int(rounded) if isinstance(value, int) else float(rounded)


def _sign(value: _Number) -> _Number:
    result = (value > 0) - (value < 0)
    return result if isinstance(value, int) else float(result)


def _mod(value: _Number, divisor: _Number) -> _Number:
    if isinstance(value, int) and isinstance(divisor, int):
        return int(math.fmod(value, divisor)) if divisor else _raise_zero()
    return math.fmod(value, divisor)


def _raise_zero() -> int:
    raise ZeroDivisionError


def _log(base: _Number, value: _Number) -> float:
    return math.log(value, base)


def _cot(value: _Number) -> float:
    return 1 / math.tan(value)


def _pad(value: Any, length: Any, filler: Any, *, left: bool) -> str | None:
    text, fill = _text(value), _text(filler)
    size = _count(length)
    if size is None:
        return None
    size = max(size, 0)
    if len(text) >= size or not fill:
        return text[:size]
    padding = (fill * (size // len(fill) + 1))[: size - len(text)]
    return padding + text if left else text + padding


def _repeat(text: Any, number: Any) -> str | None:
    count = _count(number)
    return None if count is None else _text(text) * max(count, 0)


def _digest(name: str) -> Callable[[Any], str]:
    def digest(value: Any) -> str:
        data = value if isinstance(value, bytes) else str(value).encode()
        return hashlib.new(name, data).hexdigest()

    digest.__name__ = name
    return digest


def _random() -> float:
    # Not for cryptography: SQL RANDOM() semantics.
    return random.random()


_MATH: dict[str, tuple[int, Callable[..., Any]]] = {
    "acos": (1, math.acos),
    "asin": (1, math.asin),
    "atan": (1, math.atan),
    "atan2": (2, math.atan2),
    "ceil": (1, lambda value: math.ceil(value)),
    "cos": (1, math.cos),
    "cot": (1, _cot),
    "degrees": (1, math.degrees),
    "exp": (1, math.exp),
    "floor": (1, lambda value: math.floor(value)),
    "ln": (1, math.log),
    "log": (2, _log),
    "mod": (2, _mod),
    "power": (2, math.pow),
    "radians": (1, math.radians),
    "round": (2, _round),
    "sign": (1, _sign),
    "sin": (1, math.sin),
    "sqrt": (1, math.sqrt),
    "tan": (1, math.tan),
}

_TEXT: dict[str, tuple[int, Callable[..., Any]]] = {
    "lpad": (3, functools.partial(_pad, left=True)),
    "rpad": (3, functools.partial(_pad, left=False)),
    "repeat": (2, _repeat),
    "reverse": (1, lambda value: _text(value)[::-1]),
    **{
        name: (1, _digest(name))
        for name in ("md5", "sha1", "sha224", "sha256", "sha384", "sha512")
    },
}


def register_functions(connection: Any) -> None:
    """Register the ``manouche_*`` SQL functions on a sqlite3 connection."""
    for name, (arity, function) in _MATH.items():
        connection.create_function(
            f"manouche_{name}", arity, _null_safe_math(function), deterministic=True
        )
    for name, (arity, function) in _TEXT.items():
        connection.create_function(
            f"manouche_{name}", arity, _null_safe_text(function), deterministic=True
        )
    for name, (arity, function) in DATETIME_FUNCTIONS.items():
        connection.create_function(name, arity, function, deterministic=True)
    connection.create_function("manouche_pi", 0, lambda: math.pi, deterministic=True)
    connection.create_function("manouche_random", 0, _random)
