"""asend: which sync receivers run on the event loop and which in a thread."""

from __future__ import annotations


async def test_asend_calls_loop_safe_receivers_inline_and_others_in_a_thread() -> None:
    import threading

    from manouche.dispatch import Signal
    from manouche.dispatch.dispatcher import loop_safe

    signal = Signal()
    threads: dict[str, int] = {}

    @loop_safe
    def quick(**kwargs: object) -> str:
        threads["quick"] = threading.get_ident()
        return "quick"

    def blocking(**kwargs: object) -> str:
        threads["blocking"] = threading.get_ident()
        return "blocking"

    signal.connect(quick, weak=False)
    assert await signal.asend(sender=None) == [(quick, "quick")]
    assert threads["quick"] == threading.get_ident()
    signal.connect(blocking, weak=False)
    results = await signal.asend(sender=None)
    assert [value for _receiver, value in results] == ["quick", "blocking"]
    assert threads["blocking"] != threading.get_ident()


def test_runs_on_loop_follows_the_receivers() -> None:
    from manouche.dispatch import Signal
    from manouche.dispatch.dispatcher import loop_safe

    signal = Signal()

    @loop_safe
    def quick(**kwargs: object) -> None:
        return None

    def blocking(**kwargs: object) -> None:
        return None

    async def awaited(**kwargs: object) -> None:
        return None

    assert signal.runs_on_loop(None)
    signal.connect(quick, weak=False)
    assert signal.runs_on_loop(None)
    signal.connect(blocking, weak=False)
    assert not signal.runs_on_loop(None)
    signal.disconnect(blocking)
    assert signal.runs_on_loop(None)
    signal.connect(awaited, weak=False)
    assert not signal.runs_on_loop(None)


async def test_asend_skips_a_loop_safe_receiver_collected_after_a_send() -> None:
    import gc

    from manouche.dispatch import Signal
    from manouche.dispatch.dispatcher import loop_safe

    signal = Signal()
    calls: list[str] = []

    @loop_safe
    def kept(**kwargs: object) -> None:
        calls.append("kept")

    def make_dropped() -> object:
        @loop_safe
        def dropped(**kwargs: object) -> None:
            calls.append("dropped")

        return dropped

    dropped = make_dropped()
    signal.connect(kept)
    signal.connect(dropped)  # type: ignore[arg-type]
    await signal.asend(sender=None)
    assert calls == ["kept", "dropped"]
    del dropped
    gc.collect()
    calls.clear()
    assert [receiver for receiver, _ in await signal.asend(sender=None)] == [kept]
    assert calls == ["kept"]


async def test_asend_returns_sync_then_async_results() -> None:
    from manouche.dispatch import Signal
    from manouche.dispatch.dispatcher import loop_safe

    signal = Signal()

    async def awaited(**kwargs: object) -> str:
        return "awaited"

    @loop_safe
    def quick(**kwargs: object) -> str:
        return "quick"

    signal.connect(awaited, weak=False)
    signal.connect(quick, weak=False)
    assert await signal.asend(sender=None) == [(quick, "quick"), (awaited, "awaited")]


def test_send_inline_calls_loop_safe_receivers_in_order() -> None:
    from manouche.dispatch import Signal
    from manouche.dispatch.dispatcher import loop_safe

    signal = Signal()
    calls: list[tuple[str, object]] = []

    @loop_safe
    def first(sender: object, **kwargs: object) -> None:
        calls.append(("first", kwargs["value"]))

    @loop_safe
    def second(sender: object, **kwargs: object) -> None:
        calls.append(("second", kwargs["signal"] is signal))

    assert signal.send_inline(None, value=1)  # no receivers: nothing to await
    signal.connect(first, weak=False)
    signal.connect(second, weak=False)
    assert signal.send_inline(None, value=2)
    assert calls == [("first", 2), ("second", True)]


def test_send_inline_refuses_when_asend_must_be_awaited() -> None:
    from manouche.dispatch import Signal
    from manouche.dispatch.dispatcher import loop_safe

    calls: list[str] = []

    @loop_safe
    def quick(**kwargs: object) -> None:
        calls.append("quick")

    def blocking(**kwargs: object) -> None:
        calls.append("blocking")

    async def coroutine(**kwargs: object) -> None:
        calls.append("coroutine")

    for other in (blocking, coroutine):
        signal = Signal()
        signal.connect(quick, weak=False)
        signal.connect(other, weak=False)
        assert not signal.send_inline(None)
    assert calls == []
