"""Test utilities: environment set-up, tags, warnings and captured streams."""

from __future__ import annotations

import sys
import warnings

import pytest

from manouche.conf import settings
from manouche.test.runner import DiscoverRunner
from manouche.test.utils import (
    ContextList,
    captured_stderr,
    captured_stdin,
    captured_stdout,
    compare_xml,
    get_runner,
    ignore_warnings,
    override_settings,
    setup_databases,
    setup_test_environment,
    tag,
    teardown_databases,
    teardown_test_environment,
)


def test_plugin_has_set_up_the_test_environment() -> None:
    assert "testserver" in settings.ALLOWED_HOSTS
    assert settings.EMAIL_BACKEND == "manouche.core.mail.backends.locmem.EmailBackend"
    with pytest.raises(
        RuntimeError, match="setup_test_environment\\(\\) was already called"
    ):
        setup_test_environment()


def test_teardown_restores_and_setup_applies_debug() -> None:
    teardown_test_environment()
    try:
        assert (
            settings.EMAIL_BACKEND != "manouche.core.mail.backends.locmem.EmailBackend"
        )
        with pytest.raises(RuntimeError, match="was not called"):
            teardown_test_environment()
        setup_test_environment(debug=True)
        assert settings.DEBUG is True
        teardown_test_environment()
        assert settings.DEBUG is False
    finally:
        setup_test_environment()


def test_setup_starts_afresh_when_the_saved_state_is_gone() -> None:
    from unittest import mock

    with (
        mock.patch("manouche.test.utils._TestState") as state,
        # Templates are instrumented already: do not wrap them a second time.
        mock.patch("manouche.test.utils._template_class", return_value=None),
        override_settings(ALLOWED_HOSTS=("*",), DEBUG=False),
    ):
        del state.saved_data
        setup_test_environment()
        assert settings.ALLOWED_HOSTS == ["*", "testserver"]
        assert state.saved_data.allowed_hosts == ("*",)


def test_databases_have_nothing_to_set_up_yet() -> None:
    config = setup_databases(verbosity=0, interactive=False, aliases={"default"})
    assert config == []
    teardown_databases(config, verbosity=0)


def test_get_runner_uses_test_runner_setting() -> None:
    assert get_runner(settings) is DiscoverRunner
    assert get_runner(settings, "manouche.test.runner.DiscoverRunner") is DiscoverRunner


def test_tag_accumulates() -> None:
    @tag("slow")
    @tag("db", "web")
    def check() -> None:
        pass

    assert check.tags == {"slow", "db", "web"}  # type: ignore[attr-defined]


def test_ignore_warnings_as_decorator_and_context_manager() -> None:
    @ignore_warnings(category=UserWarning)
    def noisy() -> int:
        warnings.warn("loud", UserWarning, stacklevel=1)
        return 1

    assert noisy() == 1
    with ignore_warnings(message="quiet.*"):
        warnings.warn("quiet please", UserWarning, stacklevel=1)
    with pytest.raises(UserWarning):
        warnings.warn("not ignored", UserWarning, stacklevel=1)


def test_captured_streams() -> None:
    with captured_stdout() as out, captured_stderr() as err:
        print("hello")
        print("oops", file=sys.stderr)
    assert out.getvalue() == "hello\n"
    assert err.getvalue() == "oops\n"
    with captured_stdin() as stdin:
        stdin.write("typed\n")
        stdin.seek(0)
        assert input() == "typed"


def test_context_list_looks_up_keys_in_every_context() -> None:
    contexts = ContextList([{"a": 1}, {"b": 2, "a": 3}])
    assert contexts["a"] == 1
    assert contexts["b"] == 2
    assert contexts[1] == {"b": 2, "a": 3}
    assert "b" in contexts
    assert "c" not in contexts
    assert contexts.keys() == {"a", "b"}
    with pytest.raises(KeyError):
        contexts["c"]


def test_compare_xml() -> None:
    assert compare_xml('<?xml version="1.0"?><a b="1" c="2"/>', '<a c="2" b="1"></a>')
    assert compare_xml("<a><!-- note --><b>x  y</b></a>", "<a><b>x y</b></a>")
    assert not compare_xml("<a><b/></a>", "<a><c/></a>")


def test_compare_xml_counts_whitespace_between_elements() -> None:
    assert compare_xml("<elem>foo</elem> \t\n", " \t\n<elem>foo</elem>")
    assert compare_xml("<a>x\n\t<b/>  y</a>", "<a>x <b/> y</a>")
    assert not compare_xml("<e>foo</e><e>bar</e>", "<e>foo</e> <e>bar</e>")
    assert not compare_xml("<a><b/></a>", "<a>\n  <b/>\n</a>")
    assert compare_xml("<a><![CDATA[x]]>  y</a>", "<a>x y</a>")


def test_freeze_time_fixes_time_time_inside_the_block():
    import time

    from manouche.test.utils import freeze_time

    with freeze_time(123456789):
        assert time.time() == 123456789
    assert time.time() > 123456789


def test_override_script_prefix_applies_to_reverse_and_restores():
    from manouche.test.utils import override_script_prefix
    from manouche.urls import get_script_prefix

    before = get_script_prefix()
    with override_script_prefix("/mounted/"):
        assert get_script_prefix() == "/mounted/"
    assert get_script_prefix() == before


def test_isolate_lru_cache_empties_the_cache_before_and_after() -> None:
    import functools

    from manouche.test.utils import isolate_lru_cache

    calls: list[int] = []

    @functools.lru_cache
    def square(value: int) -> int:
        calls.append(value)
        return value * value

    square(3)
    with isolate_lru_cache(square):
        assert square.cache_info().currsize == 0
        square(3)
    assert square.cache_info().currsize == 0
    assert calls == [3, 3]
