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
