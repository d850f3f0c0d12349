"""Template contexts: a stack of dicts, plus per-render state and processors."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from copy import copy
from typing import Any

__all__ = [
    "BaseContext",
    "Context",
    "ContextDict",
    "ContextPopException",
    "RenderContext",
    "RequestContext",
    "make_context",
]


class ContextPopException(Exception):
    """pop() was called more times than push()."""


class ContextDict(dict[str, Any]):
    """A pushed layer; as a context manager it pops itself on exit."""

    def __init__(self, context: BaseContext, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        context.dicts.append(self)
        self.context = context

    def __enter__(self) -> ContextDict:
        return self

    def __exit__(self, *args: object) -> None:
        self.context.pop()


class BaseContext:
    """A stack of dicts searched from the top."""

    def __init__(self, dict_: dict[str, Any] | None = None) -> None:
        self._reset_dicts(dict_)

    def _reset_dicts(self, value: dict[str, Any] | BaseContext | None = None) -> None:
        builtins = {"True": True, "False": False, "None": None}
        self.dicts: list[dict[str, Any]] = [builtins]
        if isinstance(value, BaseContext):
            self.dicts += value.dicts[1:]
        elif value is not None:
            self.dicts.append(value)

    def __copy__(self) -> Any:
        duplicate = object.__new__(type(self))
        duplicate.__dict__.update(self.__dict__)
        duplicate.dicts = self.dicts[:]
        return duplicate

    def __repr__(self) -> str:
        return repr(self.dicts)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        yield from reversed(self.dicts)

    def push(self, *args: Any, **kwargs: Any) -> ContextDict:
        """Push a new layer (usable as ``with context.push(x=1):``)."""
        dicts = []
        for d in args:
            if isinstance(d, BaseContext):
                dicts += d.dicts[1:]
            else:
                dicts.append(d)
        return ContextDict(self, *dicts, **kwargs)

    def pop(self) -> Any:
        """Remove and return the top layer."""
        if len(self.dicts) == 1:
            raise ContextPopException
        return self.dicts.pop()

    def __setitem__(self, key: str, value: Any) -> None:
        self.dicts[-1][key] = value

    def set_upward(self, key: str, value: Any) -> None:
        """Set ``key`` in the nearest layer that has it (the top one otherwise)."""
        context = self.dicts[-1]
        for d in reversed(self.dicts):
            if key in d:
                context = d
                break
        context[key] = value

    def __getitem__(self, key: str) -> Any:
        for d in reversed(self.dicts):
            if key in d:
                return d[key]
        raise KeyError(key)

    def __delitem__(self, key: str) -> None:
        del self.dicts[-1][key]

    def __contains__(self, key: object) -> bool:
        return any(key in d for d in self.dicts)

    def get(self, key: str, otherwise: Any = None) -> Any:
        """Return ``key`` from the nearest layer, or ``otherwise``."""
        for d in reversed(self.dicts):
            if key in d:
                return d[key]
        return otherwise

    def setdefault(self, key: str, default: Any = None) -> Any:
        """Return ``key``, setting it to ``default`` first if missing."""
        try:
            return self[key]
        except KeyError:
            self[key] = default
        return default

    def new(self, values: dict[str, Any] | None = None) -> Any:
        """Return a fresh context of the same kind sharing the render state."""
        new_context = copy(self)
        new_context._reset_dicts(values)
        return new_context

    def flatten(self) -> dict[str, Any]:
        """Return every layer merged into one dict (top layers win)."""
        flat: dict[str, Any] = {}
        for d in self.dicts:
            flat.update(d)
        return flat

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, BaseContext):
            return NotImplemented
        return self.flatten() == other.flatten()

    __hash__ = None  # type: ignore[assignment]


class Context(BaseContext):
    """The context a template renders with."""

    def __init__(
        self,
        dict_: dict[str, Any] | None = None,
        autoescape: bool = True,
        use_l10n: bool | None = None,
        use_tz: bool | None = None,
    ) -> None:
        self.autoescape = autoescape
        self.use_l10n = use_l10n
        self.use_tz = use_tz
        self.template_name = "unknown"
        self.render_context = RenderContext()
        self.template: Any = None
        super().__init__(dict_)

    @contextmanager
    def bind_template(self, template: Any) -> Iterator[None]:
        """Attach ``template`` for the duration of a render."""
        if self.template is not None:
            raise RuntimeError("Context is already bound to a template")
        self.template = template
        try:
            yield
        finally:
            self.template = None

    def __copy__(self) -> Any:
        duplicate = super().__copy__()
        duplicate.render_context = copy(self.render_context)
        return duplicate

    def update(self, other_dict: Any) -> ContextDict:
        """Push ``other_dict`` as a new layer."""
        if not hasattr(other_dict, "__getitem__"):
            raise TypeError("other_dict must be a mapping (dictionary-like) object.")
        if isinstance(other_dict, BaseContext):
            other_dict = other_dict.dicts[1:].pop()
        return ContextDict(self, other_dict)


class RenderContext(BaseContext):
    """Per-render state for tags (cycle positions, blocks): one layer per template.

    Lookups only see the top layer, so an included template never sees the
    state of the template that included it.
    """

    template: Any = None

    def __iter__(self) -> Iterator[Any]:
        yield from self.dicts[-1]

    def __contains__(self, key: object) -> bool:
        return key in self.dicts[-1]

    def get(self, key: Any, otherwise: Any = None) -> Any:
        """Return ``key`` from the current template's layer."""
        return self.dicts[-1].get(key, otherwise)

    def __getitem__(self, key: Any) -> Any:
        return self.dicts[-1][key]

    def setdefault(self, key: Any, default: Any = None) -> Any:
        """Return ``key`` from the current layer, setting it there if missing."""
        return self.dicts[-1].setdefault(key, default)

    @contextmanager
    def push_state(
        self, template: Any, isolated_context: bool = True
    ) -> Iterator[None]:
        """Render ``template`` with its own layer of state."""
        initial = self.template
        self.template = template
        if isolated_context:
            self.dicts.append({})
        try:
            yield
        finally:
            self.template = initial
            if isolated_context:
                self.dicts.pop()


class RequestContext(Context):
    """A context that runs context processors with the request on render."""

    def __init__(
        self,
        request: Any,
        dict_: dict[str, Any] | None = None,
        processors: Any = None,
        use_l10n: bool | None = None,
        use_tz: bool | None = None,
        autoescape: bool = True,
    ) -> None:
        super().__init__(dict_, use_l10n=use_l10n, use_tz=use_tz, autoescape=autoescape)
        self.request = request
        self._processors = () if processors is None else tuple(processors)
        self._processors_index = len(self.dicts)
        # A placeholder layer the processors fill when a template is bound.
        self.update({})
        # Keep the caller's data above what the processors provide.
        self.update({})

    @contextmanager
    def bind_template(self, template: Any) -> Iterator[None]:
        """Run the engine's and the given processors, then attach ``template``."""
        if self.template is not None:
            raise RuntimeError("Context is already bound to a template")
        self.template = template
        processors = template.engine.template_context_processors + self._processors
        updates: dict[str, Any] = {}
        for processor in processors:
            context = processor(self.request)
            try:
                updates.update(context)
            except TypeError as exc:
                name = getattr(processor, "__qualname__", repr(processor))
                raise TypeError(
                    f"Context processor {name} didn't return a dictionary."
                ) from exc
        self.dicts[self._processors_index] = updates
        try:
            yield
        finally:
            self.template = None
            self.dicts[self._processors_index] = {}

    def new(self, values: dict[str, Any] | None = None) -> Any:
        """Return a fresh context without the processors' layer."""
        new_context = super().new(values)
        if hasattr(new_context, "_processors_index"):
            del new_context._processors_index
        return new_context


def make_context(
    context: dict[str, Any] | None, request: Any = None, **kwargs: Any
) -> Context:
    """Build a Context, or a RequestContext when there is a request."""
    if context is not None and not isinstance(context, dict):
        raise TypeError(
            f"context must be a dict rather than {context.__class__.__name__}."
        )
    if request is None:
        return Context(context, **kwargs)
    original_context = context
    ctx = RequestContext(request, **kwargs)
    if original_context:
        ctx.push(original_context)
    return ctx
