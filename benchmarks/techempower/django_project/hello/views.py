"""Sync views: Django's ORM and template engine as its docs teach them.

Sync views are Django's fast path under WSGI; under ASGI Django runs them in
its thread-sensitive executor (the same path its async ORM API takes).
"""

from __future__ import annotations

from operator import attrgetter
from random import randint, sample

from common import ADDITIONAL_FORTUNE, WORLD_ROWS, query_count
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django_project.hello.models import Fortune, World

__all__ = ["db", "fortunes", "json_view", "plaintext", "queries", "updates"]


def plaintext(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"Hello, World!", content_type="text/plain")


def json_view(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"message": "Hello, World!"})


def db(request: HttpRequest) -> HttpResponse:
    world = World.objects.get(id=randint(1, WORLD_ROWS))
    return JsonResponse({"id": world.id, "randomNumber": world.randomnumber})


def queries(request: HttpRequest) -> HttpResponse:
    worlds = []
    for _ in range(query_count(request.GET.get("queries"))):
        world = World.objects.get(id=randint(1, WORLD_ROWS))
        worlds.append({"id": world.id, "randomNumber": world.randomnumber})
    return JsonResponse(worlds, safe=False)


def fortunes(request: HttpRequest) -> HttpResponse:
    rows = list(Fortune.objects.all())
    rows.append(Fortune(id=0, message=ADDITIONAL_FORTUNE))
    rows.sort(key=attrgetter("message"))
    return render(request, "fortunes.html", {"fortunes": rows})


def updates(request: HttpRequest) -> HttpResponse:
    count = query_count(request.GET.get("queries"))
    ids = sorted(sample(range(1, WORLD_ROWS + 1), count))
    worlds = [World.objects.get(id=id_) for id_ in ids]
    for world in worlds:
        world.randomnumber = randint(1, WORLD_ROWS)
    World.objects.bulk_update(worlds, ["randomnumber"])
    return JsonResponse(
        [{"id": world.id, "randomNumber": world.randomnumber} for world in worlds],
        safe=False,
    )
