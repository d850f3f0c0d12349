"""Test utilities: settings overrides and test environment set-up."""

from __future__ import annotations

import functools
import importlib
import importlib.util
import inspect
import re
import sys
import time
import unittest
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from io import StringIO
from types import SimpleNamespace
from typing import Any
from xml.dom.minidom import Node, parseString
from xml.parsers.expat import ExpatError

from manouche.apps import apps
from manouche.conf import UserSettingsHolder, settings
from manouche.core.signals import setting_changed
from manouche.test._databases import (
    CaptureQueriesContext,
    setup_databases,
    teardown_databases,
)
from manouche.utils.asyncio import iscoroutinefunction

__all__ = [
    "CaptureQueriesContext",
    "ContextList",
    "LoggingCaptureMixin",
    "TestContextDecorator",
    "captured_output",
    "isolate_lru_cache",
    "captured_stderr",
    "captured_stdin",
    "captured_stdout",
    "compare_xml",
    "extend_sys_path",
    "freeze_time",
    "garbage_collect",
    "get_runner",
    "ignore_warnings",
    "modify_settings",
    "override_script_prefix",
    "override_settings",
    "override_system_checks",
    "require_jinja2",
    "requires_tz_support",
    "setup_databases",
    "setup_test_environment",
    "tag",
    "teardown_databases",
    "teardown_test_environment",
]


class TestContextDecorator:
    """Base for helpers usable as context manager, function and class decorator."""

    def __init__(
        self, attr_name: str | None = None, kwarg_name: str | None = None
    ) -> None:
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

            def setUp(inner_self: Any) -> None:
                context = self.enable()
                inner_self.addCleanup(self.disable)
                if self.attr_name is not None:
                    setattr(inner_self, self.attr_name, context)
                decorated_setUp(inner_self)

            cls.setUp = setUp  # type: ignore[method-assign,assignment]
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


class override_settings(TestContextDecorator):
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
            test_func._overridden_settings = {
                **test_func._overridden_settings,
                **self.options,
            }

    def decorate_class(self, cls: type) -> type:
        from manouche.test.testcases import SimpleTestCase

        if inspect.isclass(cls) and issubclass(cls, SimpleTestCase):
            self.save_options(cls)
            return cls
        return super().decorate_class(cls)


class modify_settings(override_settings):
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
            test_func._modified_settings = (
                list(test_func._modified_settings) + self.operations
            )

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


class override_script_prefix(TestContextDecorator):
    """Set the script prefix that reverse() prepends, then restore it."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        super().__init__()

    def enable(self) -> None:
        from manouche.urls import get_script_prefix, set_script_prefix

        self.old_prefix = get_script_prefix()
        set_script_prefix(self.prefix)

    def disable(self) -> None:
        from manouche.urls import set_script_prefix

        set_script_prefix(self.old_prefix)


class ContextList(list[Any]):
    """The contexts of every template a response rendered, searchable by key."""

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            for subcontext in self:
                if key in subcontext:
                    return subcontext[key]
            raise KeyError(key)
        return super().__getitem__(key)

    def get(self, key: str, default: Any = None) -> Any:
        """Return the first value for ``key`` in any context, or ``default``."""
        try:
            return self.__getitem__(key)
        except KeyError:
            return default

    def __contains__(self, key: object) -> bool:
        try:
            self[key]
        except (KeyError, TypeError, IndexError):
            return False
        return True

    def keys(self) -> set[Any]:
        """Return every key of every context, flattened."""
        keys: set[Any] = set()
        for subcontext in self:
            for item in subcontext:
                if isinstance(item, dict):
                    keys.update(item)
                else:
                    keys.add(item)
        return keys


class _TestState:
    saved_data: SimpleNamespace | None = None


def _instrument_template_render(template_class: Any) -> Callable[..., Any]:
    original = template_class._render

    def instrumented_test_render(
        self: Any, context: Any, *args: Any, **kwargs: Any
    ) -> Any:
        from manouche.test.signals import template_rendered

        template_rendered.send(sender=self, template=self, context=context)
        return original(self, context, *args, **kwargs)

    template_class._render = instrumented_test_render
    return original  # type: ignore[no-any-return]


def _optional_module(name: str) -> Any:
    # The template engine and mail arrive with later layers; until then, skip.
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def _template_class() -> Any:
    template = getattr(_optional_module("manouche.template"), "Template", None)
    return template if hasattr(template, "_render") else None


def setup_test_environment(debug: bool | None = None) -> None:
    """Prepare the process for running tests.

    Adds ``testserver`` to ALLOWED_HOSTS, forces DEBUG (False unless ``debug``),
    swaps in the in-memory email backend and makes templates announce their
    rendering through ``template_rendered``.
    """
    # getattr: a test may replace _TestState by a bare object to start afresh.
    if getattr(_TestState, "saved_data", None) is not None:
        raise RuntimeError(
            "setup_test_environment() was already called and can't be called "
            "again without first calling teardown_test_environment()."
        )
    saved = SimpleNamespace()
    saved.allowed_hosts = settings.ALLOWED_HOSTS
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    saved.debug = settings.DEBUG
    settings.DEBUG = False if debug is None else debug
    saved.email_backend = settings.EMAIL_BACKEND
    settings.EMAIL_BACKEND = "manouche.core.mail.backends.locmem.EmailBackend"
    template_class = _template_class()
    saved.template_render = (
        _instrument_template_render(template_class)
        if template_class is not None
        else None
    )
    _set_mail_outbox()
    _TestState.saved_data = saved


def _set_mail_outbox() -> None:
    mail = _optional_module("manouche.core.mail")
    if mail is not None:
        mail.outbox = []


def teardown_test_environment() -> None:
    """Undo ``setup_test_environment``."""
    saved = _TestState.saved_data
    if saved is None:
        raise RuntimeError("setup_test_environment() was not called.")
    settings.ALLOWED_HOSTS = saved.allowed_hosts
    settings.DEBUG = saved.debug
    settings.EMAIL_BACKEND = saved.email_backend
    if saved.template_render is not None:
        _template_class()._render = saved.template_render
    mail = _optional_module("manouche.core.mail")
    if mail is not None and hasattr(mail, "outbox"):
        del mail.outbox
    _TestState.saved_data = None


def get_runner(settings: Any, test_runner_class: str | None = None) -> Any:
    """Return the test runner class named by ``test_runner_class`` or TEST_RUNNER."""
    from manouche.utils.module_loading import import_string

    return import_string(test_runner_class or settings.TEST_RUNNER)


def tag(*tags: str) -> Callable[[Any], Any]:
    """Add tags to a test class or method, for ``--tag`` and ``--exclude-tag``."""

    def decorator(obj: Any) -> Any:
        obj.tags = set(getattr(obj, "tags", set())).union(tags)
        return obj

    return decorator


class ignore_warnings(TestContextDecorator):
    """Silence warnings matching the ``warnings.filterwarnings`` arguments given."""

    def __init__(self, **kwargs: Any) -> None:
        self.ignore_kwargs = kwargs
        if "message" in kwargs or "module" in kwargs:
            self.filter_func: Callable[..., None] = warnings.filterwarnings
        else:
            self.filter_func = warnings.simplefilter
        super().__init__()

    def enable(self) -> None:
        self.catch_warnings = warnings.catch_warnings()
        self.catch_warnings.__enter__()
        self.filter_func("ignore", **self.ignore_kwargs)

    def disable(self) -> None:
        self.catch_warnings.__exit__(*sys.exc_info())


@contextmanager
def captured_output(stream_name: str) -> Iterator[StringIO]:
    """Replace ``sys.<stream_name>`` with a StringIO for the duration of the block."""
    original = getattr(sys, stream_name)
    setattr(sys, stream_name, StringIO())
    try:
        yield getattr(sys, stream_name)
    finally:
        setattr(sys, stream_name, original)


def captured_stdout() -> Any:
    """Capture what is written to ``sys.stdout``: ``with captured_stdout() as out:``."""
    return captured_output("stdout")


def captured_stderr() -> Any:
    """Capture what is written to ``sys.stderr``."""
    return captured_output("stderr")


def captured_stdin() -> Any:
    """Replace ``sys.stdin`` with a StringIO the test can write to and seek."""
    return captured_output("stdin")


_XML_DECLARATION = re.compile(r"^<\?xml[^>]*\?>")


_XML_WHITESPACE = re.compile(r"[ \t\n\r]+")
_XML_TEXT_NODES = (Node.TEXT_NODE, Node.CDATA_SECTION_NODE)


def _xml_children(element: Any) -> list[Any]:
    """Element children and text, each run of text as one whitespace-collapsed str.

    Whitespace between elements counts (as one space), as it would for any
    consumer that reads mixed content; only comments and processing
    instructions are dropped.
    """
    children: list[Any] = []
    for child in element.childNodes:
        if child.nodeType in _XML_TEXT_NODES:
            if children and isinstance(children[-1], str):
                children[-1] += child.data
            else:
                children.append(child.data)
        elif child.nodeType == Node.ELEMENT_NODE:
            children.append(child)
    return [
        _XML_WHITESPACE.sub(" ", child) if isinstance(child, str) else child
        for child in children
    ]


def _xml_equal(first: Any, second: Any) -> bool:
    if isinstance(first, str) or isinstance(second, str):
        return bool(first == second)
    if first.tagName != second.tagName:
        return False
    if dict(first.attributes.items()) != dict(second.attributes.items()):
        return False
    children, other_children = _xml_children(first), _xml_children(second)
    return len(children) == len(other_children) and all(
        _xml_equal(a, b) for a, b in zip(children, other_children, strict=True)
    )


def _xml_root(text: str) -> Any:
    """The element to compare: the root of a whole document (its DOCTYPE and
    prolog ignored), else a wrapper around a fragment's top-level nodes."""
    text = _XML_DECLARATION.sub("", text.strip())
    try:
        return parseString(text).documentElement
    except ExpatError:
        return parseString(f"<root>{text}</root>").documentElement


def compare_xml(want: str, got: str) -> bool:
    """Compare two XML documents, ignoring attribute order, comments, the
    whitespace around the document and the length of whitespace runs."""
    return _xml_equal(_xml_root(want), _xml_root(got))


@contextmanager
def freeze_time(timestamp: float) -> Iterator[None]:
    """Make ``time.time()`` return ``timestamp`` inside the block.

    Patching the module attribute reaches every caller that looks up
    ``time.time`` at call time, which is how manouche's own code calls it.
    """
    real_time = time.time
    time.time = lambda: timestamp
    try:
        yield
    finally:
        time.time = real_time


def require_jinja2(test_func: Any) -> Any:
    """Skip the test without Jinja2; otherwise run it with both template backends."""
    if importlib.util.find_spec("jinja2") is None:
        return unittest.skip("this test requires jinja2")(test_func)
    return override_settings(
        TEMPLATES=[
            {
                "BACKEND": "manouche.template.backends.manouche.DjangoTemplates",
                "APP_DIRS": True,
            },
            {
                "BACKEND": "manouche.template.backends.jinja2.Jinja2",
                "APP_DIRS": True,
                "OPTIONS": {"keep_trailing_newline": True},
            },
        ]
    )(test_func)


TZ_SUPPORT = hasattr(time, "tzset")

requires_tz_support = unittest.skipUnless(
    TZ_SUPPORT,
    "This test relies on the ability to run a program in an arbitrary "
    "time zone, but your operating system isn't able to do that.",
)


@contextmanager
def extend_sys_path(*paths: str) -> Iterator[None]:
    """Put ``paths`` on ``sys.path`` for the duration of the block."""
    saved = sys.path[:]
    sys.path.extend(paths)
    try:
        yield
    finally:
        sys.path = saved


@contextmanager
def isolate_lru_cache(lru_cache_object: Any) -> Iterator[None]:
    """Start and end the block with ``lru_cache_object`` emptied."""
    lru_cache_object.cache_clear()
    try:
        yield
    finally:
        lru_cache_object.cache_clear()


def garbage_collect() -> None:
    """Collect garbage now, so weak references to dropped objects die.

    Run several passes: finalizers can release further objects.
    """
    import gc

    for _ in range(3 if sys.implementation.name == "pypy" else 1):
        gc.collect()


class LoggingCaptureMixin:
    """Capture the "manouche" logger's output in ``self.logger_output``."""

    logger_output: StringIO

    def setUp(self) -> None:
        import logging

        self.logger = logging.getLogger("manouche")
        self.old_stream = self.logger.handlers[0].stream  # type: ignore[attr-defined]
        self.logger_output = StringIO()
        self.logger.handlers[0].stream = self.logger_output  # type: ignore[attr-defined]
        super().setUp()  # type: ignore[misc]

    def tearDown(self) -> None:
        self.logger.handlers[0].stream = self.old_stream  # type: ignore[attr-defined]
        super().tearDown()  # type: ignore[misc]


class override_system_checks(TestContextDecorator):
    """Run only ``new_checks`` (and ``deployment_checks``) in the block."""

    def __init__(self, new_checks: Any, deployment_checks: Any | None = None) -> None:
        from manouche.core.checks.registry import registry

        self.registry = registry
        self.new_checks = new_checks
        self.deployment_checks = deployment_checks
        super().__init__()

    def enable(self) -> None:
        self.old_checks = self.registry.registered_checks
        self.registry.registered_checks = set(self.new_checks)
        self.old_deployment_checks = self.registry.deployment_checks
        if self.deployment_checks is not None:
            self.registry.deployment_checks = set(self.deployment_checks)

    def disable(self) -> None:
        self.registry.registered_checks = self.old_checks
        self.registry.deployment_checks = self.old_deployment_checks


def __getattr__(name: str) -> Any:
    """Load the model-layer helpers on first use (Django's import paths).

    ``isolate_apps``, ``register_lookup`` and ``Approximate`` need the ORM;
    loading them lazily keeps ``manouche.test.utils`` importable without it.
    """
    if name in {"Approximate", "isolate_apps", "register_lookup"}:
        from manouche.test import _isolation

        return getattr(_isolation, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
