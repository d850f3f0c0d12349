"""idle_when: send_inline skips receivers that have nothing to do."""

from __future__ import annotations

from manouche.dispatch import Signal
from manouche.dispatch.dispatcher import idle_when, loop_safe


def _recording_signal(
    idle: dict[str, bool], asked: list[str]
) -> tuple[Signal, list[str]]:
    signal = Signal()
    calls: list[str] = []

    def is_idle() -> bool:
        asked.append("asked")
        return idle["now"]

    @loop_safe
    @idle_when(is_idle)
    def housekeeping(**kwargs: object) -> str:
        calls.append("housekeeping")
        return "housekept"

    @loop_safe
    @idle_when(is_idle)
    def more_housekeeping(**kwargs: object) -> None:
        calls.append("more")

    @loop_safe
    def always(**kwargs: object) -> None:
        calls.append("always")

    for receiver in (housekeeping, more_housekeeping, always):
        signal.connect(receiver, weak=False)
    return signal, calls


def test_send_inline_skips_idle_receivers_and_asks_a_shared_predicate_once() -> None:
    idle = {"now": True}
    asked: list[str] = []
    signal, calls = _recording_signal(idle, asked)
    assert signal.send_inline(None)
    assert calls == ["always"]
    assert asked == ["asked"]


def test_send_inline_calls_receivers_once_their_predicate_says_busy() -> None:
    idle = {"now": True}
    signal, calls = _recording_signal(idle, [])
    signal.send_inline(None)
    idle["now"] = False
    calls.clear()
    signal.send_inline(None)
    assert calls == ["housekeeping", "more", "always"]


def test_send_still_calls_and_answers_for_idle_receivers() -> None:
    signal, calls = _recording_signal({"now": True}, [])
    responses = signal.send(sender=None)
    assert calls == ["housekeeping", "more", "always"]
    assert responses[0][1] == "housekept"
