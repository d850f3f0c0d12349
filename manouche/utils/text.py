"""Text helpers: file names, slugs, compression and small formatting tools."""

from __future__ import annotations

import gzip
import re
import secrets
import unicodedata
from collections.abc import Iterable, Iterator
from io import BytesIO
from typing import Any

from manouche.core.exceptions import SuspiciousFileOperation
from manouche.utils.functional import SimpleLazyObject, keep_lazy_text

__all__ = [
    "Truncator",
    "camel_case_to_spaces",
    "capfirst",
    "compress_sequence",
    "compress_string",
    "get_text_list",
    "get_valid_filename",
    "normalize_newlines",
    "phone2numeric",
    "slugify",
    "wrap",
]


@keep_lazy_text
def capfirst(x: Any) -> Any:
    """Capitalise the first letter of ``x``."""
    if not x:
        return x
    x = str(x)
    return x[0].upper() + x[1:]


@keep_lazy_text
def wrap(text: str, width: int) -> str:
    """Wrap ``text`` at ``width`` columns, keeping existing line breaks."""
    import textwrap

    wrapper = textwrap.TextWrapper(
        width=width, break_long_words=False, break_on_hyphens=False
    )
    result = []
    for line in str(text).splitlines(True):
        stripped = line.rstrip("\r\n")
        ending = line[len(stripped) :]
        wrapped = wrapper.wrap(stripped) or [""]
        result.append("\n".join(wrapped) + ending)
    return "".join(result)


class Truncator(SimpleLazyObject):
    """Truncate text to a number of characters or words."""

    def __init__(self, text: Any) -> None:
        super().__init__(lambda: str(text))

    def add_truncation_text(self, text: str, truncate: str | None = None) -> str:
        """Append the truncation marker (an ellipsis by default)."""
        if truncate is None:
            truncate = "\u2026"
        if "%(truncated_text)s" in truncate:
            return truncate % {"truncated_text": text}
        if text.endswith(truncate):
            return text
        return f"{text}{truncate}"

    def chars(self, num: int, truncate: str | None = None, html: bool = False) -> str:
        """Return the text cut to ``num`` characters, marker included."""
        self._setup()
        text: str = self._wrapped
        length = int(num)
        if length <= 0:
            return ""
        text = unicodedata.normalize("NFC", text)
        if len(text) <= length:
            return text
        truncate_len = len(self.add_truncation_text("", truncate))
        end = max(length - truncate_len, 0)
        return self.add_truncation_text(text[:end], truncate)

    def words(self, num: int, truncate: str | None = None, html: bool = False) -> str:
        """Return the first ``num`` words, followed by the marker if cut."""
        self._setup()
        length = int(num)
        if length <= 0:
            return ""
        words = self._wrapped.split()
        if len(words) > length:
            return self.add_truncation_text(" ".join(words[:length]), truncate)
        return " ".join(words)


def get_valid_filename(name: Any) -> str:
    """Return a file-system-safe version of ``name``.

    Spaces become underscores and anything but alphanumerics, dash, underscore
    and dot is dropped; names that end up empty, '.' or '..' are refused.
    """
    s = str(name).strip().replace(" ", "_")
    s = re.sub(r"(?u)[^-\w.]", "", s)
    if s in {"", ".", ".."}:
        raise SuspiciousFileOperation(f"Could not derive file name from '{name}'")
    return s


@keep_lazy_text
def get_text_list(list_: list[Any], last_word: str = "or") -> str:
    """Join items as 'a, b or c'."""
    if not list_:
        return ""
    if len(list_) == 1:
        return str(list_[0])
    return "{}{} {} {}".format(
        ", ".join(str(i) for i in list_[:-1]), "", str(last_word), str(list_[-1])
    )


@keep_lazy_text
def normalize_newlines(text: Any) -> str:
    """Turn \\r\\n and \\r into \\n."""
    return re.sub(r"\r\n|\r", "\n", str(text))


@keep_lazy_text
def phone2numeric(phone: Any) -> str:
    """Convert a phone number with letters into its numeric form."""
    char2number = {
        "a": "2", "b": "2", "c": "2", "d": "3", "e": "3", "f": "3", "g": "4",
        "h": "4", "i": "4", "j": "5", "k": "5", "l": "5", "m": "6", "n": "6",
        "o": "6", "p": "7", "q": "7", "r": "7", "s": "7", "t": "8", "u": "8",
        "v": "8", "w": "9", "x": "9", "y": "9", "z": "9",
    }  # fmt: skip
    return "".join(char2number.get(c, c) for c in str(phone).lower())


def _padding_name(max_random_bytes: int | None) -> str:
    """A gzip FNAME of random length below ``max_random_bytes`` ("" for none).

    Padding the header by a secret amount stops the compressed length from
    telling an attacker how well their input compressed against a secret in
    the same response (the BREACH attack).
    """
    return "a" * secrets.randbelow(max_random_bytes) if max_random_bytes else ""


def compress_string(s: bytes, *, max_random_bytes: int | None = None) -> bytes:
    """Gzip ``s`` with a fixed mtime, so equal input and padding give equal output."""
    buf = BytesIO()
    name = _padding_name(max_random_bytes)
    with gzip.GzipFile(
        filename=name, mode="wb", compresslevel=6, fileobj=buf, mtime=0
    ) as zfile:
        zfile.write(s)
    return buf.getvalue()


class StreamingBuffer(BytesIO):
    """A BytesIO that hands back and forgets what was written so far."""

    def read(self, size: int | None = -1) -> bytes:
        ret = self.getvalue()
        self.seek(0)
        self.truncate()
        return ret


def compress_sequence(
    sequence: Iterable[bytes], *, max_random_bytes: int | None = None
) -> Iterator[bytes]:
    """Gzip an iterable of byte chunks, yielding compressed chunks as they come."""
    buf = StreamingBuffer()
    name = _padding_name(max_random_bytes)
    with gzip.GzipFile(
        filename=name, mode="wb", compresslevel=6, fileobj=buf, mtime=0
    ) as zfile:
        yield buf.read()
        for item in sequence:
            zfile.write(item)
            data = buf.read()
            if data:
                yield data
    yield buf.read()


@keep_lazy_text
def slugify(value: Any, allow_unicode: bool = False) -> str:
    """Turn ``value`` into a URL slug: lowercase, dashes, no punctuation."""
    value = str(value)
    if allow_unicode:
        value = unicodedata.normalize("NFKC", value)
    else:
        value = (
            unicodedata.normalize("NFKD", value)
            .encode("ascii", "ignore")
            .decode("ascii")
        )
    value = re.sub(r"[^\w\s-]", "", value.lower())
    return re.sub(r"[-\s]+", "-", value).strip("-_")


_camel_case_re = re.compile(r"(((?<=[a-z])[A-Z])|([A-Z](?![A-Z]|$)))")


def camel_case_to_spaces(value: str) -> str:
    """Split CamelCase into lowercase words: 'CamelCase' -> 'camel case'."""
    return _camel_case_re.sub(r" \1", value).strip().lower()
