"""META from scope headers: the memo of checked fields changes no answer."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from manouche.core.exceptions import RequestHeadersTooLarge
from manouche.core.handlers import _scope


def _scope_with(*headers: tuple[bytes, bytes]) -> dict[str, Any]:
    return {"http_version": "1.1", "headers": [(b"host", b"example.com"), *headers]}


def _meta(scope: dict[str, Any]) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    _scope.fill_meta_from_headers(scope, meta)
    return meta


def test_repeated_fields_give_the_same_meta() -> None:
    scope = _scope_with((b"accept", b"*/*"), (b"x-custom-thing", b"1"))
    first = _meta(scope)
    assert first == _meta(scope)
    assert first == {
        "HTTP_HOST": "example.com",
        "HTTP_ACCEPT": "*/*",
        "HTTP_X_CUSTOM_THING": "1",
    }


def test_field_with_a_control_character_is_refused_every_time() -> None:
    scope = _scope_with((b"x-evil", b"a\r\nb"))
    for _ in range(2):
        with pytest.raises(_scope.HeaderError):
            _meta(scope)
    assert (b"x-evil", b"a\r\nb") not in _scope._SEEN_FIELDS


def test_long_fields_are_not_remembered() -> None:
    value = b"v" * (_scope._SEEN_FIELD_SIZE + 1)
    assert _meta(_scope_with((b"x-long", value)))["HTTP_X_LONG"] == value.decode()
    assert (b"x-long", value) not in _scope._SEEN_FIELDS


def test_memo_stops_growing_at_its_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_scope, "_SEEN_FIELDS", {})
    monkeypatch.setattr(_scope, "_SEEN_MAX", 2)
    meta = _meta(_scope_with((b"x-one", b"1"), (b"x-two", b"2")))
    assert meta["HTTP_X_TWO"] == "2"
    assert len(_scope._SEEN_FIELDS) == 2


def test_underscore_names_stay_dropped_when_remembered() -> None:
    scope = _scope_with((b"x_forwarded_for", b"1.2.3.4"))
    assert "HTTP_X_FORWARDED_FOR" not in _meta(scope)
    assert "HTTP_X_FORWARDED_FOR" not in _meta(scope)


def test_second_host_is_refused_even_when_both_are_remembered() -> None:
    _meta({"http_version": "1.1", "headers": [(b"host", b"other.example")]})
    _meta(_scope_with())
    with pytest.raises(_scope.HeaderError, match="More than one Host header"):
        _meta(_scope_with((b"host", b"other.example")))


def test_field_size_limit_applies_to_remembered_fields() -> None:
    scope = _scope_with((b"x-size", b"y" * 100))
    _meta(scope)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_scope, "_limits", replace(_scope.get_limits(), field_max=50))
        with pytest.raises(RequestHeadersTooLarge):
            _meta(scope)


# Whole header blocks ------------------------------------------------------


def test_repeated_block_gives_a_fresh_equal_meta() -> None:
    scope = _scope_with((b"accept", b"*/*"), (b"cookie", b"a=1; "))
    first = _meta(scope)
    second = _meta(scope)
    assert (
        first
        == second
        == {
            "HTTP_HOST": "example.com",
            "HTTP_ACCEPT": "*/*",
            "HTTP_COOKIE": "a=1",
        }
    )
    assert first is not second


def test_fields_given_as_lists_are_checked_too() -> None:
    scope = {"http_version": "1.1", "headers": [[b"host", b"example.com"]]}
    assert _meta(scope) == {"HTTP_HOST": "example.com"}
    evil = {"http_version": "1.1", "headers": [[b"host", b"a\nb"]]}
    with pytest.raises(_scope.HeaderError):
        _meta(evil)


def test_missing_host_is_refused_on_http_1_1_only() -> None:
    headers = [(b"accept", b"text/plain")]
    for version in ("1.0", "1.1"):
        # Twice: the second answer comes from the remembered block.
        scope = {"http_version": version, "headers": headers}
        assert _meta(scope) == _meta(scope) == {"HTTP_ACCEPT": "text/plain"}
    _scope.check_host_present({"http_version": "1.0"}, {})
    _scope.check_host_present({"http_version": "1.1"}, {"HTTP_HOST": "a.example"})
    with pytest.raises(_scope.HeaderError, match="without a Host"):
        _scope.check_host_present({"http_version": "1.1"}, {"HTTP_ACCEPT": "x"})


def test_remembered_block_is_checked_again_under_new_limits() -> None:
    scope = _scope_with((b"x-block", b"z" * 100))
    _meta(scope)
    _meta(scope)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_scope, "_limits", replace(_scope.get_limits(), count_max=1))
        with pytest.raises(RequestHeadersTooLarge):
            _meta(scope)
    assert _meta(scope)["HTTP_X_BLOCK"] == "z" * 100


def test_block_memo_is_emptied_when_full(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_scope, "_SEEN_BLOCKS", {})
    monkeypatch.setattr(_scope, "_SEEN_BLOCKS_MAX", 2)
    for number in range(3):
        _meta(_scope_with((b"x-n", str(number).encode())))
    assert len(_scope._SEEN_BLOCKS) == 1


def test_large_blocks_are_not_remembered(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_scope, "_SEEN_BLOCKS", {})
    value = b"w" * (_scope._SEEN_BLOCK_SIZE + 1)
    assert _meta(_scope_with((b"x-big", value)))["HTTP_X_BIG"] == value.decode()
    assert _scope._SEEN_BLOCKS == {}
