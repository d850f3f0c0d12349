"""Script prefix, per-request URLconf, caches, error handlers, translate_url."""

from __future__ import annotations

import asyncio
import threading

import pytest

from manouche.conf import settings
from manouche.core.exceptions import ViewDoesNotExist
from manouche.test.utils import override_settings
from manouche.urls import (
    clear_script_prefix,
    clear_url_caches,
    get_callable,
    get_mod_func,
    get_resolver,
    get_script_prefix,
    get_urlconf,
    resolve,
    reverse,
    set_script_prefix,
    set_urlconf,
    translate_url,
)
from tests.urls import views


def test_script_prefix_defaults_to_slash_and_gains_a_trailing_slash():
    clear_script_prefix()
    assert get_script_prefix() == "/"
    set_script_prefix("/app")
    assert get_script_prefix() == "/app/"
    clear_script_prefix()
    assert get_script_prefix() == "/"


def test_script_prefix_is_per_context():
    set_script_prefix("/outer/")
    seen = []

    async def task(prefix):
        set_script_prefix(prefix)
        await asyncio.sleep(0)
        seen.append(get_script_prefix())

    async def main():
        await asyncio.gather(task("/a/"), task("/b/"))

    asyncio.run(main())
    assert sorted(seen) == ["/a/", "/b/"]
    assert get_script_prefix() == "/outer/"


def test_urlconf_is_per_thread():
    set_urlconf("tests.urls.urlconfs.main")
    seen = []
    thread = threading.Thread(target=lambda: seen.append(get_urlconf()))
    thread.start()
    thread.join()
    assert seen == [None]
    assert get_urlconf() == "tests.urls.urlconfs.main"


def test_set_urlconf_overrides_root_urlconf_for_resolve_and_reverse():
    assert get_urlconf() is None
    assert get_urlconf("fallback") == "fallback"
    set_urlconf("tests.urls.urlconfs.main")
    assert resolve("/about/").url_name == "about"
    assert reverse("about") == "/about/"
    set_urlconf(None)
    assert get_urlconf() is None


def test_get_resolver_defaults_to_root_urlconf_and_is_cached():
    assert get_resolver().urlconf_name == settings.ROOT_URLCONF
    assert get_resolver() is get_resolver(settings.ROOT_URLCONF)
    with override_settings(ROOT_URLCONF="tests.urls.urlconfs.main"):
        assert get_resolver().urlconf_name == "tests.urls.urlconfs.main"
    resolver = get_resolver()
    clear_url_caches()
    assert get_resolver() is not resolver


def test_default_error_handlers():
    from manouche.views import defaults

    resolver = get_resolver("tests.urls.urlconfs.main")
    assert resolver.resolve_error_handler(400) is defaults.bad_request
    assert resolver.resolve_error_handler(403) is defaults.permission_denied
    assert resolver.resolve_error_handler(404) is defaults.page_not_found
    assert resolver.resolve_error_handler(500) is defaults.server_error


def test_custom_error_handlers_as_callable_and_dotted_path():
    from manouche.views import defaults

    resolver = get_resolver("tests.urls.urlconfs.handlers")
    assert resolver.resolve_error_handler(400) is views.bad_request
    assert resolver.resolve_error_handler(500) is views.server_error
    assert resolver.resolve_error_handler(404) is defaults.page_not_found


def test_get_mod_func():
    assert get_mod_func("a.b.c") == ("a.b", "c")
    assert get_mod_func("abc") == ("abc", "")


def test_get_callable():
    assert get_callable(views.empty_view) is views.empty_view
    assert get_callable("tests.urls.views.empty_view") is views.empty_view


def test_get_callable_errors():
    with pytest.raises(ImportError, match=r"The path must be fully qualified\."):
        get_callable("noqualifier")
    with pytest.raises(ViewDoesNotExist) as info:
        get_callable("tests.urls.views.missing")
    assert str(info.value) == (
        "Could not import 'tests.urls.views.missing'. View does not exist in module "
        "tests.urls.views."
    )
    with pytest.raises(ViewDoesNotExist) as info:
        get_callable("tests.urls.missing_module.view")
    assert str(info.value) == (
        "Could not import 'tests.urls.missing_module.view'. Parent module "
        "tests.urls.missing_module does not exist."
    )
    with pytest.raises(ViewDoesNotExist) as info:
        get_callable("tests.urls.views.__doc__")
    assert str(info.value) == (
        "Could not import 'tests.urls.views.__doc__'. View is not callable."
    )
    with pytest.raises(ViewDoesNotExist, match="is not a callable or a dot-notation"):
        get_callable(42)  # type: ignore[arg-type]


def test_translate_url_keeps_the_url_without_translations():
    with override_settings(ROOT_URLCONF="tests.urls.urlconfs.main"):
        assert translate_url("/blog-two/3/?a=1#f", "fr") == "/blog-two/3/?a=1#f"
        assert translate_url("https://h/articles/1/", "fr") == "https://h/articles/1/"
        assert translate_url("/nowhere/", "fr") == "/nowhere/"
