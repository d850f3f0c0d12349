"""The test client and request factories, driven against views defined here."""

from __future__ import annotations

import io
import json
import threading
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from manouche.core.signals import request_finished
from manouche.http import (
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
    StreamingHttpResponse,
)
from manouche.test import AsyncClient, AsyncRequestFactory, Client, RequestFactory
from manouche.test.client import (
    BOUNDARY,
    MULTIPART_CONTENT,
    RedirectCycleError,
    encode_multipart,
)
from manouche.test.signals import template_rendered
from manouche.test.utils import override_settings
from manouche.urls import path


def echo(request: Any) -> HttpResponse:
    return JsonResponse(
        {
            "method": request.method,
            "path": request.path,
            "get": {key: request.GET.getlist(key) for key in request.GET},
            "post": {key: request.POST.getlist(key) for key in request.POST},
            "files": {
                key: [f.name, f.read().decode(), f.content_type]
                for key, f in request.FILES.items()
            },
            "accept": request.META.get("HTTP_ACCEPT"),
            "remote_user": request.META.get("REMOTE_USER"),
            "host": request.get_host(),
            "secure": request.is_secure(),
            "thread": threading.current_thread().name,
            "csrf_off": getattr(request, "_dont_enforce_csrf_checks", None),
        }
    )


def raw_body(request: Any) -> HttpResponse:
    return HttpResponse(request.body, content_type=request.content_type)


def redirect_to_echo(request: Any) -> HttpResponse:
    return HttpResponseRedirect("/echo/?from=redirect")


def redirect_relative(request: Any) -> HttpResponse:
    return HttpResponseRedirect("../../echo/")


def redirect_loop(request: Any) -> HttpResponse:
    return HttpResponseRedirect("/loop/")


def redirect_307(request: Any) -> HttpResponse:
    return HttpResponseRedirect("/raw/", status=307)


def growing_redirect(request: Any, number: int) -> HttpResponse:
    return HttpResponseRedirect(f"/grow/{number + 1}/")


def fail(request: Any) -> HttpResponse:
    raise ValueError("the view failed")


def set_cookies(request: Any) -> HttpResponse:
    response = HttpResponse(request.COOKIES.get("flavour", "none"))
    response.set_cookie("flavour", "chocolate")
    return response


def delete_cookie(request: Any) -> HttpResponse:
    response = HttpResponse(request.COOKIES.get("flavour", "none"))
    response.delete_cookie("flavour")
    return response


def show_cookie(request: Any) -> HttpResponse:
    return HttpResponse(request.COOKIES.get("flavour", "none"))


def streaming(request: Any) -> StreamingHttpResponse:
    return StreamingHttpResponse(iter([b"one ", b"two"]))


def async_streaming(request: Any) -> StreamingHttpResponse:
    async def chunks() -> AsyncIterator[bytes]:
        yield b"async "
        yield b"chunks"

    return StreamingHttpResponse(chunks())


async def async_view(request: Any) -> HttpResponse:
    return HttpResponse(f"async {request.method} {request.GET.get('q', '')}")


class FakeTemplate:
    def __init__(self, name: str) -> None:
        self.name = name


def rendering(request: Any) -> HttpResponse:
    for name in ("base.html", "page.html"):
        template_rendered.send(
            sender=None, template=FakeTemplate(name), context={"title": name}
        )
    return HttpResponse("rendered")


urlpatterns = [
    path("echo/", echo),
    path("raw/", raw_body),
    path("redirect/", redirect_to_echo),
    path("nested/redirect/", redirect_relative),
    path("loop/", redirect_loop),
    path("307/", redirect_307),
    path("grow/<int:number>/", growing_redirect),
    path("fail/", fail),
    path("cookies/set/", set_cookies),
    path("cookies/delete/", delete_cookie),
    path("cookies/show/", show_cookie),
    path("stream/", streaming),
    path("astream/", async_streaming),
    path("async/", async_view),
    path("rendering/", rendering),
]


@pytest.fixture(autouse=True)
def _urls() -> Iterator[None]:
    with override_settings(ROOT_URLCONF=__name__):
        yield


def test_get_sends_query_headers_and_meta_and_runs_sync_view_on_calling_thread() -> (
    None
):
    response = Client().get(
        "/echo/",
        {"a": ["1", "2"], "b": "x"},
        headers={"Accept": "text/html"},
        REMOTE_USER="alice",
    )
    data = response.json()
    assert response.status_code == 200
    assert data["get"] == {"a": ["1", "2"], "b": ["x"]}
    assert data["accept"] == "text/html"
    assert data["remote_user"] == "alice"
    assert data["host"] == "testserver"
    assert data["thread"] == threading.current_thread().name
    assert data["csrf_off"] is True


def test_query_params_argument_and_path_query_string() -> None:
    client = Client()
    assert client.get("/echo/?x=1").json()["get"] == {"x": ["1"]}
    assert client.get("/echo/", query_params={"y": "2"}).json()["get"] == {"y": ["2"]}
    with pytest.raises(ValueError, match="mutually exclusive"):
        client.get("/echo/", {"a": "1"}, query_params={"b": "2"})


def test_secure_request_is_https() -> None:
    data = Client().get("/echo/", secure=True).json()
    assert data["secure"] is True


def test_enforce_csrf_checks_is_passed_to_the_request() -> None:
    data = Client(enforce_csrf_checks=True).get("/echo/").json()
    assert data["csrf_off"] is False


def test_post_multipart_with_lists_and_files() -> None:
    upload = io.BytesIO(b"file content")
    upload.name = "notes.txt"
    response = Client().post("/echo/", {"tags": ["a", "b"], "name": "x", "doc": upload})
    data = response.json()
    assert data["post"] == {"tags": ["a", "b"], "name": ["x"]}
    assert data["files"] == {"doc": ["notes.txt", "file content", "text/plain"]}


def test_post_json_dict_is_encoded() -> None:
    response = Client().post("/raw/", {"a": [1, 2]}, content_type="application/json")
    assert json.loads(response.content) == {"a": [1, 2]}
    assert response.json() == {"a": [1, 2]}


def test_put_patch_delete_send_raw_bodies() -> None:
    client = Client()
    assert client.put("/raw/", "plain", content_type="text/plain").content == b"plain"
    patched = client.patch("/raw/", {"k": "v"}, content_type="application/json")
    assert patched.json() == {"k": "v"}
    assert client.delete("/raw/", b"gone").content == b"gone"
    assert client.options("/echo/").json()["method"] == "OPTIONS"


def test_head_response_has_no_body() -> None:
    response = Client().head("/echo/")
    assert response.status_code == 200
    assert response.content == b""


def test_json_refuses_other_content_types() -> None:
    response = Client().put("/raw/", "x", content_type="text/plain")
    with pytest.raises(ValueError, match='Content-Type header is "text/plain", not'):
        response.json()


def test_cookies_persist_and_expired_cookies_are_removed() -> None:
    client = Client()
    assert client.get("/cookies/set/").content == b"none"
    assert client.cookies["flavour"].value == "chocolate"
    assert client.get("/cookies/show/").content == b"chocolate"
    assert client.get("/cookies/delete/").content == b"chocolate"
    assert "flavour" not in client.cookies
    assert client.get("/cookies/show/").content == b"none"


def test_follow_records_redirect_chain() -> None:
    response = Client().get("/redirect/", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain == [("/echo/?from=redirect", 302)]
    assert response.json()["get"] == {"from": ["redirect"]}


def test_follow_resolves_relative_redirects() -> None:
    response = Client().get("/nested/redirect/", follow=True)
    assert response.redirect_chain == [("../../echo/", 302)]
    assert response.json()["path"] == "/echo/"


def test_post_then_302_is_followed_with_get() -> None:
    response = Client().post("/redirect/", {"a": "1"}, follow=True)
    assert response.json()["method"] == "GET"


def test_307_keeps_method_and_body() -> None:
    response = Client().post(
        "/307/", {"a": 1}, content_type="application/json", follow=True
    )
    assert response.redirect_chain == [("/raw/", 307)]
    assert response.json() == {"a": 1}


def test_redirect_loop_is_detected() -> None:
    with pytest.raises(RedirectCycleError, match=r"Redirect loop detected\.") as info:
        Client().get("/loop/", follow=True)
    assert info.value.redirect_chain == [("/loop/", 302), ("/loop/", 302)]
    assert info.value.last_response.status_code == 302


def test_too_many_redirects_is_detected() -> None:
    with pytest.raises(RedirectCycleError, match=r"Too many redirects\."):
        Client().get("/grow/0/", follow=True)


def test_view_exception_is_reraised() -> None:
    with pytest.raises(ValueError, match="the view failed"):
        Client().get("/fail/")


def test_view_exception_is_stored_when_not_raised() -> None:
    response = Client(raise_request_exception=False).get("/fail/")
    assert response.status_code == 500
    assert response.exc_info is not None
    assert isinstance(response.exc_info[1], ValueError)


def test_response_carries_request_client_and_resolver_match() -> None:
    client = Client()
    response = client.get("/echo/?q=1")
    assert response.client is client
    assert response.request["PATH_INFO"] == "/echo/"
    assert response.request["QUERY_STRING"] == "q=1"
    assert response.wsgi_request.path == "/echo/"
    assert response.resolver_match.func is echo


def test_templates_and_context_are_collected() -> None:
    response = Client().get("/rendering/")
    assert [t.name for t in response.templates] == ["base.html", "page.html"]
    assert response.context["title"] == "base.html"
    assert response.context.get("missing", "default") == "default"


def test_sync_client_reads_sync_and_async_streaming_and_closes() -> None:
    finished: list[object] = []

    def on_finished(**kwargs: Any) -> None:
        finished.append(kwargs["sender"])

    request_finished.connect(on_finished)
    try:
        client = Client()
        response = client.get("/stream/")
        assert response.streaming
        assert b"".join(response.streaming_content) == b"one two"
        assert len(finished) == 1
        response = client.get("/astream/")
        assert b"".join(response.streaming_content) == b"async chunks"
        assert len(finished) == 2
    finally:
        request_finished.disconnect(on_finished)


def test_body_over_request_limit_is_refused_with_413() -> None:
    with override_settings(DATA_UPLOAD_MAX_REQUEST_SIZE=10):
        response = Client().post("/raw/", "x" * 11, content_type="text/plain")
    assert response.status_code == 413


def test_middleware_chain_follows_middleware_setting() -> None:
    client = Client()
    assert "X-Frame-Options" not in client.get("/echo/")
    middleware = ["manouche.middleware.clickjacking.XFrameOptionsMiddleware"]
    with override_settings(MIDDLEWARE=middleware):
        assert client.get("/echo/")["X-Frame-Options"] == "DENY"
    assert "X-Frame-Options" not in client.get("/echo/")


def test_client_level_headers_and_defaults() -> None:
    client = Client(headers={"Accept": "application/json"}, REMOTE_USER="bob")
    data = client.get("/echo/").json()
    assert data["accept"] == "application/json"
    assert data["remote_user"] == "bob"


def test_encode_multipart_refuses_none() -> None:
    with pytest.raises(TypeError, match="Cannot encode None for key 'a' as POST data"):
        encode_multipart(BOUNDARY, {"a": None})


def test_encode_multipart_format() -> None:
    body = encode_multipart(BOUNDARY, {"a": "1"})
    assert body == (
        b"--BoUnDaRyStRiNg\r\n"
        b'Content-Disposition: form-data; name="a"\r\n\r\n1\r\n'
        b"--BoUnDaRyStRiNg--\r\n"
    )


def test_request_factory_builds_requests() -> None:
    factory = RequestFactory()
    request = factory.get("/echo/?a=1", HTTP_X_TOKEN="t")
    assert request.method == "GET"
    assert request.GET["a"] == "1"
    assert request.META["HTTP_X_TOKEN"] == "t"
    assert request.build_absolute_uri() == "http://testserver/echo/?a=1"
    request = factory.post("/echo/", {"b": "2"})
    assert request.POST["b"] == "2"
    assert request.content_type == "multipart/form-data"
    assert request.META["CONTENT_TYPE"] == MULTIPART_CONTENT
    secure = factory.get("/x/", secure=True)
    assert secure.is_secure()
    assert secure.build_absolute_uri() == "https://testserver/x/"
    assert (
        factory.put("/x/", {"k": 1}, content_type="application/json").body
        == b'{"k": 1}'
    )


def test_request_factory_sends_its_cookies() -> None:
    factory = RequestFactory()
    factory.cookies["name"] = "value"
    assert factory.get("/").COOKIES == {"name": "value"}


def test_request_factory_meta_always_has_a_cookie_header() -> None:
    request = RequestFactory().get("/")
    assert request.META["HTTP_COOKIE"] == ""
    assert request.COOKIES == {}


def test_async_request_factory_builds_requests() -> None:
    factory = AsyncRequestFactory()
    request = factory.get("/echo/", {"a": "1"}, ACCEPT="text/plain")
    assert request.GET["a"] == "1"
    assert request.META["HTTP_ACCEPT"] == "text/plain"
    assert request.get_host() == "testserver"
    request = factory.post("/echo/", {"a": "1"}, content_type="application/json")
    assert request.body == b'{"a": "1"}'


async def test_async_client_get_post_and_follow() -> None:
    client = AsyncClient()
    response = await client.get("/async/", {"q": "x"})
    assert response.content == b"async GET x"
    response = await client.post("/echo/", {"a": "1"}, headers={"Accept": "a/b"})
    assert response.json()["post"] == {"a": ["1"]}
    assert response.json()["accept"] == "a/b"
    assert response.asgi_request.method == "POST"
    response = await client.get("/redirect/", follow=True)
    assert response.redirect_chain == [("/echo/?from=redirect", 302)]


async def test_async_client_streaming_and_exceptions() -> None:
    client = AsyncClient()
    response = await client.get("/astream/")
    assert b"".join([chunk async for chunk in response.streaming_content]) == (
        b"async chunks"
    )
    response = await client.get("/stream/")
    assert b"".join(response.streaming_content) == b"one two"
    with pytest.raises(ValueError, match="the view failed"):
        await client.get("/fail/")


async def test_async_client_keeps_cookies() -> None:
    client = AsyncClient()
    await client.get("/cookies/set/")
    response = await client.get("/cookies/show/")
    assert response.content == b"chocolate"


def test_login_without_contrib_apps_explains_what_is_missing() -> None:
    from manouche.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match=r"needs 'manouche\.contrib\.auth'"):
        Client().login(username="a", password="b")
