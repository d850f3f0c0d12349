"""The built-in filters of the Django template language.

Filters that take user text refuse inputs over MAX_INPUT_LENGTH and use only
linear-time scans, so hostile input cannot make a render slow.
"""

from __future__ import annotations

import random as random_module
import re
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation
from functools import wraps
from html import escape as _html_escape
from operator import itemgetter
from pprint import pformat
from typing import Any
from urllib.parse import quote

from manouche.core.exceptions import SuspiciousOperation
from manouche.template.library import Library
from manouche.utils.html import (
    avoid_wrapping,
    conditional_escape,
    escape,
    escapejs,
    linebreaks,
    strip_tags,
)
from manouche.utils.html import (
    json_script as _json_script,
)
from manouche.utils.safestring import SafeData, SafeString, mark_safe
from manouche.utils.text import Truncator, wrap
from manouche.utils.text import phone2numeric as _phone2numeric
from manouche.utils.text import slugify as _slugify

__all__ = ["MAX_INPUT_LENGTH", "register", "stringfilter"]

register = Library()
MAX_INPUT_LENGTH = 1 << 20


def _check_length(value: str) -> str:
    if len(value) > MAX_INPUT_LENGTH:
        raise SuspiciousOperation("Template filter input is too long (over 1 MiB).")
    return value


def stringfilter(func: Any) -> Any:
    """Make a filter receive its value as a str (keeping safety)."""

    @wraps(func)
    def _dec(first: Any, *args: Any, **kwargs: Any) -> Any:
        first = str(first)
        result = func(first, *args, **kwargs)
        # Library.filter copies the flags onto the undecorated function too.
        if isinstance(first, SafeData) and getattr(func, "is_safe", False):
            result = mark_safe(result)
        return result

    # The library reads the undecorated function name and flags through this.
    _dec._decorated_function = getattr(  # type: ignore[attr-defined]
        func, "_decorated_function", func
    )
    # Compiled templates call ``func`` on ``str(value)`` themselves (they mark
    # is_safe results safe anyway); naming ``_dec`` lets them check that this
    # attribute was not copied onto another wrapper by functools.wraps.
    _dec._stringfilter = (_dec, func)  # type: ignore[attr-defined]
    return _dec


# -- strings -------------------------------------------------------------


@register.filter(is_safe=True)
@stringfilter
def addslashes(value: str) -> str:
    """Backslash-escape quotes and backslashes."""
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("'", "\\'")


@register.filter(is_safe=True)
@stringfilter
def capfirst(value: str) -> str:
    """Capitalise the first character."""
    return value and value[0].upper() + value[1:]


@register.filter("escapejs")
@stringfilter
def escapejs_filter(value: str) -> str:
    """Escape for use in JavaScript strings."""
    return escapejs(value)


@register.filter(is_safe=True)
def json_script(value: Any, element_id: str | None = None) -> Any:
    """Output ``value`` as JSON inside a script tag."""
    return _json_script(value, element_id)


def _decimal(value: Any) -> Decimal:
    try:
        return Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        return Decimal(str(float(value)))


@register.filter(is_safe=True)
def floatformat(text: Any, arg: Any = -1) -> Any:
    """Round a number to ``arg`` decimal places (see Django's rules)."""
    from manouche.utils.formats import number_format

    force_grouping = False
    use_l10n = True
    if isinstance(arg, str):
        last_char = arg[-1:]
        if arg[-2:] in {"gu", "ug"}:
            force_grouping = True
            use_l10n = False
            arg = arg[:-2] or -1
        elif last_char == "g":
            force_grouping = True
            arg = arg[:-1] or -1
        elif last_char == "u":
            use_l10n = False
            arg = arg[:-1] or -1
    if isinstance(text, str) and len(text) > 400:
        return ""
    try:
        d = _decimal(text)
    except (InvalidOperation, ValueError, TypeError, OverflowError):
        return ""
    if not d.is_finite():
        return str(text)
    try:
        p = int(arg)
    except ValueError:
        return str(text)
    if abs(p) > 200:
        return ""
    m = int(d) - d
    if not m and p <= 0:
        return mark_safe(
            number_format(
                f"{int(d)}", 0, use_l10n=use_l10n, force_grouping=force_grouping
            )
        )
    exp = Decimal(1).scaleb(-abs(p))
    tupl = d.as_tuple()
    units = len(tupl[1])
    units += -tupl[2] if m else tupl[2]  # type: ignore[operator]
    prec = abs(p) + units + 1
    prec = max(getattr(d.as_tuple(), "exponent", 0) and prec, prec, 1)
    rounded_d = d.quantize(exp, ROUND_HALF_UP, Context(prec=prec))
    sign, digits, exponent = rounded_d.as_tuple()
    digit_list = [str(digit) for digit in reversed(digits)]
    while len(digit_list) <= abs(exponent):  # type: ignore[arg-type]
        digit_list.append("0")
    digit_list.insert(-exponent, ".")  # type: ignore[operator]
    if sign and rounded_d:
        digit_list.append("-")
    number = "".join(reversed(digit_list))
    return mark_safe(
        number_format(number, abs(p), use_l10n=use_l10n, force_grouping=force_grouping)
    )


@register.filter(is_safe=True)
@stringfilter
def iriencode(value: str) -> str:
    """Escape an IRI into a URI."""
    from manouche.utils.encoding import iri_to_uri

    return str(iri_to_uri(value))


@register.filter(is_safe=True, needs_autoescape=True)
@stringfilter
def linenumbers(value: str, autoescape: bool = True) -> str:
    """Prefix each line with its number."""
    lines = value.split("\n")
    width = str(len(str(len(lines))))
    if not autoescape or isinstance(value, SafeData):
        for i, line in enumerate(lines):
            lines[i] = ("%0" + width + "d. %s") % (i + 1, line)
    else:
        for i, line in enumerate(lines):
            lines[i] = ("%0" + width + "d. %s") % (i + 1, escape(line))
    return mark_safe("\n".join(lines))  # type: ignore[no-any-return]


@register.filter(is_safe=True)
@stringfilter
def lower(value: str) -> str:
    """Lowercase."""
    return value.lower()


@register.filter(is_safe=False)
@stringfilter
def make_list(value: str) -> list[str]:
    """Split into a list of characters."""
    return list(value)


@register.filter(is_safe=True)
@stringfilter
def slugify(value: str) -> str:
    """Make a URL slug."""
    return _slugify(value)


@register.filter(is_safe=True)
def stringformat(value: Any, arg: str) -> str:
    """Format with %-style ``arg`` (without the leading %)."""
    if isinstance(value, tuple):
        value = str(value)
    try:
        return str(("%" + str(arg)) % value)
    except (ValueError, TypeError):
        return ""


_APOSTROPHE_UPPER = re.compile("([a-z])'([A-Z])")
_DIGIT_UPPER = re.compile(r"\d([A-Z])")


def _lower_match(match: re.Match[str]) -> str:
    return match[0].lower()


@register.filter(is_safe=True)
@stringfilter
def title(value: str) -> str:
    """Titlecase, without capitalising after apostrophes or digits."""
    t = value.title()
    if "'" in t:
        t = _APOSTROPHE_UPPER.sub(_lower_match, t)
    return _DIGIT_UPPER.sub(_lower_match, t)


@register.filter(is_safe=True)
@stringfilter
def truncatechars(value: str, arg: Any) -> str:
    """Truncate to ``arg`` characters (ellipsis included)."""
    try:
        length = int(arg)
    except ValueError:
        return value
    return Truncator(_check_length(value)).chars(length)


_tag_re = re.compile(
    r"<(/)?\s*([a-zA-Z][-a-zA-Z0-9]*)[^<>]*?(/)?>|&[#\w]+;|[^<&]+|[<&]"
)
_VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
    "param", "source", "track", "wbr",
}  # fmt: skip


def _truncate_html(value: str, limit: int, words: bool) -> str:
    """Cut HTML after ``limit`` characters or words, closing open tags."""
    _check_length(value)
    if limit <= 0:
        return ""
    out: list[str] = []
    open_tags: list[str] = []
    count = 0
    truncated = False
    for match in _tag_re.finditer(value):
        piece = match.group(0)
        name = match.group(2)
        if name:
            _track_tag(name.lower(), match, open_tags)
            out.append(piece)
        elif piece.startswith("&") and piece.endswith(";"):
            # An entity counts as one character (and as no word).
            if not words and count + 1 > limit:
                truncated = True
                break
            count += 0 if words else 1
            out.append(piece)
        else:
            count, truncated = _take_text(piece, words, limit, count, out)
            if truncated:
                break
    if not truncated:
        return value
    text = "".join(out)
    if words:
        text = text.rstrip() + " \u2026"
    elif text:
        text = text[:-1] + "\u2026"
    return text + "".join(f"</{tag}>" for tag in reversed(open_tags))


def _track_tag(name: str, match: re.Match[str], open_tags: list[str]) -> None:
    """Keep the stack of open tags in step with one tag of the input."""
    if match.group(1):
        if name in open_tags:
            del open_tags[len(open_tags) - 1 - open_tags[::-1].index(name)]
    elif not match.group(3) and name not in _VOID:
        open_tags.append(name)


def _take_text(
    piece: str, words: bool, limit: int, count: int, out: list[str]
) -> tuple[int, bool]:
    """Copy text up to the limit into ``out``; return (count, truncated)."""
    if words:
        for token in re.finditer(r"\S+|\s+", piece):
            text = token.group(0)
            if not text.isspace():
                if count >= limit:
                    return count, True
                count += 1
            out.append(text)
        return count, False
    room = limit - count
    if len(piece) > room:
        out.append(piece[:room])
        return limit, True
    out.append(piece)
    return count + len(piece), False


@register.filter(is_safe=True)
@stringfilter
def truncatechars_html(value: str, arg: Any) -> str:
    """Truncate HTML to ``arg`` characters, closing open tags."""
    try:
        length = int(arg)
    except ValueError:
        return value
    return _truncate_html(value, length, words=False)


@register.filter(is_safe=True)
@stringfilter
def truncatewords(value: str, arg: Any) -> str:
    """Truncate to ``arg`` words."""
    try:
        length = int(arg)
    except ValueError:
        return value
    if length <= 0:
        return ""
    # Truncator(value).words(length, truncate=" …"), without the lazy wrapper:
    # this filter runs in hot loops.
    words = _check_length(value).split()
    if len(words) <= length:
        return " ".join(words)
    text = " ".join(words[:length])
    return text if text.endswith(" \u2026") else text + " \u2026"


@register.filter(is_safe=True)
@stringfilter
def truncatewords_html(value: str, arg: Any) -> str:
    """Truncate HTML to ``arg`` words, closing open tags."""
    try:
        length = int(arg)
    except ValueError:
        return value
    return _truncate_html(value, length, words=True)


@register.filter(is_safe=False)
@stringfilter
def upper(value: str) -> str:
    """Uppercase."""
    return value.upper()


@register.filter(is_safe=False)
@stringfilter
def urlencode(value: str, safe: str | None = None) -> str:
    """Percent-encode for use in a URL."""
    return quote(value, safe="/" if safe is None else safe)


@register.filter(is_safe=True, needs_autoescape=True)
@stringfilter
def urlize(value: str, autoescape: bool = True) -> str:
    """Turn URLs and email addresses into links."""
    from manouche.utils.urlize import urlize as _urlize

    urlized = _urlize(_check_length(value), nofollow=True, autoescape=autoescape)
    return SafeString(urlized)


@register.filter(is_safe=True, needs_autoescape=True)
@stringfilter
def urlizetrunc(value: str, limit: Any, autoescape: bool = True) -> str:
    """urlize, shortening link texts to ``limit`` characters."""
    from manouche.utils.urlize import urlize as _urlize

    return mark_safe(  # type: ignore[no-any-return]
        _urlize(
            _check_length(value),
            trim_url_limit=int(limit),
            nofollow=True,
            autoescape=autoescape,
        )
    )


@register.filter(is_safe=False)
@stringfilter
def wordcount(value: str) -> int:
    """Count words."""
    return len(_check_length(value).split())


@register.filter(is_safe=True)
@stringfilter
def wordwrap(value: str, arg: Any) -> str:
    """Wrap at ``arg`` columns."""
    return wrap(_check_length(value), int(arg))


@register.filter(is_safe=True)
@stringfilter
def ljust(value: str, arg: Any) -> str:
    """Left-align in a field of ``arg`` characters."""
    return value.ljust(min(int(arg), MAX_INPUT_LENGTH))


@register.filter(is_safe=True)
@stringfilter
def rjust(value: str, arg: Any) -> str:
    """Right-align in a field of ``arg`` characters."""
    return value.rjust(min(int(arg), MAX_INPUT_LENGTH))


@register.filter(is_safe=True)
@stringfilter
def center(value: str, arg: Any) -> str:
    """Center in a field of ``arg`` characters."""
    return value.center(min(int(arg), MAX_INPUT_LENGTH))


@register.filter
@stringfilter
def cut(value: str, arg: str) -> str:
    """Remove every ``arg``."""
    safe = isinstance(value, SafeData)
    value = value.replace(arg, "")
    if safe and arg != ";":
        return mark_safe(value)  # type: ignore[no-any-return]
    return value


# -- HTML ----------------------------------------------------------------


@register.filter("escape", is_safe=True)
@stringfilter
def escape_filter(value: str) -> Any:
    """Mark the value for escaping (escapes once)."""
    return conditional_escape(value)


@register.filter(is_safe=True)
def escapeseq(value: Any) -> list[Any]:
    """Escape each item of a sequence (for use before join)."""
    return [conditional_escape(obj) for obj in value]


@register.filter(is_safe=True)
@stringfilter
def force_escape(value: str) -> str:
    """Escape now, even if already escaped."""
    return escape(value)


@register.filter("linebreaks", is_safe=True, needs_autoescape=True)
@stringfilter
def linebreaks_filter(value: str, autoescape: bool = True) -> str:
    """Paragraphs for blank lines, <br> for newlines."""
    autoescape = autoescape and not isinstance(value, SafeData)
    return mark_safe(linebreaks(_check_length(value), autoescape))  # type: ignore[no-any-return]


@register.filter(is_safe=True, needs_autoescape=True)
@stringfilter
def linebreaksbr(value: str, autoescape: bool = True) -> str:
    """<br> for every newline."""
    autoescape = autoescape and not isinstance(value, SafeData)
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    if autoescape:
        value = _html_escape(value)
    return SafeString(value.replace("\n", "<br>"))


@register.filter(is_safe=True)
@stringfilter
def safe(value: str) -> str:
    """Mark safe: no escaping."""
    return mark_safe(value)  # type: ignore[no-any-return]


@register.filter(is_safe=True)
def safeseq(value: Any) -> list[Any]:
    """Mark each item safe."""
    return [mark_safe(obj) for obj in value]


@register.filter(is_safe=True)
@stringfilter
def striptags(value: str) -> str:
    """Strip HTML tags (the result is not safe HTML)."""
    return strip_tags(_check_length(value))


# -- lists ---------------------------------------------------------------


def _property_resolver(arg: Any) -> Any:
    try:
        float(arg)
    except ValueError:
        if "._" in arg or str(arg).startswith("_"):
            raise AttributeError("Access to private variables is forbidden.") from None
        from manouche.template._dtl.runtime import MISSING, attr, index

        bits = str(arg).split(".")

        def resolve(value: Any) -> Any:
            for bit in bits:
                value = (
                    index(value, bit, int(bit)) if bit.isdigit() else attr(value, bit)
                )
                if value is MISSING:
                    raise AttributeError(bit)
            return value

        return resolve
    return itemgetter(arg)


@register.filter(is_safe=False)
def dictsort(value: Any, arg: Any) -> Any:
    """Sort dicts/objects by ``arg``."""
    try:
        return sorted(value, key=_property_resolver(arg))
    except (AttributeError, TypeError):
        return ""


@register.filter(is_safe=False)
def dictsortreversed(value: Any, arg: Any) -> Any:
    """Sort dicts/objects by ``arg``, descending."""
    try:
        return sorted(value, key=_property_resolver(arg), reverse=True)
    except (AttributeError, TypeError):
        return ""


@register.filter(is_safe=False)
def first(value: Any) -> Any:
    """The first item."""
    try:
        return value[0]
    except IndexError:
        return ""


@register.filter(is_safe=True, needs_autoescape=True)
def join(value: Any, arg: str, autoescape: bool = True) -> Any:
    """Join with ``arg`` (escaping items when autoescaping)."""
    try:
        if autoescape:
            data = conditional_escape(arg).join([conditional_escape(v) for v in value])
        else:
            data = arg.join(value)
    except TypeError:
        return value
    return mark_safe(data)


@register.filter(is_safe=True)
def last(value: Any) -> Any:
    """The last item."""
    try:
        return value[-1]
    except IndexError:
        return ""


@register.filter(is_safe=False)
def length(value: Any) -> int:
    """The length (0 when it has none)."""
    try:
        return len(value)
    except (ValueError, TypeError):
        return 0


@register.filter(is_safe=True)
def random(value: Any) -> Any:
    """A random item."""
    try:
        return random_module.choice(value)
    except IndexError:
        return ""


@register.filter("slice", is_safe=True)
def slice_filter(value: Any, arg: str) -> Any:
    """Python slice syntax: ``"1:3"``."""
    try:
        bits = []
        for x in str(arg).split(":"):
            bits.append(int(x) if x else None)
        return value[slice(*bits)]
    except (ValueError, TypeError, KeyError):
        return value


@register.filter(is_safe=True, needs_autoescape=True)
def unordered_list(value: Any, autoescape: bool = True) -> str:
    """Nested lists as nested <ul> items (without the outer <ul>)."""
    escaper = conditional_escape if autoescape else (lambda x: x)

    def walk_items(item_list: Any) -> Any:
        item_iterator = iter(item_list)
        try:
            item = next(item_iterator)
            while True:
                try:
                    next_item = next(item_iterator)
                except StopIteration:
                    yield item, None
                    break
                if isinstance(next_item, (list, tuple)):
                    try:
                        iter(next_item)
                    except TypeError:
                        pass
                    else:
                        yield item, next_item
                        item = next(item_iterator)
                        continue
                yield item, None
                item = next_item
        except StopIteration:
            pass

    def list_formatter(item_list: Any, tabs: int = 1) -> str:
        indent = "\t" * tabs
        output = []
        for item, children in walk_items(item_list):
            sublist = ""
            if children:
                inner = list_formatter(children, tabs + 1)
                sublist = f"\n{indent}<ul>\n{inner}\n{indent}</ul>\n{indent}"
            output.append(f"{indent}<li>{escaper(item)}{sublist}</li>")
        return "\n".join(output)

    return mark_safe(list_formatter(value))  # type: ignore[no-any-return]


# -- numbers -------------------------------------------------------------


@register.filter(is_safe=False)
def add(value: Any, arg: Any) -> Any:
    """Add ``arg`` (as integers when possible)."""
    try:
        return int(value) + int(arg)
    except (ValueError, TypeError):
        try:
            return value + arg
        except Exception:
            return ""


@register.filter(is_safe=False)
def get_digit(value: Any, arg: Any) -> Any:
    """The ``arg``-th digit from the right (1-based)."""
    try:
        arg = int(arg)
        value = int(value)
    except ValueError:
        return value
    if arg < 1:
        return value
    try:
        return int(str(value)[-arg])
    except IndexError:
        return 0


# -- dates ---------------------------------------------------------------


@register.filter(expects_localtime=True, is_safe=False)
def date(value: Any, arg: str | None = None) -> Any:
    """Format a date."""
    from manouche.utils.dateformat import format as date_format
    from manouche.utils.formats import date_format as localized

    if value in (None, ""):
        return ""
    try:
        return localized(value, arg)
    except AttributeError:
        try:
            return date_format(value, str(arg))
        except AttributeError:
            return ""


@register.filter(expects_localtime=True, is_safe=False)
def time(value: Any, arg: str | None = None) -> Any:
    """Format a time."""
    from manouche.utils.formats import time_format

    if value in (None, ""):
        return ""
    try:
        return time_format(value, arg)
    except (AttributeError, TypeError):
        return ""


@register.filter("timesince", is_safe=False)
def timesince_filter(value: Any, arg: Any = None) -> str:
    """Time elapsed since ``value`` ("4 days, 6 hours")."""
    from manouche.utils.timesince import timesince

    if not value:
        return ""
    try:
        if arg:
            return timesince(value, arg)
        return timesince(value)
    except (ValueError, TypeError):
        return ""


@register.filter("timeuntil", is_safe=False)
def timeuntil_filter(value: Any, arg: Any = None) -> str:
    """Time until ``value``."""
    from manouche.utils.timesince import timeuntil

    if not value:
        return ""
    try:
        return timeuntil(value, arg)
    except (ValueError, TypeError):
        return ""


# -- logic ---------------------------------------------------------------


@register.filter(is_safe=False)
def default(value: Any, arg: Any) -> Any:
    """``arg`` when the value is false."""
    return value or arg


@register.filter(is_safe=False)
def default_if_none(value: Any, arg: Any) -> Any:
    """``arg`` when the value is None."""
    if value is None:
        return arg
    return value


@register.filter(is_safe=False)
def divisibleby(value: Any, arg: Any) -> bool:
    """True when the value is divisible by ``arg``."""
    return int(value) % int(arg) == 0


@register.filter(is_safe=False)
def yesno(value: Any, arg: str | None = None) -> Any:
    """Map True/False/None to "yes,no,maybe" style choices."""
    if arg is None:
        arg = "yes,no,maybe"
    bits = str(arg).split(",")
    if len(bits) < 2:
        return value
    try:
        yes, no, maybe = bits
    except ValueError:
        yes, no, maybe = bits[0], bits[1], bits[1]
    if value is None:
        return maybe
    if value:
        return yes
    return no


# -- misc ----------------------------------------------------------------


@register.filter(is_safe=True)
def filesizeformat(bytes_: Any) -> str:
    """Human-readable file size: 13 KB, 4.1 MB."""
    from manouche.utils.translation import ngettext

    try:
        bytes_ = int(bytes_)
    except (TypeError, ValueError, UnicodeDecodeError):
        value = ngettext("%(size)d byte", "%(size)d bytes", 0) % {"size": 0}
        return avoid_wrapping(value)

    def filesize_number_format(value: float) -> str:
        from manouche.utils.formats import number_format

        return number_format(round(value, 1), 1)

    kb, mb, gb, tb, pb = 1 << 10, 1 << 20, 1 << 30, 1 << 40, 1 << 50
    negative = bytes_ < 0
    if negative:
        bytes_ = -bytes_
    if bytes_ < kb:
        value = ngettext("%(size)d byte", "%(size)d bytes", bytes_) % {"size": bytes_}
    elif bytes_ < mb:
        value = f"{filesize_number_format(bytes_ / kb)} KB"
    elif bytes_ < gb:
        value = f"{filesize_number_format(bytes_ / mb)} MB"
    elif bytes_ < tb:
        value = f"{filesize_number_format(bytes_ / gb)} GB"
    elif bytes_ < pb:
        value = f"{filesize_number_format(bytes_ / tb)} TB"
    else:
        value = f"{filesize_number_format(bytes_ / pb)} PB"
    if negative:
        value = f"-{value}"
    return avoid_wrapping(value)


@register.filter(is_safe=False)
def pluralize(value: Any, arg: str = "s") -> str:
    """A plural suffix: "s" by default, or "y,ies" style."""
    if "," not in arg:
        arg = "," + arg
    bits = arg.split(",")
    if len(bits) > 2:
        return ""
    singular_suffix, plural_suffix = bits[:2]
    try:
        return singular_suffix if float(value) == 1 else plural_suffix
    except ValueError:
        pass
    except TypeError:
        try:
            return singular_suffix if len(value) == 1 else plural_suffix
        except TypeError:
            pass
    return ""


@register.filter("phone2numeric", is_safe=True)
def phone2numeric_filter(value: Any) -> str:
    """Letters of a phone number to digits."""
    return _phone2numeric(value)


@register.filter(is_safe=True)
def pprint(value: Any) -> str:
    """pprint.pformat, for debugging."""
    try:
        return pformat(value)
    except Exception as e:
        return f"Error in formatting: {e.__class__.__name__}: {e}"
