"""ModelSignal: lazy "app_label.ModelName" senders and the ``apps`` argument."""

from __future__ import annotations

from typing import Any

import pytest

from manouche.apps.registry import Apps
from manouche.db import models
from manouche.db.models import signals
from manouche.test.utils import isolate_apps


def test_string_sender_must_name_app_label_and_model() -> None:
    def receiver(**kwargs: Any) -> None:
        pass

    with pytest.raises(ValueError, match="Invalid model reference 'invalid'"):
        signals.post_init.connect(receiver, sender="invalid")


def test_string_sender_connects_once_the_model_is_registered() -> None:
    received: list[Any] = []

    def receiver(**kwargs: Any) -> None:
        received.append(kwargs["sender"])

    with isolate_apps("tests.apps.custom_label") as registry:
        signals.post_init.connect(
            receiver, sender="custom_label.Later", weak=False, apps=registry
        )

        class Later(models.Model):
            class Meta:
                app_label = "custom_label"

        try:
            Later()
            assert received == [Later]
        finally:
            assert signals.post_init.disconnect(receiver, sender=Later) is True


def test_disconnect_with_string_sender_returns_none() -> None:
    def receiver(**kwargs: Any) -> None:
        pass

    with isolate_apps("tests.apps.custom_label") as registry:
        signals.post_init.connect(receiver, sender="custom_label.Gone", apps=registry)
        assert (
            signals.post_init.disconnect(
                receiver, sender="custom_label.Gone", apps=registry
            )
            is None
        )


def test_class_sender_is_connected_immediately_without_pending_operation() -> None:
    def receiver(**kwargs: Any) -> None:
        pass

    registry = Apps()
    with isolate_apps("tests.apps.custom_label"):

        class Now(models.Model):
            class Meta:
                app_label = "custom_label"

        signals.post_init.connect(receiver, sender=Now, apps=registry)
        try:
            assert list(registry._pending_operations) == []
            assert signals.post_init.has_listeners(Now)
        finally:
            assert signals.post_init.disconnect(receiver, sender=Now) is True


def test_model_signals_are_model_signals_and_migrate_ones_are_plain() -> None:
    for signal in (signals.pre_init, signals.post_save, signals.m2m_changed):
        assert isinstance(signal, signals.ModelSignal)
    assert not isinstance(signals.post_migrate, signals.ModelSignal)
