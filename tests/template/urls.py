"""URLconf of the template tests: views rendering templates in every way."""

from __future__ import annotations

from typing import Any

from manouche.http import HttpResponse
from manouche.shortcuts import render
from manouche.template.response import TemplateResponse
from manouche.urls import include, path
from manouche.views.generic import TemplateView


def template_response(request: Any) -> TemplateResponse:
    return TemplateResponse(request, "testapp/item.html", {"name": "tr"})


def render_view(request: Any) -> HttpResponse:
    response: HttpResponse = render(request, "testapp/child.html", {"who": "<w>"})
    return response


class Exploding:
    @property
    def explode(self) -> str:
        raise ValueError("<bad value>")


def broken(request: Any) -> HttpResponse:
    context = {"title": "<T>", "item": Exploding()}
    response: HttpResponse = render(request, "testapp/broken.html", context)
    return response


def article(request: Any, pk: int) -> HttpResponse:
    return HttpResponse()


blog_patterns = [path("<int:pk>/", article, name="article")]

urlpatterns = [
    path("tr/", template_response, name="tr"),
    path("render/", render_view, name="render"),
    path(
        "about/",
        TemplateView.as_view(
            template_name="testapp/item.html", extra_context={"name": "about"}
        ),
        name="about",
    ),
    path("blog/", include((blog_patterns, "blog"), namespace="blog")),
    path("articles/<int:pk>/", article, name="article"),
    path("broken/", broken, name="broken"),
]
