"""Helpers the compiled template code calls at render time.

Kept small and branch-light: these run for every variable of every render.
"""

from __future__ import annotations

import datetime
import decimal
import functools
import html as _html
import inspect
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from manouche.core.signals import setting_changed
from manouche.utils.functional import Promise
from manouche.utils.safestring import SafeData, SafeString, mark_safe

__all__ = [
    "MISSING",
    "BlockContext",
    "BlockProxy",
    "attr",
    "call_value",
    "escape_out",
    "index",
    "is_safe_result",
    "is_safe_result_either",
    "lookup",
    "plain_out",
    "resolve_path",
]

BLOCK_CONTEXT_KEY = "block_context"


class _Missing:
    """A value that could not be resolved; falsy, and every lookup on it fails."""

    __slots__ = ()

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()
_LOOKUP_ERRORS = (TypeError, AttributeError, KeyError, ValueError, IndexError)
_no_getitem: dict[type, bool] = {}


def _string_if_invalid(value: Any) -> Any:
    # alters_data callables resolve to the engine's string_if_invalid; the
    # compiled code turns MISSING into that string with the variable's name.
    return MISSING


def call_value(value: Any) -> Any:
    """Call a callable found by a lookup, following DTL's rules."""
    if getattr(value, "do_not_call_in_templates", False):
        return value
    if getattr(value, "alters_data", False):
        return MISSING
    try:
        return value()
    except TypeError as exc:
        try:
            signature = inspect.signature(value)
        except ValueError:
            raise exc from None
        try:
            signature.bind()
        except TypeError:
            return MISSING
        raise


def _silent(exc: Exception) -> bool:
    return bool(getattr(exc, "silent_variable_failure", False))


def lookup(context: Any, name: str) -> Any:
    """Resolve ``name`` in a context's stack of dicts, calling callables."""
    for d in reversed(context.dicts):
        if name in d:
            value = d[name]
            if callable(value):
                try:
                    return call_value(value)
                except Exception as exc:
                    if _silent(exc):
                        return MISSING
                    raise
            return value
    return MISSING


def attr(obj: Any, bit: str) -> Any:
    """Resolve ``obj.bit``: dictionary key first, then attribute, then index."""
    tp = type(obj)
    try:
        if tp is dict:
            try:
                value = obj[bit]
            except KeyError:
                value = getattr(obj, bit, MISSING)
        else:
            no_item = _no_getitem.get(tp)
            if no_item is None:
                no_item = _no_getitem[tp] = not hasattr(tp, "__getitem__")
            if no_item:
                try:
                    value = getattr(obj, bit)
                except (TypeError, AttributeError):
                    if obj is not MISSING and bit in dir(obj):
                        raise
                    return MISSING
            else:
                value = _slow_attr(obj, bit)
        if callable(value):
            return call_value(value)
        return value
    except Exception as exc:
        if _silent(exc):
            return MISSING
        raise


def _slow_attr(obj: Any, bit: str) -> Any:
    try:
        return obj[bit]
    except _LOOKUP_ERRORS:
        pass
    if isinstance(obj, type):
        return getattr(obj, bit, MISSING)
    try:
        return getattr(obj, bit)
    except (TypeError, AttributeError):
        if bit in dir(obj):
            raise
    try:
        return obj[int(bit)]
    except (IndexError, ValueError, KeyError, TypeError):
        return MISSING


def index(obj: Any, bit: str, number: int) -> Any:
    """Resolve ``obj.0``: key '0', then attribute '0', then the integer index."""
    try:
        try:
            value = obj[bit]
        except _LOOKUP_ERRORS:
            value = getattr(obj, bit, MISSING)
            if value is MISSING:
                try:
                    value = obj[number]
                except (IndexError, ValueError, KeyError, TypeError):
                    return MISSING
        if callable(value):
            return call_value(value)
        return value
    except Exception as exc:
        if _silent(exc):
            return MISSING
        raise


def resolve_path(context: Any, bits: tuple[str, ...]) -> Any:
    """Resolve a dotted path from a context (used by Variable.resolve)."""
    value = lookup(context, bits[0])
    for bit in bits[1:]:
        if value is MISSING:
            return MISSING
        value = index(value, bit, int(bit)) if bit.isdigit() else attr(value, bit)
    return value


def _localize(value: Any, use_tz: bool | None, use_l10n: bool | None = None) -> Any:
    from manouche.utils.formats import localize
    from manouche.utils.timezone import template_localtime

    value = template_localtime(value, use_tz=use_tz)
    return localize(value, use_l10n=use_l10n)


_LOCALIZED = (int, float, decimal.Decimal, datetime.date, datetime.time)
_escape = _html.escape


_grouping: list[bool] = []


def _use_grouping() -> bool:
    if not _grouping:
        from manouche.conf import settings

        _grouping.append(bool(settings.USE_THOUSAND_SEPARATOR))
    return _grouping[0]


def _forget_grouping(*, setting: str, **kwargs: Any) -> None:
    if setting == "USE_THOUSAND_SEPARATOR":
        _grouping.clear()


setting_changed.connect(_forget_grouping)


def escape_out(
    value: Any, use_tz: bool | None = None, use_l10n: bool | None = None
) -> str:
    """Render a value with autoescaping (DTL's render_value_in_context)."""
    tp = type(value)
    if tp is str:
        # Most text has nothing to escape: five scans beat five replaces.
        if "&" in value or "<" in value or ">" in value or '"' in value or "'" in value:
            return _escape(value)
        return value  # type: ignore[no-any-return]
    if tp is SafeString:
        return value  # type: ignore[no-any-return]
    if tp is int and not _use_grouping():
        return str(value)
    if value is MISSING:
        return ""
    if isinstance(value, _LOCALIZED) and not isinstance(value, bool):
        value = _localize(value, use_tz, use_l10n)
        if isinstance(value, SafeData):
            return str(value)
        return _escape(str(value))
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return _escape(str(value))


def plain_out(
    value: Any, use_tz: bool | None = None, use_l10n: bool | None = None
) -> str:
    """Render a value with autoescaping off."""
    tp = type(value)
    if tp is str or tp is SafeString:
        return value  # type: ignore[no-any-return]
    if value is MISSING:
        return ""
    if tp is int and not _use_grouping():
        return str(value)
    if isinstance(value, _LOCALIZED) and not isinstance(value, bool):
        return str(_localize(value, use_tz, use_l10n))
    return str(value)


def output_functions(
    use_tz: bool | None, use_l10n: bool | None = None
) -> tuple[Callable[[Any], str], ...]:
    """The escaping and plain output functions for a context's use_tz/use_l10n."""
    return (
        functools.partial(escape_out, use_tz=use_tz, use_l10n=use_l10n),
        functools.partial(plain_out, use_tz=use_tz, use_l10n=use_l10n),
    )


def is_safe_result(old: Any, new: Any) -> Any:
    """Keep a safe input safe through an ``is_safe`` filter."""
    if isinstance(old, SafeData):
        return mark_safe(new)
    return new


def is_safe_result_either(old: Any, text: Any, new: Any) -> Any:
    """Keep an ``is_safe`` stringfilter's result safe if its input was."""
    if isinstance(old, SafeData) or isinstance(text, SafeData):
        return mark_safe(new)
    return new


def none_if_missing(value: Any) -> Any:
    """Turn MISSING into None (the if tag's view of a missing variable)."""
    return None if value is MISSING else value


def empty_if_missing(value: Any) -> Any:
    """Turn MISSING into '' before filters run."""
    return "" if value is MISSING else value


def called(value: Any) -> Any:
    """Call a bound loop or with value if it is callable."""
    return call_value(value) if callable(value) else value


def apply_filter(
    func: Any, value: Any, args: tuple[Any, ...], autoescape: bool, context: Any
) -> Any:
    """Apply one filter honouring its flags (for lazily evaluated operands)."""
    source = value
    if getattr(func, "expects_localtime", False):
        from manouche.utils.timezone import template_localtime

        source = template_localtime(value, use_tz=context.use_tz)
    if getattr(func, "needs_autoescape", False):
        result = func(source, *args, autoescape=autoescape)
    else:
        result = func(source, *args)
    if getattr(func, "is_safe", False) and isinstance(value, SafeData):
        return mark_safe(result)
    return result


def compare(op: Callable[[Any, Any], Any], left: Any, right: Any) -> bool:
    """Compare like the if tag: any error makes the comparison False."""
    try:
        return bool(op(left, right))
    except Exception:
        return False


class BlockContext:
    """The block functions of an inheritance chain, most derived last."""

    def __init__(self) -> None:
        self.blocks: defaultdict[str, list[Any]] = defaultdict(list)

    def __repr__(self) -> str:
        return f"<{type(self).__qualname__}: blocks={self.blocks!r}>"

    def add_blocks(self, blocks: dict[str, Any]) -> None:
        """Add an ancestor's blocks beneath the ones already known."""
        for name, block in blocks.items():
            self.blocks.setdefault(name, []).insert(0, block)

    def pop(self, name: str) -> Any:
        """Take the most derived block called ``name``."""
        try:
            return self.blocks[name].pop()
        except (KeyError, IndexError):
            return None

    def push(self, name: str, block: Any) -> None:
        """Put a block back after rendering it."""
        self.blocks.setdefault(name, []).append(block)

    def get_block(self, name: str) -> Any:
        """Return the next block called ``name`` without taking it."""
        try:
            return self.blocks[name][-1]
        except (KeyError, IndexError):
            return None


class BlockProxy:
    """The ``block`` variable inside a block: ``{{ block.super }}`` lives here."""

    __slots__ = ("context", "name")

    def __init__(self, name: str, context: Any) -> None:
        self.name = name
        self.context = context

    @property
    def super(self) -> Any:
        """Render the parent template's version of this block."""
        render_context = self.context.render_context
        block_context = render_context.get(BLOCK_CONTEXT_KEY)
        if block_context is None or block_context.get_block(self.name) is None:
            return ""
        return mark_safe(render_block(self.context, self.name, None))


def render_block(context: Any, name: str, own: Any) -> str:
    """Render block ``name``: the most derived override, or ``own``."""
    block_context = context.render_context.dicts[-1].get(BLOCK_CONTEXT_KEY)
    pushed = None
    block = own
    if block_context is not None:
        pushed = block_context.pop(name)
        if pushed is not None:
            block = pushed
    if block is None:
        return ""
    context.dicts.append({"block": BlockProxy(name, context)})
    try:
        result: str = block(context)
    finally:
        context.dicts.pop()
        if pushed is not None:
            block_context.push(name, pushed)
    return result
