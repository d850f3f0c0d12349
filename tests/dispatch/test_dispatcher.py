from __future__ import annotations

import gc
import logging
from typing import Any

import pytest

from manouche.dispatch import Signal, receiver
from manouche.test.utils import override_settings


@pytest.fixture
def signal() -> Signal:
    return Signal()


def test_send_calls_receivers_in_connection_order_with_sender_and_kwargs(signal):
    calls = []

    def first(sender, **kwargs):
        calls.append(("first", sender, kwargs["value"]))
        return 1

    def second(sender, **kwargs):
        calls.append(("second", sender, kwargs["value"]))
        return 2

    signal.connect(first)
    signal.connect(second)
    responses = signal.send(sender="me", value=42)
    assert calls == [("first", "me", 42), ("second", "me", 42)]
    assert responses == [(first, 1), (second, 2)]


def test_receivers_are_weak_by_default(signal):
    def handler(sender, **kwargs):
        return "alive"

    signal.connect(handler)
    assert signal.has_listeners()
    del handler
    gc.collect()
    assert not signal.has_listeners()
    assert signal.send(sender=None) == []


def test_strong_receivers_survive_garbage_collection(signal):
    def handler(sender, **kwargs):
        return "alive"

    signal.connect(handler, weak=False)
    del handler
    gc.collect()
    assert [value for _, value in signal.send(sender=None)] == ["alive"]


def test_bound_method_receivers_are_weak(signal):
    class Listener:
        def on_signal(self, sender, **kwargs):
            return "method"

    listener = Listener()
    signal.connect(listener.on_signal)
    assert [value for _, value in signal.send(sender=None)] == ["method"]
    del listener
    gc.collect()
    assert signal.send(sender=None) == []


def test_dispatch_uid_prevents_duplicate_connections(signal):
    def a(sender, **kwargs):
        return "a"

    def b(sender, **kwargs):
        return "b"

    signal.connect(a, dispatch_uid="only-one")
    signal.connect(b, dispatch_uid="only-one")
    assert [value for _, value in signal.send(sender=None)] == ["a"]
    assert signal.disconnect(dispatch_uid="only-one")
    assert not signal.has_listeners()


def test_connecting_the_same_receiver_twice_registers_it_once(signal):
    def handler(sender, **kwargs):
        return 1

    signal.connect(handler)
    signal.connect(handler)
    assert len(signal.send(sender=None)) == 1


def test_sender_filtering(signal):
    class A:
        pass

    class B:
        pass

    def only_a(sender, **kwargs):
        return "a"

    signal.connect(only_a, sender=A)
    assert signal.send(sender=A) == [(only_a, "a")]
    assert signal.send(sender=B) == []
    assert signal.has_listeners(A)
    assert not signal.has_listeners(B)


def test_disconnect_reports_whether_anything_was_connected(signal):
    def handler(sender, **kwargs):
        return None

    signal.connect(handler)
    assert signal.disconnect(handler) is True
    assert signal.disconnect(handler) is False


def test_send_propagates_receiver_errors(signal):
    def broken(sender, **kwargs):
        raise ValueError("boom")

    signal.connect(broken)
    with pytest.raises(ValueError, match="boom"):
        signal.send(sender=None)


def test_send_robust_returns_and_logs_errors(signal, caplog):
    def broken(sender, **kwargs):
        raise ValueError("boom")

    def fine(sender, **kwargs):
        return "ok"

    signal.connect(broken)
    signal.connect(fine)
    with caplog.at_level(logging.ERROR, logger="manouche.dispatch"):
        responses = signal.send_robust(sender=None)
    assert isinstance(responses[0][1], ValueError)
    assert responses[1] == (fine, "ok")
    assert "Error calling" in caplog.text
    assert "broken" in caplog.text


def test_send_runs_async_receivers_from_sync_code(signal):
    async def async_handler(sender, **kwargs):
        return "async"

    def sync_handler(sender, **kwargs):
        return "sync"

    signal.connect(async_handler)
    signal.connect(sync_handler)
    assert sorted(value for _, value in signal.send(sender=None)) == ["async", "sync"]


async def test_asend_awaits_async_and_runs_sync_receivers(signal):
    async def async_handler(sender, **kwargs):
        return "async"

    def sync_handler(sender, **kwargs):
        return "sync"

    signal.connect(async_handler)
    signal.connect(sync_handler)
    responses = await signal.asend(sender=None)
    assert sorted(value for _, value in responses) == ["async", "sync"]


async def test_asend_robust_collects_errors(signal):
    async def broken(sender, **kwargs):
        raise RuntimeError("async boom")

    def sync_broken(sender, **kwargs):
        raise KeyError("sync boom")

    signal.connect(broken)
    signal.connect(sync_broken)
    responses = await signal.asend_robust(sender=None)
    errors = {type(value) for _, value in responses}
    assert errors == {RuntimeError, KeyError}


def test_receiver_decorator_connects_to_several_signals():
    first, second = Signal(), Signal()
    seen: list[Any] = []

    @receiver([first, second])
    def handler(sender, **kwargs):
        seen.append(sender)

    first.send(sender=1)
    second.send(sender=2)
    assert seen == [1, 2]


@override_settings(DEBUG=True)
def test_debug_mode_refuses_receivers_without_kwargs(signal):
    def no_kwargs(sender):
        return None

    with pytest.raises(
        ValueError, match=r"must accept keyword arguments \(\*\*kwargs\)"
    ):
        signal.connect(no_kwargs)


def test_caching_signal_remembers_senders_without_receivers():
    signal = Signal(use_caching=True)

    class Sender:
        pass

    assert signal.send(sender=Sender) == []

    def handler(sender, **kwargs):
        return "now"

    signal.connect(handler, sender=Sender)
    assert signal.send(sender=Sender) == [(handler, "now")]
