"""Libraries of custom tags and filters: ``register = template.Library()``."""

from __future__ import annotations

import functools
from collections.abc import Callable
from importlib import import_module
from inspect import getfullargspec, unwrap
from typing import Any, TypeVar, overload

from manouche.template._dtl.expressions import FilterExpression, token_kwargs
from manouche.template._dtl.nodes import Node
from manouche.template.exceptions import TemplateSyntaxError
from manouche.utils.html import conditional_escape

__all__ = [
    "InclusionNode",
    "InvalidTemplateLibrary",
    "Library",
    "SimpleBlockNode",
    "SimpleNode",
    "TagHelperNode",
    "import_library",
    "parse_bits",
]

_FILTER_FLAGS = ("expects_localtime", "is_safe", "needs_autoescape")
_F = TypeVar("_F", bound=Callable[..., Any])


class InvalidTemplateLibrary(Exception):
    """A templatetags module could not be loaded or has no ``register``."""


class Library:
    """A collection of tags and filters registered by a templatetags module."""

    def __init__(self) -> None:
        self.filters: dict[str, Callable[..., Any]] = {}
        self.tags: dict[str, Callable[..., Any]] = {}

    @overload
    def tag(self, name: _F, compile_function: None = None) -> _F: ...
    @overload
    def tag(
        self, name: str | None = None, compile_function: None = None
    ) -> Callable[[_F], _F]: ...
    @overload
    def tag(self, name: str, compile_function: _F) -> _F: ...
    def tag(self, name: Any = None, compile_function: Any = None) -> Any:
        """Register a tag compile function ``(parser, token) -> Node``.

        Usable as ``@register.tag``, ``@register.tag("name")`` or
        ``register.tag("name", function)``.
        """
        if name is None and compile_function is None:
            return self.tag_function
        if name is not None and compile_function is None:
            if callable(name):
                return self.tag_function(name)

            def dec(func: Callable[..., Any]) -> Callable[..., Any]:
                return self.tag(name, func)

            return dec
        if name is not None and compile_function is not None:
            self.tags[name] = compile_function
            return compile_function
        raise ValueError(
            f"Unsupported arguments to Library.tag: ({name!r}, {compile_function!r})"
        )

    def tag_function(self, func: Callable[..., Any]) -> Callable[..., Any]:
        """Register ``func`` as a tag under its own name."""
        self.tags[getattr(func, "_decorated_function", func).__name__] = func
        return func

    @overload
    def filter(self, name: _F, filter_func: None = None, **flags: Any) -> _F: ...
    @overload
    def filter(
        self, name: str | None = None, filter_func: None = None, **flags: Any
    ) -> Callable[[_F], _F]: ...
    @overload
    def filter(self, name: str, filter_func: _F, **flags: Any) -> _F: ...
    def filter(self, name: Any = None, filter_func: Any = None, **flags: Any) -> Any:
        """Register a filter; flags: is_safe, needs_autoescape, expects_localtime."""
        if name is None and filter_func is None:

            def dec(func: _F) -> _F:
                registered: _F = self.filter_function(func, **flags)
                return registered

            return dec
        if name is not None and filter_func is None:
            if callable(name):
                return self.filter_function(name, **flags)

            def dec2(func: Callable[..., Any]) -> Callable[..., Any]:
                return self.filter(name, func, **flags)

            return dec2
        if name is not None and filter_func is not None:
            self.filters[name] = filter_func
            for attr in _FILTER_FLAGS:
                if attr in flags:
                    value = flags[attr]
                    setattr(filter_func, attr, value)
                    decorated = getattr(filter_func, "_decorated_function", None)
                    if decorated is not None:
                        setattr(decorated, attr, value)
            filter_func._filter_name = name
            return filter_func
        raise ValueError(
            f"Unsupported arguments to Library.filter: ({name!r}, {filter_func!r})"
        )

    def filter_function(self, func: Callable[..., Any], **flags: Any) -> Any:
        """Register ``func`` as a filter under its own name."""
        name = getattr(func, "_decorated_function", func).__name__
        return self.filter(name, func, **flags)

    @overload
    def simple_tag(self, func: _F) -> _F: ...
    @overload
    def simple_tag(
        self,
        func: None = None,
        takes_context: bool | None = None,
        name: str | None = None,
    ) -> Callable[[_F], _F]: ...
    def simple_tag(
        self,
        func: Any = None,
        takes_context: bool | None = None,
        name: str | None = None,
    ) -> Any:
        """Register a function as a tag; ``{% tag args as var %}`` stores it."""

        def dec(func: Callable[..., Any]) -> Callable[..., Any]:
            spec = getfullargspec(unwrap(func))
            function_name = name or func.__name__

            @functools.wraps(func)
            def compile_func(parser: Any, token: Any) -> Node:
                bits = token.split_contents()[1:]
                target_var = None
                if len(bits) >= 2 and bits[-2] == "as":
                    target_var = bits[-1]
                    bits = bits[:-2]
                args, kwargs = parse_bits(
                    parser, bits, spec, takes_context, function_name
                )
                return SimpleNode(func, takes_context, args, kwargs, target_var)

            self.tag(function_name, compile_func)
            return func

        if func is None:
            return dec
        if callable(func):
            return dec(func)
        raise ValueError("Invalid arguments provided to simple_tag")

    @overload
    def simple_block_tag(self, func: _F) -> _F: ...
    @overload
    def simple_block_tag(
        self,
        func: None = None,
        takes_context: bool | None = None,
        name: str | None = None,
        end_name: str | None = None,
    ) -> Callable[[_F], _F]: ...
    def simple_block_tag(
        self,
        func: Any = None,
        takes_context: bool | None = None,
        name: str | None = None,
        end_name: str | None = None,
    ) -> Any:
        """Register a function receiving the rendered body as ``content``."""

        def dec(func: Callable[..., Any]) -> Callable[..., Any]:
            spec = getfullargspec(unwrap(func))
            function_name = name or func.__name__
            end = end_name or f"end{function_name}"

            @functools.wraps(func)
            def compile_func(parser: Any, token: Any) -> Node:
                _check_content_parameter(spec.args, takes_context, function_name)
                bits = token.split_contents()[1:]
                target_var = None
                if len(bits) >= 2 and bits[-2] == "as":
                    target_var = bits[-1]
                    bits = bits[:-2]
                nodelist = parser.parse((end,))
                parser.delete_first_token()
                args, kwargs = parse_bits(
                    parser, bits, spec, takes_context, function_name, skip=1
                )
                return SimpleBlockNode(
                    nodelist, func, takes_context, args, kwargs, target_var
                )

            self.tag(function_name, compile_func)
            return func

        if func is None:
            return dec
        if callable(func):
            return dec(func)
        raise ValueError("Invalid arguments provided to simple_block_tag")

    def inclusion_tag(
        self,
        filename: Any,
        func: Any = None,
        takes_context: bool | None = None,
        name: str | None = None,
    ) -> Callable[[_F], _F]:
        """Register a function whose dict renders the template ``filename``."""

        def dec(func: _F) -> _F:
            spec = getfullargspec(unwrap(func))
            function_name = name or func.__name__

            @functools.wraps(func)
            def compile_func(parser: Any, token: Any) -> Node:
                bits = token.split_contents()[1:]
                args, kwargs = parse_bits(
                    parser, bits, spec, takes_context, function_name
                )
                return InclusionNode(func, takes_context, args, kwargs, filename)

            self.tag(function_name, compile_func)
            return func

        return dec


def _check_content_parameter(
    params: list[str], takes_context: bool | None, function_name: str
) -> None:
    """Raise unless a block tag's function accepts the rendered ``content``."""
    if takes_context:
        if len(params) < 2 or params[1] != "content":
            raise TemplateSyntaxError(
                f"'{function_name}' is decorated with takes_context=True so it "
                "must have a first argument of 'context' and a second argument "
                "of 'content'"
            )
    elif not params or params[0] != "content":
        raise TemplateSyntaxError(
            f"'{function_name}' must have a first argument of 'content'"
        )


class TagHelperNode(Node):
    """Shared argument handling of simple and inclusion tags."""

    child_nodelists: tuple[str, ...] = ()

    def __init__(
        self,
        func: Callable[..., Any],
        takes_context: bool | None,
        args: list[FilterExpression],
        kwargs: dict[str, FilterExpression],
    ) -> None:
        self.func = func
        self.takes_context = takes_context
        self.args = args
        self.kwargs = kwargs

    def get_resolved_arguments(self, context: Any) -> tuple[list[Any], dict[str, Any]]:
        """Resolve the tag's arguments against ``context``."""
        resolved_args = [var.resolve(context) for var in self.args]
        if self.takes_context:
            resolved_args = [context, *resolved_args]
        resolved_kwargs = {k: v.resolve(context) for k, v in self.kwargs.items()}
        return resolved_args, resolved_kwargs


class SimpleNode(TagHelperNode):
    """The node of a ``simple_tag``."""

    def __init__(
        self,
        func: Callable[..., Any],
        takes_context: bool | None,
        args: list[FilterExpression],
        kwargs: dict[str, FilterExpression],
        target_var: str | None,
    ) -> None:
        super().__init__(func, takes_context, args, kwargs)
        self.target_var = target_var

    def render(self, context: Any) -> Any:
        """Call the function; store or escape its result."""
        resolved_args, resolved_kwargs = self.get_resolved_arguments(context)
        output = self.func(*resolved_args, **resolved_kwargs)
        if self.target_var is not None:
            context[self.target_var] = output
            return ""
        if context.autoescape:
            output = conditional_escape(output)
        return output


class SimpleBlockNode(SimpleNode):
    """The node of a ``simple_block_tag``: the body is passed as ``content``."""

    child_nodelists = ("nodelist",)

    def __init__(self, nodelist: Any, *args: Any) -> None:
        super().__init__(*args)
        self.nodelist = nodelist

    def get_resolved_arguments(self, context: Any) -> tuple[list[Any], dict[str, Any]]:
        """Resolve the arguments, inserting the rendered body as ``content``."""
        resolved_args, resolved_kwargs = super().get_resolved_arguments(context)
        content = self.nodelist.render(context)
        position = 1 if self.takes_context else 0
        resolved_args.insert(position, content)
        return resolved_args, resolved_kwargs


class InclusionNode(TagHelperNode):
    """The node of an ``inclusion_tag``."""

    def __init__(
        self,
        func: Callable[..., Any],
        takes_context: bool | None,
        args: list[FilterExpression],
        kwargs: dict[str, FilterExpression],
        filename: Any,
    ) -> None:
        super().__init__(func, takes_context, args, kwargs)
        self.filename = filename

    def render(self, context: Any) -> Any:
        """Render the inclusion template with the function's dict."""
        resolved_args, resolved_kwargs = self.get_resolved_arguments(context)
        _dict = self.func(*resolved_args, **resolved_kwargs)
        t = context.render_context.get(self)
        if t is None:
            if hasattr(self.filename, "render") and not isinstance(self.filename, str):
                t = getattr(self.filename, "template", self.filename)
            elif isinstance(self.filename, (list, tuple)):
                t = context.template.engine.select_template(self.filename)
            else:
                t = context.template.engine.get_template(self.filename)
            context.render_context[self] = t
        new_context = context.new(_dict)
        csrf_token = context.get("csrf_token")
        if csrf_token is not None:
            new_context["csrf_token"] = csrf_token
        return t.render(new_context)


def parse_bits(
    parser: Any,
    bits: list[str],
    spec: Any,
    takes_context: bool | None,
    name: str,
    skip: int = 0,
) -> tuple[list[FilterExpression], dict[str, FilterExpression]]:
    """Parse tag arguments against the function's signature."""
    params = list(spec.args)
    if takes_context:
        if params and params[0] == "context":
            params = params[1:]
        else:
            raise TemplateSyntaxError(
                f"'{name}' is decorated with takes_context=True so it must "
                "have a first argument of 'context'"
            )
    params = params[skip:]
    varargs, varkw = spec.varargs, spec.varkw
    defaults = spec.defaults or ()
    kwonly = list(spec.kwonlyargs)
    kwonly_defaults = spec.kwonlydefaults or {}
    args: list[FilterExpression] = []
    kwargs: dict[str, FilterExpression] = {}
    unhandled_params = list(params)
    unhandled_kwargs = [kw for kw in kwonly if kw not in kwonly_defaults]
    for bit in bits:
        kwarg = token_kwargs([bit], parser)
        if kwarg:
            ((param, value),) = kwarg.items()
            if param not in params and param not in kwonly and varkw is None:
                raise TemplateSyntaxError(
                    f"'{name}' received unexpected keyword argument '{param}'"
                )
            if param in kwargs:
                raise TemplateSyntaxError(
                    f"'{name}' received multiple values for keyword argument '{param}'"
                )
            kwargs[str(param)] = value
            if param in unhandled_params:
                unhandled_params.remove(param)
            elif param in unhandled_kwargs:
                unhandled_kwargs.remove(param)
        else:
            if kwargs:
                raise TemplateSyntaxError(
                    f"'{name}' received some positional argument(s) after some "
                    "keyword argument(s)"
                )
            args.append(parser.compile_filter(bit))
            try:
                unhandled_params.pop(0)
            except IndexError:
                if varargs is None:
                    raise TemplateSyntaxError(
                        f"'{name}' received too many positional arguments"
                    ) from None
    if defaults is not None and defaults:
        unhandled_params = unhandled_params[: -len(defaults)]
    if unhandled_params or unhandled_kwargs:
        missing = ", ".join(f"'{p}'" for p in unhandled_params + unhandled_kwargs)
        raise TemplateSyntaxError(
            f"'{name}' did not receive value(s) for the argument(s): {missing}"
        )
    return args, kwargs


def import_library(name: str) -> Library:
    """Import the module ``name`` and return its ``register`` Library."""
    try:
        module = import_module(name)
    except ImportError as exc:
        raise InvalidTemplateLibrary(
            f"Invalid template library specified. ImportError raised when "
            f"trying to load '{name}': {exc}"
        ) from exc
    try:
        register: Library = module.register
    except AttributeError:
        raise InvalidTemplateLibrary(
            f"Module  {name} does not have a variable named 'register'"
        ) from None
    return register
