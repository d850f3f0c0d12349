"""manouche.utils.decorators: middleware decorators, method_decorator & co."""

from __future__ import annotations

from functools import wraps
from typing import Any

import pytest

from manouche.http import HttpResponse
from manouche.utils.asyncio import iscoroutinefunction
from manouche.utils.decorators import (
    async_only_middleware,
    classonlymethod,
    decorator_from_middleware,
    decorator_from_middleware_with_args,
    method_decorator,
    sync_and_async_middleware,
    sync_only_middleware,
)
from manouche.utils.deprecation import MiddlewareMixin
from tests.middleware.helpers import make_request


class Tracing(MiddlewareMixin):
    """Record each hook call in ``request.trace``."""

    def __init__(self, get_response: Any, tag: str = "t") -> None:
        super().__init__(get_response)
        self.tag = tag

    def process_request(self, request: Any) -> None:
        request.trace = [f"{self.tag}:request"]

    def process_view(self, request: Any, view: Any, args: Any, kwargs: Any) -> None:
        request.trace.append(f"{self.tag}:view")

    def process_exception(self, request: Any, exception: Exception) -> Any:
        if isinstance(exception, KeyError):
            return HttpResponse("handled", status=500)
        return None

    def process_response(self, request: Any, response: HttpResponse) -> HttpResponse:
        request.trace.append(f"{self.tag}:response")
        response["X-Tag"] = self.tag
        return response


class FakeTemplateResponse(HttpResponse):
    """Quacks like TemplateResponse: render() runs the post-render callbacks."""

    def __init__(self) -> None:
        super().__init__("unrendered")
        self.callbacks: list[Any] = []

    def add_post_render_callback(self, callback: Any) -> None:
        self.callbacks.append(callback)

    def render(self) -> Any:
        response: Any = self
        self.content = b"rendered"
        for callback in self.callbacks:
            response = callback(response) or response
        return response


def test_decorator_from_middleware_runs_all_hooks() -> None:
    decorator = decorator_from_middleware(Tracing)

    @decorator
    def view(request: Any) -> HttpResponse:
        return HttpResponse("ok")

    request = make_request()
    response = view(request)
    assert response["X-Tag"] == "t"
    assert request.trace == ["t:request", "t:view", "t:response"]  # type: ignore[attr-defined]
    assert view.__name__ == "view"


def test_decorator_from_middleware_with_args() -> None:
    tagged = decorator_from_middleware_with_args(Tracing)

    @tagged(tag="custom")
    def view(request: Any) -> HttpResponse:
        return HttpResponse("ok")

    assert view(make_request())["X-Tag"] == "custom"


def test_process_exception_can_answer_or_reraise() -> None:
    decorator = decorator_from_middleware(Tracing)

    @decorator
    def handled(request: Any) -> HttpResponse:
        raise KeyError("x")

    @decorator
    def unhandled(request: Any) -> HttpResponse:
        raise ValueError("boom")

    assert handled(make_request()).content == b"handled"
    with pytest.raises(ValueError, match="boom"):
        unhandled(make_request())


def test_process_request_short_circuit() -> None:
    class Refuse(MiddlewareMixin):
        def process_request(self, request: Any) -> HttpResponse:
            return HttpResponse(status=403)

    @decorator_from_middleware(Refuse)
    def view(request: Any) -> HttpResponse:
        raise AssertionError("not called")

    assert view(make_request()).status_code == 403


def test_process_response_is_deferred_until_render() -> None:
    @decorator_from_middleware(Tracing)
    def view(request: Any) -> HttpResponse:
        return FakeTemplateResponse()

    request = make_request()
    response = view(request)
    assert isinstance(response, FakeTemplateResponse)
    assert "X-Tag" not in response
    rendered = response.render()
    assert rendered["X-Tag"] == "t"
    assert request.trace[-1] == "t:response"  # type: ignore[attr-defined]


async def test_decorator_from_middleware_on_async_views() -> None:
    @decorator_from_middleware(Tracing)
    async def view(request: Any) -> HttpResponse:
        return HttpResponse("ok")

    @decorator_from_middleware(Tracing)
    async def failing(request: Any) -> HttpResponse:
        raise KeyError("x")

    assert iscoroutinefunction(view)
    request = make_request()
    assert (await view(request))["X-Tag"] == "t"
    assert request.trace == ["t:request", "t:view", "t:response"]  # type: ignore[attr-defined]
    assert (await failing(make_request())).content == b"handled"


def add_header(view_func: Any) -> Any:
    @wraps(view_func)
    def wrapper(request: Any, *args: Any, **kwargs: Any) -> Any:
        response = view_func(request, *args, **kwargs)
        response["X-Decorated"] = "yes"
        return response

    wrapper.marked = True  # type: ignore[attr-defined]
    return wrapper


def async_add_header(view_func: Any) -> Any:
    @wraps(view_func)
    async def wrapper(request: Any, *args: Any, **kwargs: Any) -> Any:
        response = await view_func(request, *args, **kwargs)
        response["X-Decorated"] = "async"
        return response

    return wrapper


def test_method_decorator_on_a_method() -> None:
    class Thing:
        @method_decorator(add_header)
        def get(self, request: Any) -> HttpResponse:
            """Docstring kept."""
            assert isinstance(self, Thing)
            return HttpResponse()

    assert Thing().get(make_request())["X-Decorated"] == "yes"
    assert Thing.get.__name__ == "get"
    assert Thing.get.__doc__ == "Docstring kept."
    assert Thing.get.marked is True  # type: ignore[attr-defined]


def test_method_decorator_with_a_list_applies_in_order() -> None:
    calls: list[str] = []

    def tag(name: str) -> Any:
        def decorator(func: Any) -> Any:
            def wrapper(*args: Any, **kwargs: Any) -> Any:
                calls.append(name)
                return func(*args, **kwargs)

            return wrapper

        return decorator

    class Thing:
        @method_decorator([tag("outer"), tag("inner")])
        def method(self) -> str:
            return "done"

    assert Thing().method() == "done"
    assert calls == ["outer", "inner"]


def test_method_decorator_on_a_class_with_name() -> None:
    @method_decorator(add_header, name="get")
    class Thing:
        def get(self, request: Any) -> HttpResponse:
            return HttpResponse()

    assert Thing().get(make_request())["X-Decorated"] == "yes"


def test_method_decorator_on_a_class_needs_a_method_name() -> None:
    with pytest.raises(
        ValueError, match="The keyword argument `name` must be the name"
    ):

        @method_decorator(add_header, name="missing")
        class Thing:
            pass

    with pytest.raises(
        TypeError, match="Cannot decorate 'attribute' as it isn't a callable"
    ):

        @method_decorator(add_header, name="attribute")
        class Other:
            attribute = 1


def test_method_decorator_name() -> None:
    assert method_decorator(add_header).__name__ == "method_decorator(add_header)"


async def test_method_decorator_on_async_methods() -> None:
    class Thing:
        @method_decorator(async_add_header)
        async def get(self, request: Any) -> HttpResponse:
            return HttpResponse()

    assert iscoroutinefunction(Thing.get)
    assert (await Thing().get(make_request()))["X-Decorated"] == "async"


def test_classonlymethod_refuses_instances() -> None:
    class Thing:
        @classonlymethod
        def build(cls) -> str:
            return cls.__name__

    assert Thing.build() == "Thing"
    with pytest.raises(AttributeError, match="only on the class, not on instances"):
        Thing().build()


def test_middleware_capability_markers() -> None:
    def factory() -> Any:
        def middleware_factory(get_response: Any) -> Any:
            return get_response

        return middleware_factory

    assert vars(sync_only_middleware(factory())) == {
        "sync_capable": True,
        "async_capable": False,
    }
    assert vars(async_only_middleware(factory())) == {
        "sync_capable": False,
        "async_capable": True,
    }
    assert vars(sync_and_async_middleware(factory())) == {
        "sync_capable": True,
        "async_capable": True,
    }
