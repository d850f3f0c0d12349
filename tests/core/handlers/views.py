"""Views used by the handler tests."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Iterator
from typing import Any

from manouche.core.exceptions import (
    BadRequest,
    DisallowedHost,
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
)
from manouche.http import (
    FileResponse,
    Http404,
    HttpResponse,
    StreamingHttpResponse,
)

#: Filled by views and middleware: what ran, in order.
events: list[str] = []
#: Set by the streaming views when the response iterator is closed.
stream_state: dict[str, Any] = {}


def hello(request: Any) -> HttpResponse:
    events.append("view")
    return HttpResponse("Hello, world")


async def async_hello(request: Any) -> HttpResponse:
    events.append("async view")
    return HttpResponse("Hello, async world")


def thread_ident(request: Any) -> HttpResponse:
    return HttpResponse(str(threading.get_ident()))


def returns_none(request: Any) -> None:
    return None


async def async_returns_none(request: Any) -> None:
    return None


def returns_coroutine(request: Any) -> Any:
    return async_hello(request)


def raises_error(request: Any) -> HttpResponse:
    secret_token = "local-secret-value"  # noqa: F841 - shown (masked) in debug pages
    raise ValueError("Something broke <b>here</b>")


async def async_raises_error(request: Any) -> HttpResponse:
    raise ValueError("async breakage")


def raises_404(request: Any) -> HttpResponse:
    raise Http404("No widget matches the given query.")


def raises_permission_denied(request: Any) -> HttpResponse:
    raise PermissionDenied("nope")


def raises_bad_request(request: Any) -> HttpResponse:
    raise BadRequest("malformed thing")


def raises_suspicious(request: Any) -> HttpResponse:
    raise SuspiciousOperation("dubious\nline")


def raises_disallowed_host(request: Any) -> HttpResponse:
    raise DisallowedHost("evil.example")


def raises_bad_request_with_newline(request: Any) -> HttpResponse:
    raise BadRequest("two\nlines")


def raises_too_big(request: Any) -> HttpResponse:
    raise RequestDataTooBig("too much")


def echo_post(request: Any) -> HttpResponse:
    fields = sorted(request.POST.keys())
    return HttpResponse(",".join(fields))


def keep_upload(request: Any) -> HttpResponse:
    """Answer with the uploaded file's size, keeping it to look at afterwards."""
    upload = request.FILES["file"]
    stream_state["upload"] = upload
    return HttpResponse(str(upload.size))


def body_length(request: Any) -> HttpResponse:
    return HttpResponse(str(len(request.body)))


def show_meta(request: Any) -> HttpResponse:
    keys = sorted(k for k in request.META if k.startswith("HTTP_"))
    lines = [f"{k}={request.META[k]}" for k in keys]
    lines.append(f"path={request.path}")
    lines.append(f"path_info={request.path_info}")
    lines.append(f"script_name={request.META['SCRIPT_NAME']}")
    lines.append(f"GET={sorted(request.GET.items())}")
    lines.append(f"COOKIES={sorted(request.COOKIES.items())}")
    return HttpResponse("\n".join(lines))


def set_cookie(request: Any) -> HttpResponse:
    response = HttpResponse("cookie")
    response.set_cookie("flavour", "chocolate", httponly=True)
    response.set_cookie("size", "large")
    return response


def stream_sync(request: Any) -> StreamingHttpResponse:
    def generate() -> Iterator[bytes]:
        try:
            for i in range(5):
                yield f"part{i};".encode()
        finally:
            stream_state["sync_closed"] = True

    return StreamingHttpResponse(generate())


def stream_async(request: Any) -> StreamingHttpResponse:
    async def generate() -> AsyncIterator[bytes]:
        try:
            for i in range(1000):
                yield f"chunk{i};".encode()
                await asyncio.sleep(0)
        finally:
            stream_state["async_closed"] = True

    response = StreamingHttpResponse(generate())
    original_close = response.close

    def close() -> None:
        stream_state["response_closed"] = True
        original_close()

    response.close = close  # type: ignore[method-assign]
    return response


def file_response(request: Any) -> FileResponse:
    path = request.GET["path"]
    return FileResponse(open(path, "rb"))


class TemplateLikeResponse(HttpResponse):
    """A response rendered late, like TemplateResponse."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text
        self.is_rendered = False

    def render(self) -> TemplateLikeResponse:
        if not self.is_rendered:
            self.content = self.text.encode()
            self.is_rendered = True
            events.append("render")
        return self


def template_like(request: Any) -> TemplateLikeResponse:
    return TemplateLikeResponse("rendered late")


class FailingRenderResponse(TemplateLikeResponse):
    def render(self) -> TemplateLikeResponse:
        raise RuntimeError("render failed")


def failing_render(request: Any) -> FailingRenderResponse:
    return FailingRenderResponse("never")


def custom_urlconf(request: Any) -> HttpResponse:
    return HttpResponse("from the custom urlconf")
