"""The Signal class: receivers held by weak reference, sync and async sending.

Receivers connect once per (receiver id, sender id) or per ``dispatch_uid``.
``send`` runs async receivers through ``async_to_sync``; ``asend`` runs sync
receivers on the thread pool and awaits async ones concurrently.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import weakref
from collections.abc import Callable
from typing import Any, TypeVar

from manouche.utils.asyncio import async_to_sync, iscoroutinefunction, run_sync

__all__ = [
    "NO_RECEIVERS",
    "Signal",
    "idle_when",
    "is_loop_safe",
    "loop_safe",
    "receiver",
]

F = TypeVar("F", bound=Callable[..., Any])

logger = logging.getLogger("manouche.dispatch")

NONE_ID = id(None)
NO_RECEIVERS = object()

_LookupKey = tuple[Any, int]
# (lookup key, receiver or weak reference, sender weak reference or None, is async)
_Entry = tuple[_LookupKey, Any, Any, bool]
# The receivers called for one sender, as (stored receiver or weak reference,
# is a reference) pairs: (sync, async, whether every sync receiver is loop-safe).
_Stored = tuple[tuple[Any, bool], ...]
_Plan = tuple[_Stored, _Stored, bool]
_NO_PLAN: _Plan = ((), (), True)
# For a sender with sync receivers only: the receivers list planned from and
# its length (a list assigned or changed behind connect() goes unused), a
# callable per receiver returning it (None once dead), whether all are
# loop-safe, and the same callables in runs sharing an idle predicate (None:
# never idle), each run with its predicate.
_Runs = tuple[tuple[Callable[[], bool] | None, tuple[Callable[[], Any], ...]], ...]
_SyncPlan = tuple[list[Any], int, tuple[Callable[[], Any], ...], bool, _Runs]
_IdleChecks = tuple[Callable[[], bool], ...]
_InlineLast = tuple[Any, list[Any] | None, int, _Runs | None, _IdleChecks | None]
_NO_INLINE: _InlineLast = (object(), None, 0, None, None)


def loop_safe(func: F) -> F:
    """Mark a sync receiver as safe to call on the event loop (it never blocks).

    ``asend`` runs sync receivers in a worker thread; when every sync receiver
    of a signal is marked, it calls them inline and saves the thread hop (the
    request signals are sent twice per request).
    """
    func.manouche_loop_safe = True  # type: ignore[attr-defined]
    return func


def idle_when(predicate: Callable[[], bool]) -> Callable[[F], F]:
    """Let :meth:`Signal.send_inline` skip a receiver while ``predicate()`` holds.

    For framework receivers that usually have nothing to do, such as the
    database housekeeping connected to the request signals: asking one cheap
    question per request beats calling each receiver with its keyword
    arguments. ``predicate`` must be true only when calling the receiver
    would change nothing. ``send`` and ``asend`` still call every receiver.
    """

    def mark(func: F) -> F:
        func.manouche_idle_when = predicate  # type: ignore[attr-defined]
        return func

    return mark


def is_loop_safe(receiver: Any) -> bool:
    """Whether ``receiver`` was marked with :func:`loop_safe`."""
    return bool(getattr(receiver, "manouche_loop_safe", False))


async def _call_sync_receivers(
    receivers: list[Any], call: Callable[[], list[Any]]
) -> list[Any]:
    """Run ``call`` inline when every receiver is loop-safe, else in a thread."""
    if not receivers:
        return []
    if all(is_loop_safe(receiver) for receiver in receivers):
        return call()
    return await run_sync(call)


def _make_id(target: Any) -> Any:
    if hasattr(target, "__func__"):
        return (id(target.__self__), id(target.__func__))
    return id(target)


class Signal:
    """A notification that senders send and receivers listen to."""

    def __init__(self, use_caching: bool = False) -> None:
        self.receivers: list[_Entry] = []
        self.lock = threading.Lock()
        self.use_caching = use_caching
        self.sender_receivers_cache: Any = (
            weakref.WeakKeyDictionary() if use_caching else {}
        )
        self._dead_receivers = False
        self._fast_cache: dict[int, _Plan] = {}
        #: Keyed by id(sender) for None and classes: the request signals'
        #: senders. Reset with _fast_cache.
        self._sync_cache: dict[int, _SyncPlan] = {}
        #: send_inline's last sender, the receivers list and length it was
        #: planned from, its runs (None: not inline) and, when every receiver
        #: is marked idle_when, their predicates (else None): the request
        #: signals see the same sender request after request, and the
        #: generated request coroutine (``core/handlers/_serve.py``) asks
        #: those predicates itself.
        self._inline_last: _InlineLast = _NO_INLINE
        #: The receivers list (and its length) the plans above were made from.
        self._planned_from: list[_Entry] | None = None
        self._planned_length = 0

    def connect(
        self,
        receiver: Callable[..., Any],
        sender: Any = None,
        weak: bool = True,
        dispatch_uid: Any = None,
    ) -> None:
        """Connect ``receiver``, which must accept ``**kwargs``, to this signal."""
        from manouche.conf import settings

        if settings.configured and settings.DEBUG:
            if not callable(receiver):
                raise TypeError("Signal receivers must be callable.")
            import inspect

            try:
                signature = inspect.signature(receiver)
            except (TypeError, ValueError):
                signature = None
            if signature is not None and not any(
                p.kind is inspect.Parameter.VAR_KEYWORD
                for p in signature.parameters.values()
            ):
                raise ValueError(
                    "Signal receivers must accept keyword arguments (**kwargs)."
                )

        lookup_key = (
            dispatch_uid if dispatch_uid else _make_id(receiver),
            _make_id(sender),
        )
        is_async = iscoroutinefunction(receiver)
        stored: Any = receiver
        if weak:
            reference: Any = weakref.ref
            target = receiver
            if hasattr(receiver, "__self__") and hasattr(receiver, "__func__"):
                reference = weakref.WeakMethod
                target = receiver.__self__
            stored = reference(receiver)
            weakref.finalize(target, self._flag_dead_receivers)
        sender_ref = None
        if sender is not None:
            try:
                sender_ref = weakref.ref(sender, self._flag_dead_receivers)
            except TypeError:
                sender_ref = None
        with self.lock:
            self._clear_dead_receivers()
            if not any(entry[0] == lookup_key for entry in self.receivers):
                self.receivers.append((lookup_key, stored, sender_ref, is_async))
            self.sender_receivers_cache.clear()
            self._fast_cache = {}
            self._sync_cache = {}
            self._inline_last = _NO_INLINE

    def disconnect(
        self,
        receiver: Callable[..., Any] | None = None,
        sender: Any = None,
        dispatch_uid: Any = None,
    ) -> bool:
        """Disconnect a receiver; return whether one was connected."""
        lookup_key = (
            dispatch_uid if dispatch_uid else _make_id(receiver),
            _make_id(sender),
        )
        disconnected = False
        with self.lock:
            self._clear_dead_receivers()
            for index, entry in enumerate(self.receivers):
                if entry[0] == lookup_key:
                    disconnected = True
                    del self.receivers[index]
                    break
            self.sender_receivers_cache.clear()
            self._fast_cache = {}
            self._sync_cache = {}
            self._inline_last = _NO_INLINE
        return disconnected

    def has_listeners(self, sender: Any = None) -> bool:
        """Tell whether any receiver listens for ``sender``."""
        sync_receivers, async_receivers = self._live_receivers(sender)
        return bool(sync_receivers) or bool(async_receivers)

    def send(self, sender: Any, **named: Any) -> list[tuple[Any, Any]]:
        """Call every receiver; an exception stops sending and propagates."""
        receivers = self.receivers
        if receivers and (sender is None or isinstance(sender, type)):
            planned = self._sync_cache.get(id(sender))
            if (
                planned is not None
                and planned[0] is receivers
                and planned[1] == len(receivers)
            ):
                responses = []
                for reference in planned[2]:
                    r = reference()
                    if r is not None:
                        responses.append((r, r(signal=self, sender=sender, **named)))
                return responses
        if not receivers or (
            self.use_caching and self.sender_receivers_cache.get(sender) is NO_RECEIVERS
        ):
            return []
        sync_stored, async_stored, _on_loop = self._plan(sender)
        responses = []
        # Dereferenced inline: this runs twice per request for the request signals.
        for stored, is_reference in sync_stored:
            r = stored() if is_reference else stored
            if r is not None:
                responses.append((r, r(signal=self, sender=sender, **named)))
        if async_stored:
            async_receivers = _dereference(async_stored)

            async def gather() -> list[Any]:
                return list(
                    await asyncio.gather(
                        *(
                            r(signal=self, sender=sender, **named)
                            for r in async_receivers
                        )
                    )
                )

            results = async_to_sync(gather)()
            responses.extend(zip(async_receivers, results, strict=True))
        return responses

    def send_robust(self, sender: Any, **named: Any) -> list[tuple[Any, Any]]:
        """Call every receiver; exceptions are logged and returned as responses."""
        if (
            not self.receivers
            or self.sender_receivers_cache.get(sender) is NO_RECEIVERS
        ):
            return []
        sync_receivers, async_receivers = self._live_receivers(sender)
        responses: list[tuple[Any, Any]] = []
        for r in sync_receivers:
            try:
                responses.append((r, r(signal=self, sender=sender, **named)))
            except Exception as err:
                self._log_robust_failure(r, err)
                responses.append((r, err))
        if async_receivers:

            async def gather() -> list[Any]:
                return list(
                    await asyncio.gather(
                        *(self._call_robust(r, sender, named) for r in async_receivers)
                    )
                )

            responses.extend(zip(async_receivers, async_to_sync(gather)(), strict=True))
        return responses

    async def asend(self, sender: Any, **named: Any) -> list[tuple[Any, Any]]:
        """Await every receiver; sync receivers run off the event loop."""
        if (
            not self.receivers
            or self.sender_receivers_cache.get(sender) is NO_RECEIVERS
        ):
            return []
        sync_stored, async_stored, on_loop = self._plan(sender)
        responses: list[tuple[Any, Any]] = []
        if on_loop:
            # Loop-safe receivers (the request signals): no thread, no gather.
            for stored, is_reference in sync_stored:
                r = stored() if is_reference else stored
                if r is not None:
                    responses.append((r, r(signal=self, sender=sender, **named)))
        else:
            sync_receivers = _dereference(sync_stored)
            sync_results = await run_sync(
                lambda: [r(signal=self, sender=sender, **named) for r in sync_receivers]
            )
            responses.extend(zip(sync_receivers, sync_results, strict=True))
        if async_stored:
            async_receivers = _dereference(async_stored)
            async_results = await asyncio.gather(
                *(r(signal=self, sender=sender, **named) for r in async_receivers)
            )
            responses.extend(zip(async_receivers, async_results, strict=True))
        return responses

    def send_inline(self, sender: Any, **named: Any) -> bool:
        """Call the receivers as ``asend`` would, if that needs no await.

        Return False, calling none, when ``asend`` must be awaited instead: an
        async receiver, or a sync one not marked :func:`loop_safe`. Spares
        the request signals a coroutine and a list of results per request.
        Receivers marked :func:`idle_when` are skipped while they are idle.
        """
        receivers = self.receivers
        if not receivers:
            return True
        last = self._inline_last
        if last[0] is sender and last[1] is receivers and last[2] == len(receivers):
            runs = last[3]
        else:
            runs = self._inline_runs(sender)
        if runs is None:
            return False
        # Receivers next to each other often share a predicate: asked once.
        for predicate, references in runs:
            if predicate is not None and predicate():
                continue
            for reference in references:
                r = reference()
                if r is not None:
                    r(signal=self, sender=sender, **named)
        return True

    def _inline_runs(self, sender: Any) -> _Runs | None:
        """Plan send_inline for ``sender`` and remember it as the last one."""
        receivers = self.receivers
        # Only None and classes are remembered: an instance may be large.
        remembered = sender is None or isinstance(sender, type)
        planned = self._sync_cache.get(id(sender)) if remembered else None
        if (
            planned is None
            or planned[0] is not receivers
            or planned[1] != len(receivers)
        ):
            sync_stored, async_stored, on_loop = self._plan(sender)
            if async_stored or not on_loop:
                runs = None
            else:
                runs = self._sync_plan(sender, sync_stored, on_loop)[4]
        else:
            runs = planned[4] if planned[3] else None
        if remembered:
            predicates = [predicate for predicate, _ in runs or ()]
            idle_checks = (
                tuple(p for p in predicates if p is not None)
                if predicates and None not in predicates
                else None
            )
            self._inline_last = (sender, receivers, len(receivers), runs, idle_checks)
        return runs

    def runs_on_loop(self, sender: Any) -> bool:
        """Tell whether ``send(sender)`` may be called on the event loop.

        True when no receiver would be called, or when every one is sync and
        marked :func:`loop_safe`.
        """
        receivers = self.receivers
        if not receivers:
            return True
        if sender is None or isinstance(sender, type):
            planned = self._sync_cache.get(id(sender))
            if (
                planned is not None
                and planned[0] is receivers
                and planned[1] == len(receivers)
            ):
                return planned[3]
        _sync, async_stored, on_loop = self._plan(sender)
        return on_loop and not async_stored

    async def asend_robust(self, sender: Any, **named: Any) -> list[tuple[Any, Any]]:
        """Await every receiver, returning exceptions as responses."""
        if (
            not self.receivers
            or self.sender_receivers_cache.get(sender) is NO_RECEIVERS
        ):
            return []
        sync_receivers, async_receivers = self._live_receivers(sender)

        def call_sync() -> list[Any]:
            results = []
            for r in sync_receivers:
                try:
                    results.append(r(signal=self, sender=sender, **named))
                except Exception as err:
                    self._log_robust_failure(r, err)
                    results.append(err)
            return results

        sync_results = await _call_sync_receivers(sync_receivers, call_sync)
        async_results = await asyncio.gather(
            *(self._call_robust(r, sender, named) for r in async_receivers)
        )
        return [
            *zip(sync_receivers, sync_results, strict=True),
            *zip(async_receivers, async_results, strict=True),
        ]

    async def _call_robust(self, r: Any, sender: Any, named: dict[str, Any]) -> Any:
        try:
            return await r(signal=self, sender=sender, **named)
        except Exception as err:
            self._log_robust_failure(r, err)
            return err

    def _log_robust_failure(self, receiver: Any, err: Exception) -> None:
        logger.error(
            "Error calling %s in Signal.send_robust() (%s)",
            getattr(receiver, "__qualname__", repr(receiver)),
            err,
            exc_info=err,
        )

    def _flag_dead_receivers(self, reference: Any = None) -> None:
        self._dead_receivers = True
        self._fast_cache = {}
        self._sync_cache = {}
        self._inline_last = _NO_INLINE

    def _clear_dead_receivers(self) -> None:
        if not self._dead_receivers:
            return
        self._dead_receivers = False
        self.receivers = [
            entry
            for entry in self.receivers
            if not (isinstance(entry[1], weakref.ReferenceType) and entry[1]() is None)
            and not (entry[2] is not None and entry[2]() is None)
        ]

    def _live_receivers(self, sender: Any) -> tuple[list[Any], list[Any]]:
        sync_stored, async_stored, _on_loop = self._plan(sender)
        return _dereference(sync_stored), _dereference(async_stored)

    def _plan(self, sender: Any) -> _Plan:
        """Return the stored receivers for ``sender``, planned once.

        Senders that are None or classes (the request signals) are looked up
        without the lock: the plans are forgotten on every connect, disconnect
        or receiver death.
        """
        if self.use_caching and not self._dead_receivers:
            plan = self.sender_receivers_cache.get(sender)
            if plan is NO_RECEIVERS:
                return _NO_PLAN
            if plan is not None:
                return plan  # type: ignore[no-any-return]
        receivers = self.receivers
        if self._planned_from is not receivers or self._planned_length != len(
            receivers
        ):
            # Changed behind connect() (tests save and restore the list).
            self._fast_cache = {}
            self._sync_cache = {}
            self._inline_last = _NO_INLINE
            self._planned_from, self._planned_length = receivers, len(receivers)
        fast_key = None
        if sender is None or isinstance(sender, type):
            fast_key = id(sender)
            if not self._dead_receivers:
                plan = self._fast_cache.get(fast_key)
                if plan is not None:
                    return plan
        with self.lock:
            self._clear_dead_receivers()
            sender_key = _make_id(sender)
            sync_stored: list[tuple[Any, bool]] = []
            async_stored: list[tuple[Any, bool]] = []
            for (_, receiver_key), stored, _sender_ref, is_async in self.receivers:
                if receiver_key in (NONE_ID, sender_key):
                    entry = (stored, isinstance(stored, weakref.ReferenceType))
                    (async_stored if is_async else sync_stored).append(entry)
            # Checked on the receivers alive now; one dying empties the caches.
            on_loop = all(is_loop_safe(r) for r in _dereference(tuple(sync_stored)))
            plan = (tuple(sync_stored), tuple(async_stored), on_loop)
            if self.use_caching:
                self.sender_receivers_cache[sender] = (
                    plan if sync_stored or async_stored else NO_RECEIVERS
                )
            if fast_key is not None:
                self._fast_cache[fast_key] = plan
                if not async_stored:
                    self._sync_plan(sender, plan[0], on_loop)
        return plan

    def _sync_plan(self, sender: Any, stored: _Stored, on_loop: bool) -> _SyncPlan:
        """Remember how to call ``sender``'s receivers, all sync, with no plan."""
        references = tuple(
            reference if is_reference else _strong_reference(reference)
            for reference, is_reference in stored
        )
        receivers = self.receivers
        runs: list[tuple[Any, list[Callable[[], Any]]]] = []
        for reference in references:
            predicate = getattr(reference(), "manouche_idle_when", None)
            # ==, not is: each look-up of a bound method makes a new object.
            if runs and runs[-1][0] == predicate:
                runs[-1][1].append(reference)
            else:
                runs.append((predicate, [reference]))
        idle = tuple((predicate, tuple(run)) for predicate, run in runs)
        planned = (receivers, len(receivers), references, on_loop, idle)
        if sender is None or isinstance(sender, type):
            self._sync_cache[id(sender)] = planned
        return planned


def _strong_reference(receiver: Any) -> Callable[[], Any]:
    """Return a callable that answers ``receiver``, as a weak reference would."""
    return lambda: receiver


def _dereference(stored_receivers: tuple[tuple[Any, bool], ...]) -> list[Any]:
    """Return the receivers still alive among stored references and objects."""
    live_receivers = []
    for stored, is_reference in stored_receivers:
        live = stored() if is_reference else stored
        if live is not None:
            live_receivers.append(live)
    return live_receivers


def receiver(
    signal: Signal | list[Signal] | tuple[Signal, ...], **kwargs: Any
) -> Callable[[Any], Any]:
    """Connect the decorated function to one signal or several."""

    def decorator(func: Any) -> Any:
        if isinstance(signal, list | tuple):
            for s in signal:
                s.connect(func, **kwargs)
        else:
            signal.connect(func, **kwargs)
        return func

    return decorator
