"""Variables and filter expressions: ``var.attr|filter:"arg"|other``."""

from __future__ import annotations

import inspect
import logging
import re
from collections.abc import Callable
from typing import Any

from manouche.template.exceptions import TemplateSyntaxError
from manouche.utils.safestring import mark_safe

__all__ = ["FilterExpression", "Variable", "VariableDoesNotExist", "token_kwargs"]

_STR = r"""(?:"[^"\\]*(?:\\.[^"\\]*)*"|'[^'\\]*(?:\\.[^'\\]*)*')"""
_CONSTANT = rf"(?:_\({_STR}\)|{_STR})"
_VAR = r"[\w.+-]+"
filter_re = re.compile(
    rf"^(?P<constant>{_CONSTANT})|^(?P<var>{_VAR})"
    rf"|(?:\s*\|\s*(?P<filter_name>\w+)"
    rf"(?::(?:(?P<constant_arg>{_CONSTANT})|(?P<var_arg>{_VAR})))?)"
)
_number_re = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\Z")
logger = logging.getLogger("manouche.template")
kwarg_re = re.compile(r"(?:(\w+)=)?(.+)", re.DOTALL)


def _lookup_bit(current: Any, bit: str) -> Any:
    """One step of a dotted lookup: item, then attribute, then list index."""
    try:
        return current[bit]
    except (TypeError, AttributeError, KeyError, ValueError, IndexError):
        pass
    is_context = hasattr(current, "dicts")
    try:
        if is_context and getattr(type(current), bit, None) is not None:
            raise AttributeError(bit)
        return getattr(current, bit)
    except (TypeError, AttributeError):
        # An attribute that exists but raised is a real error, not a miss.
        if not is_context and bit in dir(current):
            raise
    try:
        return current[int(bit)]
    except (IndexError, ValueError, KeyError, TypeError):
        raise VariableDoesNotExist(
            "Failed lookup for key [%s] in %r", (bit, current)
        ) from None


class VariableDoesNotExist(Exception):
    """A variable could not be resolved (filter arguments, Variable.resolve)."""

    def __init__(self, msg: str, params: tuple[Any, ...] = ()) -> None:
        self.msg = msg
        self.params = params
        super().__init__(msg, params)

    def __str__(self) -> str:
        return self.msg % self.params


def unescape_string_literal(s: str) -> str:
    """Strip the quotes of a string literal and undo its backslash escapes."""
    if not s or s[0] not in "\"'" or s[-1] != s[0] or len(s) < 2:
        raise ValueError(f"Not a string literal: {s!r}")
    quote = s[0]
    return s[1:-1].replace(rf"\{quote}", quote).replace(r"\\", "\\")


class Variable:
    """A literal (number, string, _("translated")) or a dotted lookup path."""

    __slots__ = ("literal", "lookups", "message_context", "translate", "var")

    def __init__(self, var: str) -> None:
        if not isinstance(var, str):
            raise TypeError(f"Variable must be a string or number, got {type(var)}")
        self.var = var
        self.literal: Any = None
        self.lookups: tuple[str, ...] | None = None
        self.translate = False
        self.message_context: str | None = None
        if _number_re.match(var):
            if "." in var or "e" in var.lower():
                if var.endswith("."):
                    raise TemplateSyntaxError(f"Invalid number literal: '{var}'")
                self.literal = float(var)
            else:
                self.literal = int(var)
            return
        if var.startswith("_(") and var.endswith(")"):
            self.translate = True
            var = var[2:-1]
        try:
            self.literal = mark_safe(unescape_string_literal(var))
        except ValueError:
            if "._" in var or var.startswith("_"):
                raise TemplateSyntaxError(
                    f"Variables and attributes may not begin with underscores: '{var}'"
                ) from None
            if not var or ".." in var or var.endswith("."):
                raise TemplateSyntaxError(f"Invalid variable name: '{var}'") from None
            self.lookups = tuple(var.split("."))

    def resolve(self, context: Any) -> Any:
        """Resolve against a context; raise VariableDoesNotExist when missing.

        ``context`` may be a ``Context`` or any object supporting item or
        attribute access. Failed lookups are logged on "manouche.template" at
        debug level; failures marked ``silent_variable_failure`` give the
        engine's ``string_if_invalid`` instead of raising.
        """
        if self.lookups is None:
            value = self.literal
        else:
            value = self._resolve_lookup(context)
        if self.translate:
            return self.translated(value)
        return value

    def _resolve_lookup(self, context: Any) -> Any:
        from manouche.template._dtl.runtime import MISSING, call_value

        current = context
        bit = ""
        try:
            for bit in self.lookups or ():
                current = _lookup_bit(current, bit)
                if callable(current):
                    current = call_value(current)
                    if current is MISSING:
                        return _string_if_invalid(context)
        except Exception as exc:
            template_name = getattr(context, "template_name", None) or "unknown"
            logger.debug(
                "Exception while resolving variable '%s' in template '%s'.",
                bit,
                template_name,
                exc_info=True,
            )
            if getattr(exc, "silent_variable_failure", False):
                return _string_if_invalid(context)
            raise
        return current

    def translated(self, value: Any) -> Any:
        """Translate a _("...") literal in the active language."""
        from manouche.utils.translation import gettext, pgettext

        is_safe = hasattr(value, "__html__")
        msgid = value.replace("%", "%%")
        if self.message_context:
            result = pgettext(self.message_context, msgid)
        else:
            result = gettext(msgid)
        return mark_safe(result) if is_safe else result

    def __repr__(self) -> str:
        return f"<{type(self).__qualname__}: {self.var!r}>"

    def __str__(self) -> str:
        return self.var


def _count_args(func: Callable[..., Any]) -> tuple[int, int]:
    try:
        params = list(inspect.signature(func).parameters.values())
    except (TypeError, ValueError):
        return (0, 99)
    positional = [
        p
        for p in params
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
        and p.name != "autoescape"
    ]
    if any(p.kind is p.VAR_POSITIONAL for p in params):
        return (0, 99)
    required = sum(1 for p in positional if p.default is p.empty)
    return (required, len(positional))


class FilterExpression:
    """A value followed by filters, each with an optional argument."""

    __slots__ = ("filters", "is_var", "token", "var")

    def __init__(self, token: str, parser: Any) -> None:
        self.token = token
        var_obj: Variable | None = None
        filters: list[tuple[Callable[..., Any], list[Variable]]] = []
        upto = 0
        for match in filter_re.finditer(token):
            start = match.start()
            if upto != start:
                raise TemplateSyntaxError(
                    "Could not parse some characters: "
                    f"{token[:upto]}|{token[upto:start]}|{token[start:]}"
                )
            if var_obj is None:
                constant, var = match.group("constant", "var")
                if constant:
                    var_obj = Variable(constant)
                elif var is None:
                    raise TemplateSyntaxError(
                        f"Could not find variable at start of {token}."
                    )
                else:
                    var_obj = Variable(var)
            else:
                filter_name = match.group("filter_name")
                args: list[Variable] = []
                constant_arg, var_arg = match.group("constant_arg", "var_arg")
                if constant_arg:
                    args.append(Variable(constant_arg))
                elif var_arg:
                    args.append(Variable(var_arg))
                filter_func = parser.find_filter(filter_name)
                self.args_check(filter_name, filter_func, args)
                filters.append((filter_func, args))
            upto = match.end()
        if upto != len(token):
            raise TemplateSyntaxError(
                f"Could not parse the remainder: '{token[upto:]}' from '{token}'"
            )
        if var_obj is None:
            raise TemplateSyntaxError(f"Empty variable tag: '{token}'")
        self.filters = filters
        self.var = var_obj
        self.is_var = var_obj.lookups is not None

    @staticmethod
    def args_check(name: str, func: Callable[..., Any], provided: list[Any]) -> bool:
        """Check the filter accepts the number of arguments given."""
        func = inspect.unwrap(func)
        required, total = _count_args(func)
        plen = len(provided) + 1
        if plen < required or plen > total:
            raise TemplateSyntaxError(
                f"{name} requires {required - 1} arguments, {plen - 1} provided"
            )
        return True

    def resolve(self, context: Any, ignore_failures: bool = False) -> Any:
        """Resolve the value and apply the filters, outside compiled code."""
        from manouche.template._dtl.runtime import MISSING, resolve_path
        from manouche.utils.safestring import SafeData
        from manouche.utils.timezone import template_localtime

        var = self.var
        if var.lookups is None:
            obj = var.translated(var.literal) if var.translate else var.literal
        else:
            if hasattr(context, "dicts"):
                obj = resolve_path(context, var.lookups)
            else:
                try:
                    obj = var._resolve_lookup(context)
                except VariableDoesNotExist:
                    obj = MISSING
            if obj is MISSING:
                if ignore_failures:
                    obj = None
                else:
                    invalid = _string_if_invalid(context)
                    if invalid:
                        if "%s" in invalid:
                            return invalid % var.var
                        return invalid
                    obj = invalid
        for func, args in self.filters:
            arg_vals = [arg.resolve(context) for arg in args]
            if getattr(func, "expects_localtime", False):
                obj = template_localtime(obj, context.use_tz)
            if getattr(func, "needs_autoescape", False):
                new_obj = func(obj, *arg_vals, autoescape=context.autoescape)
            else:
                new_obj = func(obj, *arg_vals)
            if getattr(func, "is_safe", False) and isinstance(obj, SafeData):
                obj = mark_safe(new_obj)
            else:
                obj = new_obj
        return obj

    def __str__(self) -> str:
        return self.token

    def __repr__(self) -> str:
        return f"<{type(self).__qualname__} {self.token!r}>"


def _string_if_invalid(context: Any) -> str:
    template = getattr(context, "template", None)
    engine = getattr(template, "engine", None)
    return str(getattr(engine, "string_if_invalid", ""))


def token_kwargs(
    bits: list[str], parser: Any, support_legacy: bool = False
) -> dict[str, FilterExpression]:
    """Consume leading ``name=value`` bits (or legacy ``value as name``)."""
    if not bits:
        return {}
    match = kwarg_re.match(bits[0])
    kwarg_format = match is not None and match.group(1)
    if not kwarg_format:
        if not support_legacy:
            return {}
        if len(bits) < 3 or bits[1] != "as":
            return {}
    kwargs: dict[str, FilterExpression] = {}
    while bits:
        if kwarg_format:
            match = kwarg_re.match(bits[0])
            if not match or not match.group(1):
                return kwargs
            key, value = match.groups()
            del bits[:1]
        else:
            if len(bits) < 3 or bits[1] != "as":
                return kwargs
            key, value = bits[2], bits[0]
            del bits[:3]
        kwargs[key] = parser.compile_filter(value)
        if bits and not kwarg_format:
            if bits[0] != "and":
                return kwargs
            del bits[:1]
    return kwargs
