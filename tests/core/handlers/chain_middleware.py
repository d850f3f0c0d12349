"""MiddlewareMixin middleware for the flattened-chain tests; each records its hooks."""

from __future__ import annotations

from typing import Any

from manouche.http import HttpResponse
from manouche.utils.deprecation import MiddlewareMixin
from tests.core.handlers.views import events


class _Recording(MiddlewareMixin):
    label = ""
    process_in_loop = True

    def process_request(self, request: Any) -> Any:
        events.append(f"{self.label} request")
        return None

    def process_response(self, request: Any, response: Any) -> Any:
        events.append(f"{self.label} response {response.status_code}")
        return response


class First(_Recording):
    label = "first"


class Second(_Recording):
    label = "second"


class Third(_Recording):
    label = "third"


class AnswersEarly(_Recording):
    label = "early"

    def process_request(self, request: Any) -> Any:
        events.append("early request")
        return HttpResponse("early", status=202)


class RaisesInRequest(_Recording):
    label = "raises-request"

    def process_request(self, request: Any) -> Any:
        events.append("raises-request request")
        raise RuntimeError("process_request failed")


class RaisesInResponse(_Recording):
    label = "raises-response"

    def process_response(self, request: Any, response: Any) -> Any:
        events.append("raises-response response")
        raise RuntimeError("process_response failed")


class AwaitsHooks(MiddlewareMixin):
    async def process_request(self, request: Any) -> Any:
        events.append("awaited request")
        return None

    async def process_response(self, request: Any, response: Any) -> Any:
        events.append("awaited response")
        return response


class ThreadHooks(MiddlewareMixin):
    """Sync hooks without process_in_loop: they run in a worker thread."""

    def process_request(self, request: Any) -> Any:
        events.append("thread request")
        return None

    def process_response(self, request: Any, response: Any) -> Any:
        events.append("thread response")
        return response


class OwnCall(MiddlewareMixin):
    """Overrides __call__, so the chain cannot call its hooks directly."""

    def __call__(self, request: Any) -> Any:
        events.append("own call")
        return super().__call__(request)
