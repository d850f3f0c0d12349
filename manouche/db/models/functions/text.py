"""Text functions: case, trimming, padding, slicing, searching and hashing.

Every function returns NULL for NULL input on every backend (MySQL's CHAR()
and SQLite's char() would not, so Chr guards them). Hashes are lowercase
hex digests of the UTF-8 bytes of the text; SHA1 on PostgreSQL needs the
``pgcrypto`` extension (the SHA-2 family is built in).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

import sqlalchemy as sa

from manouche.db.models import fields
from manouche.db.models.expressions import Func, Value
from manouche.db.models.functions._mixins import FixedOutputMixin, SameAsInputMixin
from manouche.db.models.functions._sql import CharUsing, ConvertUsing
from manouche.db.models.functions.math import VendorFunctionMixin, call_function
from manouche.db.models.lookups import Transform

__all__ = [
    "MD5",
    "SHA1",
    "SHA224",
    "SHA256",
    "SHA384",
    "SHA512",
    "Chr",
    "Concat",
    "ConcatPair",
    "LPad",
    "LTrim",
    "Left",
    "Length",
    "Lower",
    "Ord",
    "RPad",
    "RTrim",
    "Repeat",
    "Replace",
    "Reverse",
    "Right",
    "StrIndex",
    "Substr",
    "Trim",
    "Upper",
]


def _check_count(value: Any, name: str, minimum: int, allow_none: bool = False) -> None:
    """Reject a literal count below ``minimum`` (expressions are the database's).

    With ``allow_none``, None is a NULL count: the result is NULL.
    """
    if hasattr(value, "as_sa") or isinstance(value, str):
        return
    if value is None and allow_none:
        return
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"'{name}' must be an integer or an expression, not {value!r}.")
    if value < minimum:
        relation = "greater than 0" if minimum == 1 else "greater or equal to 0"
        raise ValueError(f"'{name}' must be {relation}.")


def _int(value: Any) -> Any:
    """Wrap a literal count as an integer Value (a plain str is a field name)."""
    if value is None or isinstance(value, int):
        return Value(value, output_field=fields.IntegerField())
    return value


class _FirstSourceTypeMixin:
    """The result is typed like the text argument, never like a count.

    ``Left("name", 1)`` is text even before ``name`` is known (an ``F``):
    the count's integer field must not stand in for it.
    """

    def _resolve_output_field(self) -> Any:
        sources = self.get_source_expressions()  # type: ignore[attr-defined]
        return getattr(sources[0], "_output_field_or_none", None) if sources else None


class _TextFunc(_FirstSourceTypeMixin, SameAsInputMixin, VendorFunctionMixin, Func):
    """A text function whose result has the type of its first argument."""


class _TextTransform(
    _FirstSourceTypeMixin, SameAsInputMixin, VendorFunctionMixin, Transform
):
    """A one-argument text function usable as a lookup."""


class Lower(_TextTransform):
    """Lower-case text."""

    function = "LOWER"
    lookup_name = "lower"


class Upper(_TextTransform):
    """Upper-case text."""

    function = "UPPER"
    lookup_name = "upper"


class Trim(_TextTransform):
    """Strip spaces at both ends."""

    function = "TRIM"
    lookup_name = "trim"


class LTrim(_TextTransform):
    """Strip leading spaces."""

    function = "LTRIM"
    lookup_name = "ltrim"


class RTrim(_TextTransform):
    """Strip trailing spaces."""

    function = "RTRIM"
    lookup_name = "rtrim"


class Reverse(_TextTransform):
    """Reverse text."""

    function = "REVERSE"
    sqlite_function = "manouche_reverse"
    lookup_name = "reverse"


class Length(Transform):
    """The number of characters (not bytes)."""

    lookup_name = "length"

    def __init__(self, expression: Any, **extra: Any) -> None:
        extra.setdefault("output_field", fields.IntegerField())
        super().__init__(expression, **extra)

    def as_sa(self, compiler: Any) -> Any:
        """Compile ``CHAR_LENGTH`` on MySQL, ``LENGTH`` elsewhere."""
        (value,) = self.compile_arguments(compiler)
        if compiler.vendor == "mysql":
            return sa.func.char_length(value, type_=sa.Integer())
        return sa.func.length(value, type_=sa.Integer())


class Chr(FixedOutputMixin, Transform):
    """The character with a Unicode code point."""

    lookup_name = "chr"
    output_field_class = fields.CharField

    def as_sa(self, compiler: Any) -> Any:
        """Compile ``CHR`` (PostgreSQL), ``CHAR ... USING utf32``, ``char``."""
        (code,) = self.compile_arguments(compiler)
        type_ = self.output_sa_type([code])
        if compiler.vendor == "postgresql":
            return sa.func.chr(sa.cast(code, sa.Integer()), type_=type_)
        if compiler.vendor == "mysql":
            # CHAR(... USING) is coercible (comparable with any column's
            # collation) where CONVERT() is not: rebuild from the UTF-8 bytes.
            utf8 = ConvertUsing(CharUsing(code, "utf32"), "utf8mb4")
            number = sa.func.conv(sa.func.hex(utf8), 16, 10)
            character: Any = CharUsing(number, "utf8mb4", type_)
        else:
            character = sa.func.char(code, type_=type_)
        # MySQL's CHAR() skips NULL and SQLite's char(NULL) is U+0000.
        return sa.case((code.is_(None), sa.null()), else_=character)


class Ord(FixedOutputMixin, Transform):
    """The Unicode code point of the first character (0 for empty text)."""

    lookup_name = "ord"
    output_field_class = fields.IntegerField

    def as_sa(self, compiler: Any) -> Any:
        """Compile ``ASCII`` (PostgreSQL), ``ORD`` in UTF-32, ``unicode``."""
        (text,) = self.compile_arguments(compiler)
        if compiler.vendor == "postgresql":
            return sa.func.ascii(text, type_=sa.Integer())
        if compiler.vendor == "mysql":
            return sa.func.ord(ConvertUsing(text, "utf32"), type_=sa.Integer())
        empty = sa.case((text.is_not(None), 0))
        return sa.func.coalesce(sa.func.unicode(text), empty, type_=sa.Integer())


class ConcatPair(Func):
    """Concatenate two values (NULL treated as empty)."""

    arity = 2

    def _resolve_output_field(self) -> Any:
        return fields.TextField()

    def as_sa(self, compiler: Any) -> Any:
        """Compile ``CONCAT`` on MySQL, ``||`` elsewhere."""
        return _concat(compiler, self.compile_arguments(compiler))

    def coalesce(self) -> ConcatPair:
        """A copy whose operands read NULL as empty text (``Coalesce(x, '')``).

        The compiled SQL always does this; the copy spells it out.
        """
        from manouche.db.models.functions.comparison import Coalesce

        pair: ConcatPair = self.copy()
        pair.set_source_expressions(
            [
                Coalesce(expression, Value(""))
                for expression in self.get_source_expressions()
            ]
        )
        return pair


def _concat(compiler: Any, args: Sequence[Any]) -> Any:
    parts = [sa.func.coalesce(sa.cast(arg, sa.Text()), "") for arg in args]
    if compiler.vendor == "mysql":
        return sa.func.concat(*parts, type_=sa.Text())
    result: Any = parts[0]
    for part in parts[1:]:
        result = result.op("||")(part)
    return sa.type_coerce(result, sa.Text())


class Concat(Func):
    """Concatenate values (NULL treated as empty)."""

    def __init__(self, *expressions: Any, **extra: Any) -> None:
        if len(expressions) < 2:
            raise ValueError("Concat must take at least two expressions")
        super().__init__(*expressions, **extra)

    def __repr__(self) -> str:
        # Shown as the pairs it stands for: Concat(ConcatPair(a, ConcatPair(b, c))).
        *heads, last = (str(source) for source in self.source_expressions)
        shown = last
        for head in reversed(heads):
            shown = f"ConcatPair({head}, {shown})"
        return f"{self.__class__.__name__}({shown})"

    def _resolve_output_field(self) -> Any:
        return fields.TextField()

    def as_sa(self, compiler: Any) -> Any:
        """Compile ``CONCAT`` on MySQL, ``||`` elsewhere."""
        return _concat(compiler, self.compile_arguments(compiler))


class Substr(_TextFunc):
    """A substring: position (1-based) and optional length."""

    function = "SUBSTR"

    def __init__(self, expression: Any, pos: Any, length: Any = None, **extra: Any):
        _check_count(pos, "pos", 1)
        args = [expression, _int(pos)]
        if length is not None:
            args.append(_int(length))
        super().__init__(*args, **extra)


class Left(Substr):
    """The first ``length`` characters."""

    def __init__(self, expression: Any, length: Any, **extra: Any) -> None:
        _check_count(length, "length", 1)
        super().__init__(expression, 1, length, **extra)


class Right(_TextFunc):
    """The last ``length`` characters."""

    function = "RIGHT"
    arity = 2

    def __init__(self, expression: Any, length: Any, **extra: Any) -> None:
        _check_count(length, "length", 1)
        super().__init__(expression, _int(length), **extra)

    def as_sa(self, compiler: Any) -> Any:
        """Compile ``RIGHT``, or a ``SUBSTR`` from the end on SQLite."""
        if compiler.vendor != "sqlite":
            return super().as_sa(compiler)
        text, length = self.compile_arguments(compiler)
        start = sa.func.max(sa.func.length(text) - length + 1, 1)
        return call_function("substr", [text, start], self.output_sa_type([text]))


class _Pad(_TextFunc):
    arity = 3

    def __init__(
        self, expression: Any, length: Any, fill_text: Any = None, **extra: Any
    ) -> None:
        _check_count(length, "length", 0, allow_none=True)
        if fill_text is None:
            fill_text = Value(" ")
        super().__init__(expression, _int(length), fill_text, **extra)


class LPad(_Pad):
    """Pad on the left with ``fill_text`` (a space) to ``length`` characters.

    Longer text is cut to ``length``.
    """

    function = "LPAD"
    sqlite_function = "manouche_lpad"


class RPad(_Pad):
    """Pad on the right with ``fill_text`` (a space) to ``length`` characters."""

    function = "RPAD"
    sqlite_function = "manouche_rpad"


class Repeat(_TextFunc):
    """The text repeated ``number`` times."""

    function = "REPEAT"
    sqlite_function = "manouche_repeat"
    arity = 2

    def __init__(self, expression: Any, number: Any, **extra: Any) -> None:
        _check_count(number, "number", 0, allow_none=True)
        super().__init__(expression, _int(number), **extra)


class Replace(_TextFunc):
    """Replace every occurrence of ``text`` by ``replacement`` (default: remove)."""

    function = "REPLACE"

    def __init__(
        self, expression: Any, text: Any, replacement: Any = None, **extra: Any
    ) -> None:
        if replacement is None:
            replacement = Value("")
        super().__init__(expression, text, replacement, **extra)


class StrIndex(Func):
    """The 1-based position of a substring, 0 when absent.

    Case sensitivity follows the collation on MySQL/MariaDB.
    """

    arity = 2

    def __init__(self, *expressions: Any, **extra: Any) -> None:
        extra.setdefault("output_field", fields.IntegerField())
        super().__init__(*expressions, **extra)

    def as_sa(self, compiler: Any) -> Any:
        """Compile ``STRPOS`` on PostgreSQL, ``INSTR`` elsewhere."""
        text, sub = self.compile_arguments(compiler)
        if compiler.vendor == "postgresql":
            return sa.func.strpos(text, sub, type_=sa.Integer())
        return sa.func.instr(text, sub, type_=sa.Integer())


class _Hash(Transform):
    """A hex digest of the text's UTF-8 bytes."""

    algorithm: ClassVar[str] = ""

    def _resolve_output_field(self) -> Any:
        field = getattr(self.lhs, "_output_field_or_none", None)
        if isinstance(field, (fields.CharField, fields.TextField)):
            return field
        return fields.CharField()

    def as_sa(self, compiler: Any) -> Any:
        """Compile the vendor's digest of the text."""
        (text,) = self.compile_arguments(compiler)
        type_ = sa.String()
        if compiler.vendor == "sqlite":
            return call_function(f"manouche_{self.algorithm}", [text], type_)
        if compiler.vendor == "mysql":
            return self.mysql_digest(text, type_)
        return self.postgresql_digest(sa.cast(text, sa.Text()), type_)

    def mysql_digest(self, text: Any, type_: Any) -> Any:
        """``SHA2(text, bits)`` (MD5 and SHA1 override)."""
        bits = int(self.algorithm[3:])
        return call_function("sha2", [text, sa.literal_column(str(bits))], type_)

    def postgresql_digest(self, text: Any, type_: Any) -> Any:
        """``encode(sha<bits>(bytes), 'hex')`` (MD5 and SHA1 override)."""
        data = sa.func.convert_to(text, sa.literal_column("'UTF8'"))
        digest = getattr(sa.func, self.algorithm)(data)
        return call_function("encode", [digest, sa.literal_column("'hex'")], type_)


class MD5(_Hash):
    """The MD5 hex digest."""

    algorithm = "md5"
    lookup_name = "md5"

    def mysql_digest(self, text: Any, type_: Any) -> Any:
        """``MD5(text)``."""
        return call_function("md5", [text], type_)

    def postgresql_digest(self, text: Any, type_: Any) -> Any:
        """``md5(text)`` (hashes the UTF-8 bytes)."""
        return call_function("md5", [text], type_)


class SHA1(_Hash):
    """The SHA-1 hex digest (PostgreSQL: needs the pgcrypto extension)."""

    algorithm = "sha1"
    lookup_name = "sha1"

    def mysql_digest(self, text: Any, type_: Any) -> Any:
        """``SHA1(text)``."""
        return call_function("sha1", [text], type_)

    def postgresql_digest(self, text: Any, type_: Any) -> Any:
        """``encode(digest(bytes, 'sha1'), 'hex')`` from pgcrypto."""
        data = sa.func.convert_to(text, sa.literal_column("'UTF8'"))
        digest = sa.func.digest(data, sa.literal_column("'sha1'"))
        return call_function("encode", [digest, sa.literal_column("'hex'")], type_)


class SHA224(_Hash):
    """The SHA-224 hex digest."""

    algorithm = "sha224"
    lookup_name = "sha224"


class SHA256(_Hash):
    """The SHA-256 hex digest."""

    algorithm = "sha256"
    lookup_name = "sha256"


class SHA384(_Hash):
    """The SHA-384 hex digest."""

    algorithm = "sha384"
    lookup_name = "sha384"


class SHA512(_Hash):
    """The SHA-512 hex digest."""

    algorithm = "sha512"
    lookup_name = "sha512"
