"""sensitive_variables and sensitive_post_parameters markers."""

from __future__ import annotations

import sys
from typing import Any

import pytest

from manouche.http import HttpResponse
from manouche.views.decorators.debug import (
    coroutine_functions_to_sensitive_variables,
    sensitive_post_parameters,
    sensitive_variables,
)
from tests.middleware.helpers import make_request


def test_sensitive_variables_marks_the_wrapper_frame() -> None:
    captured: dict[str, Any] = {}

    @sensitive_variables("password")
    def login(password: str) -> None:
        frame = sys._getframe(1)
        captured["name"] = frame.f_code.co_name
        captured["wrapper"] = frame.f_locals["sensitive_variables_wrapper"]

    login("secret")
    assert captured["name"] == "sensitive_variables_wrapper"
    assert captured["wrapper"].sensitive_variables == ("password",)
    assert login.__name__ == "login"


def test_sensitive_variables_without_names_hides_all() -> None:
    @sensitive_variables()
    def func() -> None:
        pass

    func()
    assert func.sensitive_variables == "__ALL__"  # type: ignore[attr-defined]


def test_sensitive_variables_must_be_called() -> None:
    with pytest.raises(TypeError) as excinfo:

        @sensitive_variables  # type: ignore[arg-type]
        def func() -> None:
            pass

    assert str(excinfo.value) == (
        "sensitive_variables() must be called to use it as a decorator, e.g., use "
        "@sensitive_variables(), not @sensitive_variables."
    )


def test_sensitive_variables_registers_coroutine_functions() -> None:
    async def secret(password: str) -> None:
        pass

    decorated = sensitive_variables("password")(secret)
    assert decorated is secret
    code = secret.__code__
    key = hash(f"{code.co_filename}:{code.co_firstlineno}")
    assert coroutine_functions_to_sensitive_variables[key] == ("password",)


def test_sensitive_variables_refuses_native_coroutine_functions() -> None:
    from manouche.utils.asyncio import markcoroutinefunction

    class Native:
        __name__ = "native"

        def __call__(self) -> None:
            pass

    native = markcoroutinefunction(Native())
    with pytest.raises(ValueError) as excinfo:
        sensitive_variables()(native)
    assert str(excinfo.value) == (
        "native cannot safely be wrapped by @sensitive_variables, make it either "
        "non-async or defined in a Python file (not a builtin or from a native "
        "extension)."
    )


async def test_sensitive_post_parameters_marks_the_request() -> None:
    @sensitive_post_parameters("password", "card")
    def view(request: Any) -> HttpResponse:
        return HttpResponse()

    @sensitive_post_parameters()
    async def async_view(request: Any) -> HttpResponse:
        return HttpResponse()

    request = make_request("POST")
    view(request)
    assert request.sensitive_post_parameters == ("password", "card")  # type: ignore[attr-defined]
    await async_view(request)
    assert request.sensitive_post_parameters == "__ALL__"  # type: ignore[attr-defined]


def test_sensitive_post_parameters_needs_a_request() -> None:
    class Thing:
        @sensitive_post_parameters()
        def post(self, request: Any) -> HttpResponse:
            return HttpResponse()

    with pytest.raises(TypeError, match="didn't receive an HttpRequest object"):
        Thing().post(make_request())
    with pytest.raises(TypeError, match="must be called to use it as a decorator"):
        sensitive_post_parameters(lambda r: r)  # type: ignore[arg-type]
