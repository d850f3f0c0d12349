"""Content given to HttpResponse(): bytes go straight in, unless a subclass says how."""

from __future__ import annotations

from typing import Any

from manouche.http import HttpResponse


def test_bytes_content_is_the_body() -> None:
    response = HttpResponse(b"Hello")
    assert response.content == b"Hello"
    assert list(response) == [b"Hello"]
    assert response.text == "Hello"
    response.write(b", world")
    assert response.content == b"Hello, world"


def test_subclass_content_setter_sees_bytes_too() -> None:
    seen: list[Any] = []

    class Upper(HttpResponse):
        @property
        def content(self) -> bytes:
            return b"".join(self._container)

        @content.setter
        def content(self, value: Any) -> None:
            seen.append(value)
            self._container = [bytes(value).upper()]

    response = Upper(b"quiet")
    assert seen == [b"quiet"]
    assert response.content == b"QUIET"


def test_text_content_is_encoded_with_the_charset() -> None:
    response = HttpResponse("café", charset="latin-1")
    assert response.content == "café".encode("latin-1")
