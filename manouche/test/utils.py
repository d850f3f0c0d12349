"""Test utilities: settings overrides and test environment set-up."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

from manouche.apps import apps
from manouche.conf import UserSettingsHolder, settings
from manouche.core.signals import setting_changed
from manouche.utils.asyncio import iscoroutinefunction

__all__ = ["TestContextDecorator", "modify_settings", "override_settings"]


class TestContextDecorator:
    """Base for helpers usable as context manager, function decorator and class decorator."""

    def __init__(self, attr_name: str | None = None, kwarg_name: str | None = None) -> None:
        self.attr_name = attr_name
        self.kwarg_name = kwarg_name

    def enable(self) -> Any:
        """Apply the change."""
        raise NotImplementedError

    def disable(self) -> None:
        """Undo the change."""
        raise NotImplementedError

    def __enter__(self) -> Any:
        return self.enable()

    def __exit__(self, exc_type: Any, exc_value: Any, traceback: Any) -> None:
        self.disable()

    def decorate_class(self, cls: type) -> type:
        """Apply around every test of a unittest TestCase (or wrap setUp)."""
        import unittest

        if issubclass(cls, unittest.TestCase):
            decorated_setUp = cls.setUp

            def setUp(inner_self: Any) -> None:  # noqa: N802 - unittest's name
                context = self.enable()
                inner_self.addCleanup(self.disable)
                if self.attr_name is not None:
                    setattr(inner_self, self.attr_name, context)
                decorated_setUp(inner_self)

            cls.setUp = setUp  # type: ignore[method-assign]
            return cls
        raise TypeError("Can only decorate subclasses of unittest.TestCase")

    def decorate_callable(self, func: Callable[..., Any]) -> Callable[..., Any]:
        """Apply around one call of ``func`` (sync or async)."""
        if iscoroutinefunction(func):

            @functools.wraps(func)
            async def async_inner(*args: Any, **kwargs: Any) -> Any:
                with self as context:
                    if self.kwarg_name:
                        kwargs[self.kwarg_name] = context
                    return await func(*args, **kwargs)

            return async_inner

        @functools.wraps(func)
        def inner(*args: Any, **kwargs: Any) -> Any:
            with self as context:
                if self.kwarg_name:
                    kwargs[self.kwarg_name] = context
                return func(*args, **kwargs)

        return inner

    def __call__(self, decorated: Any) -> Any:
        if isinstance(decorated, type):
            return self.decorate_class(decorated)
        if callable(decorated):
            return self.decorate_callable(decorated)
        raise TypeError(f"Cannot decorate object of type {type(decorated)}")


class override_settings(TestContextDecorator):  # noqa: N801 - Django's name
    """Temporarily replace settings; sends ``setting_changed`` for each one."""

    enable_exception: BaseException | None = None

    def __init__(self, **kwargs: Any) -> None:
        self.options = kwargs
        super().__init__()

    def enable(self) -> None:
        if "INSTALLED_APPS" in self.options:
            try:
                apps.set_installed_apps(self.options["INSTALLED_APPS"])
            except Exception:
                apps.unset_installed_apps()
                raise
        override = UserSettingsHolder(settings._wrapped)
        for key, new_value in self.options.items():
            setattr(override, key, new_value)
        self.wrapped = settings._wrapped
        settings._wrapped = override
        for key, new_value in self.options.items():
            try:
                setting_changed.send(
                    sender=settings._wrapped.__class__,
                    setting=key,
                    value=new_value,
                    enter=True,
                )
            except Exception as exc:
                self.enable_exception = exc
                self.disable()

    def disable(self) -> None:
        if "INSTALLED_APPS" in self.options:
            apps.unset_installed_apps()
        settings._wrapped = self.wrapped
        del self.wrapped
        responses = []
        for key in self.options:
            new_value = getattr(settings, key, None)
            responses_for_setting = setting_changed.send_robust(
                sender=settings._wrapped.__class__,
                setting=key,
                value=new_value,
                enter=False,
            )
            responses.extend(responses_for_setting)
        if self.enable_exception is not None:
            exc = self.enable_exception
            self.enable_exception = None
            raise exc
        for _, response in responses:
            if isinstance(response, Exception):
                raise response

    def save_options(self, test_func: Any) -> None:
        """Merge these options into the test class's own overrides."""
        if test_func._overridden_settings is None:
            test_func._overridden_settings = self.options
        else:
            test_func._overridden_settings = {**test_func._overridden_settings, **self.options}

    def decorate_class(self, cls: type) -> type:
        from manouche.test.testcases import SimpleTestCase

        if inspect.isclass(cls) and issubclass(cls, SimpleTestCase):
            self.save_options(cls)
            return cls
        return super().decorate_class(cls)


class modify_settings(override_settings):  # noqa: N801 - Django's name
    """Append, prepend or remove items of list settings, such as MIDDLEWARE."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if args:
            assert not kwargs
            self.operations = args[0]
        else:
            assert not args
            self.operations = list(kwargs.items())
        super(override_settings, self).__init__()

    def save_options(self, test_func: Any) -> None:
        if test_func._modified_settings is None:
            test_func._modified_settings = self.operations
        else:
            test_func._modified_settings = list(test_func._modified_settings) + self.operations

    def enable(self) -> None:
        self.options = {}
        for name, operations in self.operations:
            try:
                value = self.options[name]
            except KeyError:
                value = list(getattr(settings, name, []))
            for action, items in operations.items():
                if isinstance(items, str):
                    items = [items]
                if action == "append":
                    value += [item for item in items if item not in value]
                elif action == "prepend":
                    value = [item for item in items if item not in value] + value
                elif action == "remove":
                    value = [item for item in value if item not in items]
                else:
                    raise ValueError(f"Unsupported action: {action}")
            self.options[name] = value
        super().enable()
