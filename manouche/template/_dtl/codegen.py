"""Generate Python source from a node tree and compile it once.

Every node tree becomes one Python function ``(context) -> str``. Output is
gathered with ``list.append``; neighbouring text and values are merged into a
single f-string. Names bound by ``for`` and ``with`` become Python locals (the
context is kept in step for tags that read it), so a loop body reads its loop
variable without a dictionary lookup; after a tag the compiler cannot see into
(a user's node) has run, those locals are read again from the context, since
such a tag may have rebound them.

Each generated line remembers the template token it came from
(``__manouche_lines__`` in the module's globals), so an exception raised while
rendering can be traced back to its place in the template source at no cost
to rendering.
"""

from __future__ import annotations

import itertools
import operator
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from manouche.template._dtl import runtime
from manouche.utils.safestring import SafeString, mark_safe

if TYPE_CHECKING:
    from manouche.template._dtl.expressions import FilterExpression, Variable

__all__ = ["CodeGen", "FunctionBuilder", "compile_function"]

_BASE_NAMESPACE: dict[str, Any] = {
    "_M": runtime.MISSING,
    "_lookup": runtime.lookup,
    "_attr": runtime.attr,
    "_index": runtime.index,
    "_escape_out": runtime.escape_out,
    "_plain_out": runtime.plain_out,
    "_output_functions": runtime.output_functions,
    "_safe_result": runtime.is_safe_result,
    "_safe_either": runtime.is_safe_result_either,
    "_none": runtime.none_if_missing,
    "_called": runtime.called,
    "_compare": runtime.compare,
    "_render_block": runtime.render_block,
    "_SafeString": SafeString,
    "_mark_safe": mark_safe,
    "_str": str,
    "_op": operator,
    "_apply": runtime.apply_filter,
}
_counter = itertools.count()
LINES_KEY = "__manouche_lines__"
TEMPLATE_KEY = "__manouche_template__"


class CodeGen:
    """One compilation unit: a namespace of constants and generated functions."""

    def __init__(self, engine: Any, origin_name: str = "<template>") -> None:
        self.engine = engine
        self.origin_name = origin_name
        self.namespace: dict[str, Any] = dict(_BASE_NAMESPACE)
        self.sources: list[str] = []
        self.line_tokens: list[Any] = []
        self._const_ids: dict[int, str] = {}
        self._names = itertools.count()
        self._blocks: dict[int, str] = {}
        self.template: Any = None
        self.string_if_invalid: str = (
            str(engine.string_if_invalid) if engine is not None else ""
        )

    def const(self, value: Any) -> str:
        """Return a global name bound to ``value`` in the generated module."""
        key = id(value)
        name = self._const_ids.get(key)
        if name is None:
            name = f"_k{next(self._names)}"
            self.namespace[name] = value
            self._const_ids[key] = name
        return name

    def unique(self, prefix: str) -> str:
        """Return a fresh global name."""
        return f"{prefix}{next(self._names)}"

    def function(self, name: str, nodelist: Any) -> str:
        """Generate a function rendering ``nodelist``; return its name."""
        builder = FunctionBuilder(self, name)
        builder.emit_nodelist(nodelist)
        source, tokens = builder.source_and_tokens()
        if self.sources:
            self.line_tokens.append(None)  # the blank line between functions
        self.sources.append(source)
        self.line_tokens.extend(tokens)
        return name

    def block_function(self, node: Any) -> str:
        """Generate (once) the function of a ``{% block %}``; return its name."""
        name = self._blocks.get(id(node))
        if name is None:
            name = self._blocks[id(node)] = self.unique("_blk")
            self.function(name, node.nodelist)
        return name

    def build(self) -> dict[str, Any]:
        """Compile every generated function; return the populated namespace."""
        source = "\n\n".join(self.sources)
        filename = f"<template {self.origin_name} #{next(_counter)}>"
        code = compile(source, filename, "exec")
        self.namespace[LINES_KEY] = {
            number: token
            for number, token in enumerate(self.line_tokens, start=1)
            if token is not None
        }
        self.namespace[TEMPLATE_KEY] = self.template
        exec(code, self.namespace)
        self.namespace["__source__"] = source
        return self.namespace


class FunctionBuilder:
    """Emit the statements of one generated function."""

    def __init__(self, gen: CodeGen, name: str) -> None:
        self.gen = gen
        self.name = name
        self.lines: list[str] = []
        self.tokens: list[Any] = []
        self.token: Any = None
        self.level = 1
        self.pending: list[tuple[bool, str]] = []
        self.pending_token: Any = None
        self.pending_purity: list[tuple[bool, str]] = []
        self.scopes: list[dict[str, str]] = [{}]
        self.autoescape: bool | None = None
        self._temps = itertools.count()
        self.loops: list[dict[str, Any]] = []

    # -- plumbing -------------------------------------------------------
    def source(self) -> str:
        """Return the function's source."""
        return self.source_and_tokens()[0]

    def source_and_tokens(self) -> tuple[str, list[Any]]:
        """Return the function's source and the token of each of its lines."""
        self.flush()
        head = [
            f"def {self.name}(ctx):",
            "    _o = []",
            "    _a = _o.append",
            "    _ae = ctx.autoescape",
            "    _eo, _po = _escape_out, _plain_out",
            "    if ctx.use_tz is not None or ctx.use_l10n is not None:",
            "        _eo, _po = _output_functions(ctx.use_tz, ctx.use_l10n)",
            "    _e = _eo if _ae else _po",
        ]
        tail = ["    return ''.join(_o)"]
        lines, body_tokens = self.lines, self.tokens
        single = _single_output(lines)
        if single is not None:
            # One top-level output at the very end: return it, no list.
            del head[1:3]
            lines = lines[:-1] if single else lines
            tail = [f"    return {single or repr('')}"]
            body_tokens = body_tokens[:-1] if single else body_tokens
            if single:
                tail_token = self.tokens[-1]
                tokens = [None] * len(head) + body_tokens + [tail_token]
                return "\n".join(head + lines + tail), tokens
        tokens = [None] * len(head) + body_tokens + [None]
        return "\n".join(head + lines + tail), tokens

    def line(self, text: str, token: Any = None) -> None:
        """Add one line at the current indentation, tied to a template token."""
        self.lines.append("    " * self.level + text)
        self.tokens.append(token if token is not None else self.token)

    def temp(self) -> str:
        """Return a fresh local name."""
        return f"_t{next(self._temps)}"

    def stmt(self, line: str) -> None:
        """Add a statement at the current indentation (flushing output first)."""
        self.flush()
        self.line(line)

    def assign(self, line: str) -> None:
        """Add an assignment to a fresh local; pending pure output may wait."""
        if any(not pure for pure, _ in self.pending_purity):
            self.flush()
        self.line(line)

    @contextmanager
    def block(self, header: str) -> Iterator[None]:
        """Emit ``header:`` and indent the statements added inside."""
        self.stmt(header + ":")
        self.level += 1
        start = len(self.lines)
        try:
            yield
        finally:
            self.flush()
            if len(self.lines) == start:
                self.line("pass")
            self.level -= 1

    @contextmanager
    def scope(self) -> Iterator[dict[str, str]]:
        """Open a scope for names bound to Python locals."""
        self.scopes.append({})
        try:
            yield self.scopes[-1]
        finally:
            self.scopes.pop()

    def bind(self, name: str) -> str:
        """Bind template name ``name`` to a new local in the current scope."""
        local = self.temp()
        self.scopes[-1][name] = local
        return local

    def local_for(self, name: str) -> str | None:
        """Return the local bound to ``name``, if any scope binds it."""
        for scope in reversed(self.scopes):
            if name in scope:
                return scope[name]
        return None

    def text(self, value: str) -> None:
        """Output literal text."""
        if value:
            self.pending.append((False, value))
            self.pending_purity.append((True, value))

    def output(self, expression: str, pure: bool = True) -> None:
        """Output a str-valued Python expression; impure ones run in order."""
        if self.pending_token is None:
            self.pending_token = self.token
        self.pending.append((True, expression))
        self.pending_purity.append((pure, expression))

    def refresh_locals(self) -> None:
        """Read every name bound to a local again from the context.

        Called after code the compiler cannot see into (a user's node), which
        may have rebound a ``for`` or ``with`` variable in the context.
        """
        seen: set[str] = set()
        for scope in reversed(self.scopes):
            for name, local in scope.items():
                if name not in seen:
                    seen.add(name)
                    self.stmt(f"{local} = _lookup(ctx, {name!r})")

    def flush(self) -> None:
        """Emit the pending output as one append."""
        if not self.pending:
            return
        pending, self.pending = self.pending, []
        self.pending_purity = []
        token, self.pending_token = self.pending_token, None
        if len(pending) == 1:
            is_expr, value = pending[0]
            arg = value if is_expr else repr(value)
        elif any(("'" in v or '"' in v or "\\" in v) for e, v in pending if e):
            items = ", ".join(v if e else repr(v) for e, v in pending)
            arg = f"''.join(({items}))"
        else:
            parts = []
            for is_expr, value in pending:
                if is_expr:
                    parts.append("f'{" + value + "}'")
                else:
                    literal = repr(value).replace("{", "{{").replace("}", "}}")
                    parts.append("f" + literal)
            arg = " ".join(parts)
        self.line(f"_a({arg})", token)

    def escape_function(self) -> str:
        """Name the output function for the current autoescape state."""
        if self.autoescape is None:
            return "_e"
        return "_eo" if self.autoescape else "_po"

    def autoescape_value(self) -> str:
        """Python expression for the current autoescape flag."""
        if self.autoescape is None:
            return "_ae"
        return repr(self.autoescape)

    def emit_nodelist(self, nodelist: Any) -> None:
        """Emit every node of ``nodelist``."""
        outer = self.token
        for node in nodelist:
            self.token = node.token if node.token is not None else outer
            node.emit(self)
        self.token = outer

    # -- expressions ----------------------------------------------------
    def literal(self, variable: Variable) -> str:
        """Python expression for a literal Variable."""
        value = variable.literal
        if variable.translate:
            return f"{self.gen.const(variable)}.translated({self.gen.const(value)})"
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return repr(value)
        return self.gen.const(value)

    def variable(self, variable: Variable) -> str:
        """Python expression resolving ``variable``; MISSING when it fails."""
        if variable.lookups is None:
            return self.literal(variable)
        first, *rest = variable.lookups
        local = self.local_for(first)
        if local is not None:
            expression = local
        elif first in ("True", "False", "None"):
            expression = first
        elif first == "forloop" and self.loops and rest:
            attribute = self._forloop_attr(rest[0])
            if attribute is not None:
                expression = attribute
                rest = rest[1:]
            else:
                expression = f"_lookup(ctx, {first!r})"
        else:
            expression = f"_lookup(ctx, {first!r})"
        for bit in rest:
            if bit.isdigit():
                expression = f"_index({expression}, {bit!r}, {int(bit)})"
            else:
                expression = f"_attr({expression}, {bit!r})"
        return expression

    def _forloop_attr(self, name: str) -> str | None:
        loop = self.loops[-1]
        counter0: str = loop["counter0"]
        length: str | None = loop.get("length")
        if name == "counter0":
            return counter0
        if name == "counter":
            return f"({counter0} + 1)"
        if name == "first":
            return f"({counter0} == 0)"
        if length is None:
            return None
        if name == "last":
            return f"({counter0} == {length} - 1)"
        if name == "revcounter":
            return f"({length} - {counter0})"
        if name == "revcounter0":
            return f"({length} - {counter0} - 1)"
        return None

    def filter_chain(self, value: str, fexpr: FilterExpression) -> str:
        """Emit statements applying the filters to local ``value``."""
        for func, args in fexpr.filters:
            fname = self.gen.const(func)
            arg_exprs = [self.argument(arg) for arg in args]
            source = value
            if getattr(func, "expects_localtime", False):
                local_time = self.gen.const(_template_localtime)
                source = f"{local_time}({value}, ctx.use_tz)"
            extra = []
            if getattr(func, "needs_autoescape", False):
                extra.append(f"autoescape={self.autoescape_value()}")
            outer_safe = bool(getattr(func, "is_safe", False))
            wrapped = getattr(func, "_stringfilter", None)
            if isinstance(wrapped, tuple) and wrapped[0] is func:
                # A @stringfilter: call the function under it on str(value),
                # doing here what its wrapper would (see stringfilter).
                inner = self.gen.const(wrapped[1])
                if getattr(wrapped[1], "is_safe", False):
                    # A plain str skips the safety checks (it is not safe).
                    text = self.temp()
                    if source != value:  # localtime: evaluate it once
                        self.assign(f"{text} = {source}")
                        source = text
                    fast = f"{inner}({', '.join([source, *arg_exprs, *extra])})"
                    call = f"{inner}({', '.join([text, *arg_exprs, *extra])})"
                    check = "_safe_either" if outer_safe else "_safe_result"
                    old = f"{value}, " if outer_safe else ""
                    self.assign(f"if {source}.__class__ is _str: {value} = {fast}")
                    self.assign(
                        f"else: {text} = _str({source}); "
                        f"{value} = {check}({old}{text}, {call})"
                    )
                    continue
                source = f"_str({source})"
                fname = inner
            call = f"{fname}({', '.join([source, *arg_exprs, *extra])})"
            if outer_safe:
                self.assign(
                    f"{value} = {call} if {value}.__class__ is _str "
                    f"else _safe_result({value}, {call})"
                )
            else:
                self.assign(f"{value} = {call}")
        return value

    def argument(self, variable: Variable) -> str:
        """Python expression for a filter argument: missing variables raise."""
        if variable.lookups is None:
            return self.literal(variable)
        checker = self.gen.const(_require)
        return f"{checker}({self.variable(variable)}, {self.gen.const(variable)}, ctx)"

    def value(self, fexpr: FilterExpression, ignore_failures: bool = False) -> str:
        """Emit a filter expression's evaluation; return the local holding it.

        ``ignore_failures`` gives the if/for view (a missing variable is None);
        otherwise the engine's ``string_if_invalid`` applies.
        """
        local = self.temp()
        self.assign(f"{local} = {self.variable(fexpr.var)}")
        if not fexpr.is_var:
            return self.filter_chain(local, fexpr) if fexpr.filters else local
        invalid = self.gen.string_if_invalid
        if ignore_failures:
            self.assign(f"if {local} is _M: {local} = None")
            return self.filter_chain(local, fexpr)
        if not fexpr.filters:
            if invalid:
                self.assign(f"if {local} is _M: {local} = {self._invalid(fexpr)}")
            return local
        if invalid:
            with self.block(f"if {local} is _M"):
                self.stmt(f"{local} = {self._invalid(fexpr)}")
            with self.block("else"):
                self.filter_chain(local, fexpr)
            return local
        self.assign(f"if {local} is _M: {local} = ''")
        return self.filter_chain(local, fexpr)

    def lazy_value(self, fexpr: FilterExpression) -> str:
        """A side-effect-free Python expression for a value (if tag view)."""
        expression = f"_none({self.variable(fexpr.var)})"
        for func, args in fexpr.filters:
            arg_exprs = ", ".join(self.argument(arg) for arg in args)
            expression = (
                f"_apply({self.gen.const(func)}, {expression}, ({arg_exprs}"
                f"{',' if args else ''}), {self.autoescape_value()}, ctx)"
            )
        return expression

    def _invalid(self, fexpr: FilterExpression) -> str:
        invalid = self.gen.string_if_invalid
        if "%s" in invalid:
            invalid = invalid % fexpr.var.var
        return self.gen.const(invalid)


_OUTPUT_NAMES = re.compile(r"\b_[ao]\b")


def _single_output(lines: list[str]) -> str | None:
    """The argument of the only output, if it ends the function at the top.

    Returns '' for a function without output, None when the output list is
    needed. Only an f-string or a join qualifies: they are exact ``str``
    values, as ``''.join(_o)`` would be.
    """
    last = lines[-1] if lines else ""
    rest = lines[:-1]
    if not any(_OUTPUT_NAMES.search(line) for line in lines):
        return ""
    if any(_OUTPUT_NAMES.search(line) for line in rest):
        return None
    if not last.startswith("    _a(") or not last.endswith(")"):
        return None
    arg = last[len("    _a(") : -1]
    if not arg.startswith(("f'", 'f"', "''.join((")) or _OUTPUT_NAMES.search(arg):
        return None
    return arg


def _template_localtime(value: Any, use_tz: Any) -> Any:
    from manouche.utils.timezone import template_localtime

    return template_localtime(value, use_tz=use_tz)


def _require(value: Any, variable: Any, context: Any) -> Any:
    if value is runtime.MISSING:
        from manouche.template._dtl.expressions import VariableDoesNotExist

        raise VariableDoesNotExist(
            "Failed lookup for key [%s] in %r", (variable.var, context)
        )
    return value


def compile_function(nodelist: Any, engine: Any, name: str = "<nodelist>") -> Any:
    """Compile a node list on its own into a ``(context) -> str`` function."""
    gen = CodeGen(engine, name)
    fname = gen.function("_render", nodelist)
    return gen.build()[fname]
