"""The technical 404/500 pages and the filters that mask secrets."""

from __future__ import annotations

import sys
from typing import Any

import pytest

from manouche.http import HttpRequest
from manouche.test.utils import override_settings
from manouche.views import debug
from manouche.views.debug import (
    CLEANSED_SUBSTITUTE,
    ExceptionReporter,
    SafeExceptionReporterFilter,
    technical_404_response,
    technical_500_response,
)
from tests.core.handlers.asgi_driver import call_asgi, make_scope


def make_request(accept: str = "text/html", **meta: Any) -> HttpRequest:
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = "/place/"
    request.META = {
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "HTTP_ACCEPT": accept,
        "HTTP_COOKIE": "sessionid=cookie-secret",
        "HTTP_X_API_KEY": "header-secret",
        **meta,
    }
    return request


def raise_and_capture(exc: Exception) -> tuple[Any, Any, Any]:
    try:
        password = "frame-secret"  # noqa: F841 - a local to inspect
        harmless = "<script>alert(1)</script>"  # noqa: F841
        raise exc
    except Exception:
        return sys.exc_info()


# Built at run time so that the source lines shown in the page do not hold them.
SETTINGS_SECRET = "-".join(["settings", "secret"])
TOKEN_SECRET = "".join(["t0", "k3n"])


@override_settings(DEBUG=True, SECRET_KEY=SETTINGS_SECRET, MY_API_TOKEN=TOKEN_SECRET)
def test_500_page_shows_the_traceback_and_masks_secrets() -> None:
    request = make_request()
    response = technical_500_response(
        request, *raise_and_capture(ValueError("boom <i>"))
    )
    html = response.content.decode()
    assert response.status_code == 500
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert "ValueError" in html
    assert "boom &lt;i&gt;" in html
    assert "raise_and_capture" in html
    assert "raise exc" in html
    # Local variables are shown (DEBUG is on) but escaped.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)</script>" not in html
    # Settings and headers that look secret are masked; cookie values too.
    assert SETTINGS_SECRET not in html
    assert TOKEN_SECRET not in html
    assert "header-secret" not in html
    assert "cookie-secret" not in html
    assert CLEANSED_SUBSTITUTE in html
    assert "You're seeing this error because you have <code>DEBUG = True</code>" in html


@override_settings(DEBUG=True)
def test_500_page_is_plain_text_for_non_html_clients() -> None:
    request = make_request(accept="application/json")
    response = technical_500_response(request, *raise_and_capture(KeyError("k")))
    text = response.content.decode()
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert text.startswith("KeyError at /place/")
    assert "Traceback (most recent call last):" in text
    assert "<html" not in text


@override_settings(DEBUG=True)
def test_500_page_shows_chained_exceptions() -> None:
    try:
        try:
            raise KeyError("inner")
        except KeyError as inner:
            raise RuntimeError("outer") from inner
    except RuntimeError:
        exc_info = sys.exc_info()
    html = technical_500_response(make_request(), *exc_info).content.decode()
    assert (
        "The above exception was the direct cause of the following exception:" in html
    )
    assert "inner" in html
    assert "outer" in html


@override_settings(DEBUG=True)
def test_500_page_with_a_custom_status_code() -> None:
    response = technical_500_response(
        make_request(), *raise_and_capture(ValueError("x")), status_code=400
    )
    assert response.status_code == 400


def test_filter_cleanses_nested_settings() -> None:
    reporter_filter = SafeExceptionReporterFilter()
    cleansed = reporter_filter.cleanse_setting(
        "DATABASES",
        {"default": {"NAME": "db", "PASSWORD": "pw", "OPTIONS": [{"token": "t"}]}},
    )
    assert cleansed == {
        "default": {
            "NAME": "db",
            "PASSWORD": CLEANSED_SUBSTITUTE,
            "OPTIONS": [{"token": CLEANSED_SUBSTITUTE}],
        }
    }
    assert reporter_filter.cleanse_setting("SECRET_KEY", "x") == CLEANSED_SUBSTITUTE
    assert reporter_filter.cleanse_setting("DEBUG", True) is True
    assert reporter_filter.cleanse_setting("MY_AUTH", "x") == CLEANSED_SUBSTITUTE
    assert reporter_filter.cleanse_setting("AUTHOR", "x") == CLEANSED_SUBSTITUTE


def test_filter_masks_sensitive_post_parameters_when_active() -> None:
    from manouche.http import QueryDict

    request = make_request()
    request.POST = QueryDict("user=alice&password=hunter2")
    request.sensitive_post_parameters = ["password"]  # type: ignore[attr-defined]
    post = SafeExceptionReporterFilter().get_post_parameters(request)
    assert post["user"] == "alice"
    assert post["password"] == CLEANSED_SUBSTITUTE
    request.sensitive_post_parameters = "__ALL__"  # type: ignore[attr-defined]
    post = SafeExceptionReporterFilter().get_post_parameters(request)
    assert post["user"] == CLEANSED_SUBSTITUTE


def test_filter_masks_sensitive_variables_of_marked_frames() -> None:
    def sensitive_variables_wrapper(*args: Any) -> Any:
        sensitive_variables = ("card",)  # noqa: F841 - read by the filter
        card = "4111-1111"  # noqa: F841
        name = "visible"  # noqa: F841
        return sys._getframe()

    frame = sensitive_variables_wrapper()
    variables = dict(
        SafeExceptionReporterFilter().get_traceback_frame_variables(
            make_request(), frame
        )
    )
    assert variables["card"] == CLEANSED_SUBSTITUTE
    assert variables["name"] == "visible"


def test_reporter_text_without_request() -> None:
    reporter = ExceptionReporter(None, *raise_and_capture(ValueError("no request")))
    text = reporter.get_traceback_text()
    assert "ValueError" in text
    assert "no request" in text


@override_settings(DEBUG=True, ROOT_URLCONF="tests.core.handlers.urls")
async def test_404_page_lists_the_patterns_tried() -> None:
    from manouche.core.handlers.asgi import ASGIHandler

    result = await call_asgi(ASGIHandler(), make_scope(path="/nowhere/<b>"))
    html = result.text
    assert result.status == 404
    assert "Page not found" in html
    assert "nowhere/&lt;b&gt;" in html
    assert "not-found/ [name=&#x27;not-found&#x27;]" in html
    assert "didn\u2019t match any of these" in html
    assert "You're seeing this error because you have" in html


@override_settings(DEBUG=True, ROOT_URLCONF="tests.core.handlers.urls")
async def test_404_page_from_a_view_names_the_view() -> None:
    from manouche.core.handlers.asgi import ASGIHandler

    result = await call_asgi(ASGIHandler(), make_scope(path="/not-found/"))
    assert result.status == 404
    assert "No widget matches the given query." in result.text
    assert "tests.core.handlers.views.raises_404" in result.text


@override_settings(DEBUG=True, ROOT_URLCONF="tests.views.urls_empty")
async def test_empty_urlconf_shows_the_welcome_page() -> None:
    from manouche.core.handlers.asgi import ASGIHandler

    result = await call_asgi(ASGIHandler(), make_scope(path="/"))
    assert result.status == 200
    assert "The install worked successfully! Congratulations!" in result.text


@override_settings(DEBUG=False, ROOT_URLCONF="tests.core.handlers.urls")
async def test_debug_off_pages_leak_nothing() -> None:
    from manouche.core.handlers.asgi import ASGIHandler

    app = ASGIHandler()
    for path in ("/error/", "/nowhere/", "/not-found/"):
        result = await call_asgi(app, make_scope(path=path))
        leaks = ("Traceback", "urlpatterns", "DEBUG = True", "tests.core", "secret")
        for leak in leaks:
            assert leak not in result.text, (path, leak)


@pytest.mark.parametrize("accept", ["text/html", "*/*"])
@override_settings(DEBUG=True)
def test_technical_404_response_directly(accept: str) -> None:
    from manouche.http import Http404

    request = make_request(accept=accept)
    response = technical_404_response(request, Http404("gone"))
    assert response.status_code == 404
    assert "gone" in response.content.decode()


def test_default_reporter_filter_is_cached() -> None:
    assert (
        debug.get_default_exception_reporter_filter()
        is debug.get_default_exception_reporter_filter()
    )


def test_reporter_masks_variables_marked_by_the_decorators() -> None:
    from manouche.views.decorators.debug import sensitive_variables

    @sensitive_variables("card")
    def pay(amount: int) -> None:
        card = "-".join(["4111"] * 4)  # noqa: F841
        note = "visible note"  # noqa: F841
        raise ValueError("declined")

    try:
        pay(10)
    except ValueError:
        exc_info = sys.exc_info()
    text = ExceptionReporter(make_request(), *exc_info).get_traceback_text()
    html = ExceptionReporter(make_request(), *exc_info).get_traceback_html()
    assert "-".join(["4111"] * 4) not in html
    assert "visible note" in html
    assert "declined" in text


async def test_reporter_masks_variables_of_marked_async_functions() -> None:
    from manouche.views.decorators.debug import sensitive_variables

    @sensitive_variables("card")
    async def pay() -> None:
        card = "-".join(["5500", "0000", "0000", "0004"])  # noqa: F841
        raise ValueError("declined")

    try:
        await pay()
    except ValueError:
        exc_info = sys.exc_info()
    html = ExceptionReporter(make_request(), *exc_info).get_traceback_html()
    assert "-".join(["5500", "0000", "0000", "0004"]) not in html
    assert CLEANSED_SUBSTITUTE in html
