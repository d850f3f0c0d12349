"""The adapter that lets old-style hook middleware run in sync and async chains.

``MiddlewareMixin`` turns ``process_request``/``process_response`` hooks into a
callable middleware. In an async chain Django runs sync hooks through
``sync_to_async``, one thread hop per hook per request. manouche lets a class
avoid that:

* a hook written as ``async def`` is awaited directly on the event loop;
* a class that sets ``process_in_loop = True`` declares that its sync hooks
  never block (no I/O, no locks held for long), so they are called directly on
  the event loop as well.

Every built-in middleware sets ``process_in_loop = True``; third-party
middleware keeps Django's safe behaviour (sync hooks run via ``run_sync``)
unless it opts in. The choice is made once per instance, in ``__init__``.

The module also holds the deprecation warning classes and the helpers for
renaming methods. manouche follows its own deprecation policy; Django's
version-named warning classes exist under the same names so that code
written against Django's API (filters, ``assertWarns``) keeps working.
"""

from __future__ import annotations

import functools
import os
import warnings
from collections.abc import Callable
from typing import Any

from manouche.utils.asyncio import iscoroutinefunction, markcoroutinefunction, run_sync

__all__ = [
    "MiddlewareMixin",
    "RemovedAfterNextVersionWarning",
    "RemovedInDjango60Warning",
    "RemovedInDjango61Warning",
    "RemovedInNextVersionWarning",
    "RenameMethodsBase",
    "manouche_file_prefixes",
    "warn_about_renamed_method",
]


class RemovedInDjango60Warning(DeprecationWarning):
    """Behaviour going away in the next feature release."""


class RemovedInDjango61Warning(PendingDeprecationWarning):
    """Behaviour going away in the release after the next one."""


RemovedInNextVersionWarning = RemovedInDjango60Warning
RemovedAfterNextVersionWarning = RemovedInDjango61Warning


@functools.cache
def manouche_file_prefixes() -> tuple[str, ...]:
    """Return the path prefix of manouche's own files.

    Pass it as ``warnings.warn(..., skip_file_prefixes=...)`` so a warning
    points at the first frame outside the framework.
    """
    import manouche

    return (os.path.dirname(manouche.__file__),)


class warn_about_renamed_method:
    """Decorate a method kept under its old name so each call warns."""

    def __init__(
        self,
        class_name: str,
        old_method_name: str,
        new_method_name: str,
        deprecation_warning: type[Warning],
    ) -> None:
        self.class_name = class_name
        self.old_method_name = old_method_name
        self.new_method_name = new_method_name
        self.deprecation_warning = deprecation_warning

    def __call__(self, f: Callable[..., Any]) -> Callable[..., Any]:
        message = (
            f"`{self.class_name}.{self.old_method_name}` is deprecated, use "
            f"`{self.new_method_name}` instead."
        )
        category = self.deprecation_warning

        @functools.wraps(f)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            warnings.warn(message, category, stacklevel=2)
            return f(*args, **kwargs)

        return wrapper


class RenameMethodsBase(type):
    """Metaclass keeping renamed methods working under both names.

    ``renamed_methods`` lists ``(old_name, new_name, warning_class)``. When
    the class is created, every class in its MRO defining only the old name
    gets a warning and the new name; one defining only the new name gets the
    old name as an alias. Calling a method by its old name warns.
    """

    renamed_methods: tuple[tuple[str, str, type[Warning]], ...] = ()

    def __new__(
        cls, name: str, bases: tuple[type, ...], attrs: dict[str, Any]
    ) -> RenameMethodsBase:
        new_class = super().__new__(cls, name, bases, attrs)
        for base in new_class.__mro__:
            for old_name, new_name, category in cls.renamed_methods:
                old_method = base.__dict__.get(old_name)
                new_method = base.__dict__.get(new_name)
                rename = warn_about_renamed_method(
                    base.__name__, old_name, new_name, category
                )
                if old_method is not None and new_method is None:
                    warnings.warn(
                        f"`{base.__name__}.{old_name}` method should be renamed "
                        f"`{new_name}`.",
                        category,
                        stacklevel=2,
                    )
                    setattr(base, new_name, old_method)
                    setattr(base, old_name, rename(old_method))
                elif old_method is None and new_method is not None:
                    setattr(base, old_name, rename(new_method))
        return new_class


_Hook = Callable[..., Any]
# How __acall__ runs a hook: call it on the loop, await it, or hop to a thread.
_IN_LOOP, _AWAIT, _IN_THREAD = 0, 1, 2


class MiddlewareMixin:
    """Build a middleware from optional ``process_request``/``process_response``."""

    sync_capable = True
    async_capable = True
    #: Sync hooks are quick and non-blocking: call them on the loop, no thread hop.
    process_in_loop = False

    def __init__(self, get_response: Callable[[Any], Any]) -> None:
        if get_response is None:
            raise ValueError("get_response must be provided.")
        self.get_response = get_response
        self._process_request: _Hook | None = getattr(self, "process_request", None)
        self._process_response: _Hook | None = getattr(self, "process_response", None)
        self._request_mode = self._hook_mode(self._process_request)
        self._response_mode = self._hook_mode(self._process_response)
        self._is_async = False
        self._async_check()
        super().__init__()

    def _hook_mode(self, hook: _Hook | None) -> int:
        if hook is None:
            return _IN_LOOP
        if iscoroutinefunction(hook):
            return _AWAIT
        return _IN_LOOP if self.process_in_loop else _IN_THREAD

    def _response_entries(self) -> tuple[tuple[str, Any], ...] | None:
        """Describe ``process_response`` as header entries, if it is only that.

        Return ``(key, entry)`` pairs, in order, for the header-store entries
        the hook adds to a *plain* response (an ``HttpResponse``, not a 404,
        not ``xframe_options_exempt``) when the key is missing. An entry is a
        ``(name, value)`` pair, or a callable computing it from the response.
        Return None, the default, when the hook does anything else. The chain
        then stores the entries instead of calling the hook (and calls it for
        any other response): a stock stack costs no hook call.
        """
        return None

    def __repr__(self) -> str:
        get_response = getattr(
            self.get_response,
            "__qualname__",
            self.get_response.__class__.__name__,
        )
        return f"<{self.__class__.__qualname__} get_response={get_response}>"

    def _async_check(self) -> None:
        """Mark this instance as a coroutine function when the chain is async."""
        if iscoroutinefunction(self.get_response):
            self._is_async = True
            markcoroutinefunction(self)

    def __call__(self, request: Any) -> Any:
        if self._is_async:
            return self.__acall__(request)
        response = None
        if self._process_request is not None:
            response = self._process_request(request)
        response = response or self.get_response(request)
        if self._process_response is not None:
            response = self._process_response(request, response)
        return response

    async def __acall__(self, request: Any) -> Any:
        """Run the hooks around the async rest of the chain."""
        # The modes are inlined rather than factored out: this runs for every
        # middleware on every request, and a helper coroutine costs a frame.
        response = None
        hook = self._process_request
        if hook is not None:
            mode = self._request_mode
            if mode == _IN_LOOP:
                response = hook(request)
            elif mode == _AWAIT:
                response = await hook(request)
            else:
                response = await run_sync(hook, request)
        if not response:
            response = await self.get_response(request)
        hook = self._process_response
        if hook is not None:
            mode = self._response_mode
            if mode == _IN_LOOP:
                response = hook(request, response)
            elif mode == _AWAIT:
                response = await hook(request, response)
            else:
                response = await run_sync(hook, request, response)
        return response
