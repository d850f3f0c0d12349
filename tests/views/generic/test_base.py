"""View, TemplateView and RedirectView."""

from __future__ import annotations

import logging
import sys
from typing import Any

import pytest

from manouche.core.exceptions import ImproperlyConfigured
from manouche.http import HttpResponse
from manouche.test.utils import override_settings
from manouche.utils.asyncio import iscoroutinefunction
from manouche.views import View
from manouche.views.generic import GenericViewError, RedirectView, TemplateView
from manouche.views.generic.base import ContextMixin, TemplateResponseMixin
from tests.middleware.helpers import make_request


class SimpleView(View):
    """A docstring."""

    greeting = "hello"

    def get(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
        return HttpResponse(f"{self.greeting} {kwargs.get('name', '')}".strip())

    def post(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
        return HttpResponse("posted")


class AsyncView(View):
    async def get(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
        return HttpResponse("async get")


def test_dispatch_by_method() -> None:
    view = SimpleView.as_view()
    assert view(make_request()).content == b"hello"
    assert view(make_request("POST")).content == b"posted"


def test_url_kwargs_reach_the_handler() -> None:
    assert SimpleView.as_view()(make_request(), name="you").content == b"hello you"


def test_initkwargs_override_class_attributes() -> None:
    assert SimpleView.as_view(greeting="hi")(make_request()).content == b"hi"


def test_initkwargs_cannot_be_method_names() -> None:
    with pytest.raises(TypeError) as excinfo:
        SimpleView.as_view(get="x")
    assert str(excinfo.value) == (
        "The method name get is not accepted as a keyword argument to SimpleView()."
    )


def test_initkwargs_must_be_existing_attributes() -> None:
    with pytest.raises(TypeError) as excinfo:
        SimpleView.as_view(unknown=1)
    assert str(excinfo.value) == (
        "SimpleView() received an invalid keyword 'unknown'. as_view only accepts "
        "arguments that are already attributes of the class."
    )


def test_as_view_is_class_only() -> None:
    with pytest.raises(AttributeError, match="only on the class"):
        SimpleView().as_view()


def test_view_function_attributes() -> None:
    view = SimpleView.as_view(greeting="hi")
    assert view.view_class is SimpleView  # type: ignore[attr-defined]
    assert view.view_initkwargs == {"greeting": "hi"}  # type: ignore[attr-defined]
    assert view.__doc__ == "A docstring."
    assert view.__module__ == __name__
    assert view.__name__ == "view"


def test_dispatch_attributes_are_copied_to_the_view() -> None:
    class Marked(View):
        def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
            return super().dispatch(request, *args, **kwargs)

    Marked.dispatch.csrf_exempt = True  # type: ignore[attr-defined]
    assert Marked.as_view().csrf_exempt is True  # type: ignore[attr-defined]


def test_head_falls_back_to_get() -> None:
    response = SimpleView.as_view()(make_request("HEAD"))
    assert response.status_code == 200


def test_method_not_allowed_logs_and_lists_allowed(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="manouche.request"):
        response = SimpleView.as_view()(make_request("DELETE", path="/thing/"))
    assert response.status_code == 405
    assert response["Allow"] == "GET, POST, HEAD, OPTIONS"
    assert [r.getMessage() for r in caplog.records] == [
        "Method Not Allowed (DELETE): /thing/"
    ]
    assert caplog.records[0].levelname == "WARNING"


@pytest.mark.parametrize(
    "method", ["TRACE", "BREW", "", "__INIT__", "DISPATCH", "HTTP_METHOD_NOT_ALLOWED"]
)
def test_unknown_or_hostile_methods_get_405(method: str) -> None:
    assert SimpleView.as_view()(make_request(method)).status_code == 405


def test_options_lists_allowed_methods() -> None:
    response = SimpleView.as_view()(make_request("OPTIONS"))
    assert response.status_code == 200
    assert response["Allow"] == "GET, POST, HEAD, OPTIONS"
    assert response["Content-Length"] == "0"


def test_custom_http_method_names() -> None:
    class GetOnly(SimpleView):
        http_method_names = ["get"]

    assert GetOnly.as_view()(make_request("POST")).status_code == 405


def test_setup_must_call_super() -> None:
    class Forgetful(SimpleView):
        def setup(self, request: Any, *args: Any, **kwargs: Any) -> None:
            pass

    with pytest.raises(AttributeError) as excinfo:
        Forgetful.as_view()(make_request())
    assert str(excinfo.value) == (
        "Forgetful instance has no 'request' attribute. Did you override setup() "
        "and forget to call super()?"
    )


def test_setup_stores_request_args_kwargs() -> None:
    view = SimpleView()
    request = make_request()
    view.setup(request, 1, key="v")
    assert (view.request, view.args, view.kwargs) == (request, (1,), {"key": "v"})


def test_view_is_async() -> None:
    assert SimpleView.view_is_async is False
    assert AsyncView.view_is_async is True
    assert View.view_is_async is False


def test_mixing_sync_and_async_handlers_is_refused() -> None:
    class Mixed(View):
        def get(self, request: Any) -> HttpResponse:
            return HttpResponse()

        async def post(self, request: Any) -> HttpResponse:
            return HttpResponse()

    with pytest.raises(ImproperlyConfigured) as excinfo:
        Mixed.as_view()
    assert str(excinfo.value) == (
        "test_mixing_sync_and_async_handlers_is_refused.<locals>.Mixed HTTP handlers "
        "must either be all sync or all async."
    )


async def test_async_view() -> None:
    view = AsyncView.as_view()
    assert iscoroutinefunction(view)
    assert (await view(make_request())).content == b"async get"
    not_allowed = await view(make_request("POST"))
    assert not_allowed.status_code == 405
    options = await view(make_request("OPTIONS"))
    assert options["Allow"] == "GET, HEAD, OPTIONS"


def test_context_mixin() -> None:
    class WithContext(ContextMixin):
        extra_context = {"extra": 1}

    mixin = WithContext()
    assert mixin.get_context_data(a=2) == {"a": 2, "view": mixin, "extra": 1}
    plain = ContextMixin()
    assert plain.get_context_data() == {"view": plain}


def test_template_response_mixin_requires_template_name() -> None:
    with pytest.raises(ImproperlyConfigured) as excinfo:
        TemplateResponseMixin().get_template_names()
    assert str(excinfo.value) == (
        "TemplateResponseMixin requires either a definition of 'template_name' or "
        "an implementation of 'get_template_names()'"
    )


def test_template_view_with_a_custom_response_class() -> None:
    class FakeResponse(HttpResponse):
        def __init__(
            self,
            request: Any,
            template: list[str],
            context: dict[str, Any],
            using: Any,
            content_type: Any = None,
        ) -> None:
            super().__init__(
                f"{template[0]}|{sorted(context)}|{using}", content_type=content_type
            )

    class Page(TemplateView):
        template_name = "page.html"
        response_class = FakeResponse
        content_type = "text/plain"

    response = Page.as_view()(make_request(), slug="x")
    assert response.content == b"page.html|['slug', 'view']|None"
    assert response["Content-Type"] == "text/plain"


def test_redirect_view_with_url() -> None:
    view = RedirectView.as_view(url="/target/%(pk)s/")
    response = view(make_request(), pk=3)
    assert response.status_code == 302
    assert response["Location"] == "/target/3/"


def test_redirect_view_permanent() -> None:
    response = RedirectView.as_view(url="/t/", permanent=True)(make_request())
    assert response.status_code == 301


def test_redirect_view_query_string() -> None:
    request = make_request(query_string="a=1&b=2")
    assert RedirectView.as_view(url="/t/")(request)["Location"] == "/t/"
    view = RedirectView.as_view(url="/t/", query_string=True)
    assert view(request)["Location"] == "/t/?a=1&b=2"


@pytest.mark.parametrize(
    "method", ["GET", "HEAD", "POST", "OPTIONS", "DELETE", "PUT", "PATCH"]
)
def test_redirect_view_redirects_every_method(method: str) -> None:
    assert RedirectView.as_view(url="/t/")(make_request(method)).status_code == 302


def test_redirect_view_without_url_is_gone(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="manouche.request"):
        response = RedirectView.as_view()(make_request(path="/old/"))
    assert response.status_code == 410
    assert [r.getMessage() for r in caplog.records] == ["Gone: /old/"]


@override_settings(ROOT_URLCONF="tests.views.urls")
def test_redirect_view_with_pattern_name() -> None:
    view = RedirectView.as_view(pattern_name="article")
    assert view(make_request(), pk=7)["Location"] == "/articles/7/"


def test_generic_view_error_is_an_exception() -> None:
    assert issubclass(GenericViewError, Exception)


EMPTY_TEMPLATES = [
    {
        "BACKEND": "manouche.template.backends.manouche.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": False,
    }
]


def test_template_view_without_template_layer_is_explained(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class Page(TemplateView):
        template_name = "page.html"

    # A None entry makes the import fail as if the template layer were absent.
    monkeypatch.setitem(sys.modules, "manouche.template.response", None)
    with pytest.raises(ImproperlyConfigured) as excinfo:
        Page.as_view()(make_request())
    assert "needs manouche.template.response.TemplateResponse" in str(excinfo.value)
    assert "Set response_class to another response class." in str(excinfo.value)


@override_settings(TEMPLATES=EMPTY_TEMPLATES)
def test_template_view_whose_template_cannot_be_found_raises_on_render() -> None:
    from manouche.template import TemplateDoesNotExist

    class Page(TemplateView):
        template_name = "page.html"

    response = Page.as_view()(make_request())
    with pytest.raises(TemplateDoesNotExist, match=r"page\.html"):
        response.render()
