"""Signals: decoupled notifications from senders to receivers."""

from manouche.dispatch.dispatcher import Signal, receiver

__all__ = ["Signal", "receiver"]
