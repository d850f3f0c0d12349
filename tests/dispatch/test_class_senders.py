"""Sending for None or a class, the request signals' senders, from remembered plans."""

from __future__ import annotations

import gc
from typing import Any

import pytest

from manouche.dispatch import Signal
from manouche.dispatch.dispatcher import loop_safe


class Sender:
    pass


@pytest.fixture
def signal() -> Signal:
    return Signal()


def _recording(calls: list[str], name: str) -> Any:
    @loop_safe
    def record(**kwargs: Any) -> str:
        calls.append(name)
        return name

    return record


@pytest.mark.parametrize("sender", [None, Sender])
def test_repeated_sends_call_the_receivers_each_time(signal, sender):
    calls: list[str] = []
    first, second = _recording(calls, "first"), _recording(calls, "second")
    signal.connect(first)
    signal.connect(second)
    assert signal.send(sender=sender) == [(first, "first"), (second, "second")]
    assert signal.send(sender=sender) == [(first, "first"), (second, "second")]
    assert signal.send_inline(sender)
    assert calls == ["first", "second"] * 3


def test_receivers_list_replaced_behind_connect_is_honoured(signal):
    calls: list[str] = []
    handler = _recording(calls, "handler")
    signal.connect(handler)
    signal.send(sender=Sender)
    saved = signal.receivers
    signal.receivers = []
    assert signal.send(sender=Sender) == []
    assert signal.send_inline(Sender)
    signal.receivers = saved
    signal.send(sender=Sender)
    assert calls == ["handler", "handler"]


def test_receivers_list_changed_in_place_is_honoured(signal):
    calls: list[str] = []
    kept, removed = _recording(calls, "kept"), _recording(calls, "removed")
    signal.connect(kept)
    signal.connect(removed)
    signal.send(sender=Sender)
    del signal.receivers[1]
    assert signal.send(sender=Sender) == [(kept, "kept")]
    assert calls == ["kept", "removed", "kept"]


def test_a_dead_weak_receiver_is_skipped(signal):
    calls: list[str] = []
    keeper = _recording(calls, "keeper")
    signal.connect(keeper)
    signal.connect(_recording(calls, "gone"))
    gc.collect()
    assert signal.send(sender=Sender) == [(keeper, "keeper")]
    assert calls == ["keeper"]


def test_a_strong_receiver_stays_connected(signal):
    calls: list[str] = []
    signal.connect(_recording(calls, "strong"), weak=False)
    gc.collect()
    signal.send(sender=Sender)
    assert signal.send_inline(Sender)
    assert calls == ["strong", "strong"]


def test_send_inline_refuses_a_receiver_not_marked_loop_safe(signal):
    calls: list[str] = []

    def blocking(**kwargs: Any) -> None:
        calls.append("blocking")

    signal.connect(blocking)
    signal.send(sender=Sender)  # plans the sender
    assert not signal.send_inline(Sender)
    assert not signal.runs_on_loop(Sender)
    assert calls == ["blocking"]


def test_a_receiver_connected_later_is_called(signal):
    calls: list[str] = []
    first, later = _recording(calls, "first"), _recording(calls, "later")
    signal.connect(first)
    signal.send(sender=Sender)
    signal.connect(later)
    signal.send(sender=Sender)
    assert calls == ["first", "first", "later"]
