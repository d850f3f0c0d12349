"""Fixtures for the mail tests: an empty outbox for every test."""

from __future__ import annotations

import pytest

from manouche.core import mail
from manouche.core.mail import EmailMessage


@pytest.fixture(autouse=True)
def outbox() -> list[EmailMessage]:
    """Empty ``mail.outbox`` before the test and return it."""
    mail.outbox = []
    return mail.outbox
