"""Async views: the ORM's async API (``aget``, ``async for``, ``abulk_update``).

The docs teach async views for I/O-bound work: they stay on the event loop
and each query awaits psycopg's async driver. Rendering uses ``render`` and
the template language with autoescaping; JSON uses ``JsonResponse``.
"""

from __future__ import annotations

from operator import attrgetter
from random import randint, sample

from common import ADDITIONAL_FORTUNE, WORLD_ROWS, query_count
from manouche_project.hello.models import Fortune, World

from manouche.http import HttpRequest, HttpResponse, JsonResponse
from manouche.shortcuts import render

__all__ = ["db", "fortunes", "json_view", "plaintext", "queries", "updates"]


async def plaintext(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"Hello, World!", content_type="text/plain")


async def json_view(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"message": "Hello, World!"})


async def db(request: HttpRequest) -> HttpResponse:
    world = await World.objects.aget(id=randint(1, WORLD_ROWS))
    return JsonResponse({"id": world.id, "randomNumber": world.randomnumber})


async def queries(request: HttpRequest) -> HttpResponse:
    worlds = []
    for _ in range(query_count(request.GET.get("queries"))):
        world = await World.objects.aget(id=randint(1, WORLD_ROWS))
        worlds.append({"id": world.id, "randomNumber": world.randomnumber})
    return JsonResponse(worlds, safe=False)


async def fortunes(request: HttpRequest) -> HttpResponse:
    rows = [fortune async for fortune in Fortune.objects.all()]
    rows.append(Fortune(id=0, message=ADDITIONAL_FORTUNE))
    rows.sort(key=attrgetter("message"))
    return render(request, "fortunes.html", {"fortunes": rows})


async def updates(request: HttpRequest) -> HttpResponse:
    ids = sorted(
        sample(range(1, WORLD_ROWS + 1), query_count(request.GET.get("queries")))
    )
    worlds = [await World.objects.aget(id=id_) for id_ in ids]
    for world in worlds:
        world.randomnumber = randint(1, WORLD_ROWS)
    await World.objects.abulk_update(worlds, ["randomnumber"])
    return JsonResponse(
        [{"id": world.id, "randomNumber": world.randomnumber} for world in worlds],
        safe=False,
    )
