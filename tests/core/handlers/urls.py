"""URLconf for the handler tests."""

from __future__ import annotations

from manouche.urls import path
from tests.core.handlers import views

urlpatterns = [
    path("", views.hello, name="hello"),
    path("async/", views.async_hello),
    path("thread/", views.thread_ident),
    path("none/", views.returns_none),
    path("async-none/", views.async_returns_none),
    path("coroutine/", views.returns_coroutine),
    path("error/", views.raises_error),
    path("async-error/", views.async_raises_error),
    path("not-found/", views.raises_404, name="not-found"),
    path("forbidden/", views.raises_permission_denied),
    path("bad-request/", views.raises_bad_request),
    path("suspicious/", views.raises_suspicious),
    path("disallowed-host/", views.raises_disallowed_host),
    path("bad-request-newline/", views.raises_bad_request_with_newline),
    path("too-big/", views.raises_too_big),
    path("post/", views.echo_post),
    path("body/", views.body_length),
    path("upload/", views.keep_upload),
    path("meta/", views.show_meta),
    path("cookie/", views.set_cookie),
    path("stream/", views.stream_sync),
    path("stream-async/", views.stream_async),
    path("file/", views.file_response),
    path("template/", views.template_like),
    path("failing-render/", views.failing_render),
]
