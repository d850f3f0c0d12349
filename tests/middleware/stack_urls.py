"""URLconf for the full-stack middleware tests."""

from __future__ import annotations

from typing import Any

from manouche.http import HttpResponse, StreamingHttpResponse
from manouche.urls import path
from manouche.views import View
from manouche.views.decorators.clickjacking import xframe_options_exempt
from manouche.views.decorators.http import require_POST

BODY = b"manouche middleware stack " * 40


async def async_page(request: Any) -> HttpResponse:
    return HttpResponse(BODY)


def sync_page(request: Any) -> HttpResponse:
    return HttpResponse(BODY)


async def stream(request: Any) -> StreamingHttpResponse:
    async def chunks() -> Any:
        for _ in range(4):
            yield BODY

    return StreamingHttpResponse(chunks())


@xframe_options_exempt
async def embeddable(request: Any) -> HttpResponse:
    return HttpResponse("embed")


@require_POST
async def post_only(request: Any) -> HttpResponse:
    return HttpResponse("posted")


class Greeting(View):
    async def get(self, request: Any) -> HttpResponse:
        return HttpResponse("hello")


urlpatterns = [
    path("async/", async_page),
    path("sync/", sync_page),
    path("stream/", stream),
    path("embed/", embeddable),
    path("post-only/", post_only),
    path("greeting/", Greeting.as_view()),
]
