"""csrf_exempt marks a view for the CSRF middleware, keeping it sync or async."""

from __future__ import annotations

import asyncio
from typing import Any

from manouche.http import HttpResponse
from manouche.utils.asyncio import iscoroutinefunction
from manouche.views.decorators.csrf import csrf_exempt


def test_csrf_exempt_marks_a_sync_view_and_keeps_its_metadata() -> None:
    def view(request: Any) -> HttpResponse:
        """Doc."""
        return HttpResponse("sync")

    wrapped = csrf_exempt(view)
    assert wrapped.csrf_exempt is True  # type: ignore[attr-defined]
    assert wrapped.__name__ == "view"
    assert wrapped.__doc__ == "Doc."
    assert not iscoroutinefunction(wrapped)
    assert wrapped(object()).content == b"sync"


def test_csrf_exempt_keeps_an_async_view_async() -> None:
    async def view(request: Any) -> HttpResponse:
        return HttpResponse("async")

    wrapped = csrf_exempt(view)
    assert wrapped.csrf_exempt is True  # type: ignore[attr-defined]
    assert iscoroutinefunction(wrapped)
    assert asyncio.run(wrapped(object())).content == b"async"
