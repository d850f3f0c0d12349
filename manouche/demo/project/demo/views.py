"""The demo's views: each shows one thing manouche does today."""

from __future__ import annotations

import asyncio
import datetime
import hashlib
import platform
import time
from collections.abc import AsyncIterator

import manouche
from manouche.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    JsonResponse,
    StreamingHttpResponse,
)
from manouche.shortcuts import redirect, render
from manouche.template.response import TemplateResponse
from manouche.urls import reverse
from manouche.utils import timezone
from manouche.utils.html import escape, format_html
from manouche.views.decorators.http import require_http_methods

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · manouche demo</title>
<style>
body {{ font: 16px/1.5 system-ui, sans-serif; max-width: 46rem; margin: 2rem auto;
       padding: 0 1rem; color: #222; }}
h1 {{ font-size: 1.6rem; }} code {{ background: #f3f3f3; padding: 0 .2rem; }}
li {{ margin: .3rem 0; }} .muted {{ color: #666; }}
</style></head>
<body>{body}</body></html>
"""


def _page(title: str, body: str) -> HttpResponse:
    """Wrap trusted HTML ``body`` (already escaped) in the demo's page."""
    return HttpResponse(PAGE.format(title=escape(title), body=body))


def home(request: HttpRequest) -> HttpResponse:
    """List the features (a template with inheritance; every link by reverse())."""
    features = [
        (reverse("templates"), "Templates", "inheritance, include, filters, compiled"),
        (
            reverse("library:book-list"),
            "Library",
            "models, migrations, a paginated list, detail pages and forms",
        ),
        (reverse("library:stats"), "Async ORM", "aggregates awaited in an async view"),
        (reverse("status"), "JSON endpoint", "JsonResponse"),
        (reverse("old-home"), "Redirect", "redirect() to a named URL"),
        (reverse("stream"), "Streaming response", "an async generator, sent in chunks"),
        (reverse("async"), "Async view", "awaits on the event loop"),
        (reverse("echo"), "POST echo with upload", "request.POST and request.FILES"),
        (reverse("hello", args=["world"]), "URL converters", "<str:name>"),
        (reverse("item", kwargs={"item_id": 42}), "Integer converter", "<int:item_id>"),
        (
            reverse("article", kwargs={"year": 2025, "slug": "hello-manouche"}),
            "Two converters",
            "<int:year>/<slug:slug>",
        ),
        (reverse("file-path", args=["docs/readme.txt"]), "Path converter", "<path:…>"),
        (reverse("boom"), "An error", "the debug page when DEBUG is on"),
    ]
    context = {
        "version": manouche.get_version(),
        "features": [
            {"url": url, "title": title, "detail": detail}
            for url, title, detail in features
        ],
    }
    response: HttpResponse = render(request, "demo/home.html", context)
    return response


def templates(request: HttpRequest) -> HttpResponse:
    """Render a fortunes table: user text is escaped by default."""
    now = timezone.now()
    messages = [
        "<script>alert('escaped, not run')</script>",
        "A computer program does what you tell it to do.",
        "フレームワークのベンチマーク",
    ]
    fortunes = [
        {"message": message, "added": now - datetime.timedelta(hours=index * 7)}
        for index, message in enumerate(messages, start=1)
    ]
    context = {
        "version": manouche.get_version(),
        "fortunes": sorted(fortunes, key=lambda fortune: str(fortune["message"])),
        "visitors": 1234567,
        "big": 3_400_000_000,
        "today": now,
        "sentence": "Templates compile once to Python, then render as function calls.",
    }
    return TemplateResponse(request, "demo/templates.html", context)


def status(request: HttpRequest) -> JsonResponse:
    """Return the framework's status as JSON."""
    return JsonResponse(
        {
            "framework": "manouche",
            "version": manouche.get_version(),
            "python": platform.python_version(),
            "time": time.time(),
            "path": request.path,
            "query": {key: request.GET.getlist(key) for key in request.GET},
        }
    )


def old_home(request: HttpRequest) -> HttpResponseBase:
    """Redirect to the home page by its URL name."""
    return redirect("home")


async def _ticks(count: int) -> AsyncIterator[str]:
    for index in range(1, count + 1):
        yield f"tick {index} of {count}\n"
        await asyncio.sleep(0.2)


def stream(request: HttpRequest) -> StreamingHttpResponse:
    """Stream lines as they are produced."""
    return StreamingHttpResponse(_ticks(5), content_type="text/plain; charset=utf-8")


async def async_view(request: HttpRequest) -> HttpResponse:
    """Await several sleeps at once: they overlap on the event loop."""
    started = time.perf_counter()
    await asyncio.gather(*(asyncio.sleep(0.1) for _ in range(10)))
    elapsed = time.perf_counter() - started
    return _page(
        "Async view",
        format_html(
            "<h1>Async view</h1><p>Ten 0.1 s sleeps awaited together took {} s.</p>"
            '<p><a href="{}">Home</a></p>',
            f"{elapsed:.2f}",
            reverse("home"),
        ),
    )


ECHO_FORM = """<h1>POST echo</h1>
<form method="post" enctype="multipart/form-data">
<p><label>Message <input name="message" value="hello"></label></p>
<p><label>File <input type="file" name="upload"></label></p>
<p><button>Send</button></p>
</form>
<p class="muted">Or: <code>curl -F message=hi -F upload=@file.txt {url}</code></p>
"""


@require_http_methods(["GET", "POST"])
def echo(request: HttpRequest) -> HttpResponse:
    """GET: a plain HTML form; POST: the fields and files received, as JSON."""
    if request.method == "GET":
        url = request.build_absolute_uri()
        return _page("POST echo", ECHO_FORM.format(url=escape(url)))
    files = {}
    for name, upload in request.FILES.items():
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        files[name] = {
            "name": upload.name,
            "size": upload.size,
            "content_type": upload.content_type,
            "sha256": digest.hexdigest(),
        }
    fields = {key: request.POST.getlist(key) for key in request.POST}
    return JsonResponse({"fields": fields, "files": files})


def hello(request: HttpRequest, name: str) -> HttpResponse:
    """Greet ``name`` from the URL (escaped on the way out)."""
    match = request.resolver_match
    return _page(
        "Hello",
        format_html(
            "<h1>Hello, {}!</h1><p>Route <code>{}</code>, kwargs <code>{}</code>.</p>"
            '<p><a href="{}">Home</a></p>',
            name,
            getattr(match, "route", ""),
            repr(getattr(match, "kwargs", {})),
            reverse("home"),
        ),
    )


def item(request: HttpRequest, item_id: int) -> JsonResponse:
    """Show that <int:…> hands the view an int."""
    return JsonResponse(
        {
            "item_id": item_id,
            "type": type(item_id).__name__,
            "url": reverse("item", args=[item_id]),
        }
    )


def article(request: HttpRequest, year: int, slug: str) -> JsonResponse:
    """Show two converters and reverse() with keyword arguments."""
    return JsonResponse(
        {
            "year": year,
            "slug": slug,
            "url": reverse("article", kwargs={"year": year, "slug": slug}),
        }
    )


def file_path(request: HttpRequest, file_path: str) -> JsonResponse:
    """Show that <path:…> matches slashes too."""
    return JsonResponse({"file_path": file_path, "parts": file_path.split("/")})


def boom(request: HttpRequest) -> HttpResponse:
    """Raise, to show the technical error page when DEBUG is on (a 500 otherwise)."""
    raise RuntimeError("This error is on purpose: it shows manouche's debug page.")
