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

__all__ = ["NO_RECEIVERS", "Signal", "is_loop_safe", "loop_safe", "receiver"]

F = TypeVar("F", bound=Callable[..., Any])

logger = logging.getLogger("manouche.dispatch")

NONE_ID = id(None)
NO_RECEIVERS = object()

_LookupKey = tuple[Any, int]
# (lookup key, receiver or weak reference, sender weak reference or None, is async)
_Entry = tuple[_LookupKey, Any, Any, bool]


def loop_safe(func: F) -> F:
    """Mark a sync receiver as safe to call on the event loop (it never blocks).

    ``asend`` runs sync receivers in a worker thread; when every sync receiver
    of a signal is marked, it calls them inline and saves the thread hop (the
    request signals are sent twice per request).
    """
    func.manouche_loop_safe = True  # type: ignore[attr-defined]
    return func


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
        self._fast_cache: dict[int, list[tuple[Any, bool]]] = {}

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
        return disconnected

    def has_listeners(self, sender: Any = None) -> bool:
        """Tell whether any receiver listens for ``sender``."""
        sync_receivers, async_receivers = self._live_receivers(sender)
        return bool(sync_receivers) or bool(async_receivers)

    def send(self, sender: Any, **named: Any) -> list[tuple[Any, Any]]:
        """Call every receiver; an exception stops sending and propagates."""
        if (
            not self.receivers
            or self.sender_receivers_cache.get(sender) is NO_RECEIVERS
        ):
            return []
        sync_receivers, async_receivers = self._live_receivers(sender)
        responses = [
            (r, r(signal=self, sender=sender, **named)) for r in sync_receivers
        ]
        if async_receivers:

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
        sync_receivers, async_receivers = self._live_receivers(sender)

        def call_sync() -> list[Any]:
            return [r(signal=self, sender=sender, **named) for r in sync_receivers]

        sync_results = await _call_sync_receivers(sync_receivers, call_sync)
        async_results = await asyncio.gather(
            *(r(signal=self, sender=sender, **named) for r in async_receivers)
        )
        return [
            *zip(sync_receivers, sync_results, strict=True),
            *zip(async_receivers, async_results, strict=True),
        ]

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
        receivers = None
        if self.use_caching and not self._dead_receivers:
            receivers = self.sender_receivers_cache.get(sender)
            if receivers is NO_RECEIVERS:
                return [], []
        # None and classes, the usual senders, are looked up without the lock:
        # the cache is emptied on every connect, disconnect or receiver death.
        fast_key = None
        if receivers is None and (sender is None or isinstance(sender, type)):
            fast_key = id(sender)
            if not self._dead_receivers:
                receivers = self._fast_cache.get(fast_key)
        if receivers is None:
            with self.lock:
                self._clear_dead_receivers()
                sender_key = _make_id(sender)
                receivers = []
                for (_, receiver_key), stored, _sender_ref, is_async in self.receivers:
                    if receiver_key in (NONE_ID, sender_key):
                        receivers.append((stored, is_async))
                if self.use_caching:
                    self.sender_receivers_cache[sender] = receivers or NO_RECEIVERS
                if fast_key is not None:
                    self._fast_cache[fast_key] = receivers
        sync_receivers: list[Any] = []
        async_receivers: list[Any] = []
        for stored, is_async in receivers:
            live = stored() if isinstance(stored, weakref.ReferenceType) else stored
            if live is None:
                continue
            (async_receivers if is_async else sync_receivers).append(live)
        return sync_receivers, async_receivers


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
